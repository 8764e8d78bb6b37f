"""Follow a job (livret.jobs): its page (progress bar), its state as JSON for the bar, its result
file. Here, above livret.jobs, because a page asks livret.access who may see the job."""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render

from livret import access
from livret.jobs.models import Job


def _state(job: Job) -> dict:
    return {
        "status": job.status,
        "label": job.get_status_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "error": job.error,
        "finished": job.finished,
    }


def page(request, pk):
    job = access.get_job_for_user(request.user, pk)
    follow = job.params.get("follow") if job.status == Job.DONE else None
    return render(request, "jobs/job.html", {"job": job, "state": _state(job), "follow": follow})


def state(request, pk):
    job = access.get_job_for_user(request.user, pk)
    return JsonResponse(_state(job), headers={"Cache-Control": "no-store"})


def download(request, pk):
    job = access.get_job_for_user(request.user, pk)
    if job.status != Job.DONE or not job.file:
        raise Http404
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def mine(request):
    """The user's recent jobs, newest first."""
    # Not their stored preview nor their parameters, which the list never shows: an import's
    # preview of 10,000 rows is 6.5 MB of JSON, and three of them made the list take 400 ms.
    jobs = access.visible_jobs(request.user).defer("result", "params")[:30]
    return render(request, "jobs/list.html", {"jobs": jobs})
