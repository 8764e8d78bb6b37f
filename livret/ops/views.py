"""Pages of the work that spans every app: a learner's personal data (download everything,
anonymise after the retention period) and the manager's imports (template, upload, column
mapping, preview, confirm)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from livret import access
from livret.jobs import services as jobs
from livret.privacy.services import log_access
from livret.tables import MAX_BYTES

from . import importer, rights
from .forms import UploadForm


def export(request, pk):
    learner = access.get_learner_for_user(request.user, pk, related=("user", "centre", "cohort"))
    access.require(request.user, "livret.export_personal_data", learner)
    log_access(request, learner, "export des données personnelles")
    body = json.dumps(rights.export_learner(learner), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="donnees-personnelles-{learner.pk}.json"'
    )
    return response


@require_POST
def anonymise(request, pk):
    learner = access.get_learner_for_user(request.user, pk, related=("user", "centre", "cohort"))
    access.require(request.user, "livret.anonymise_learner", learner)
    try:
        rights.anonymise(learner)
        messages.success(
            request, "Apprenant anonymisé : ses évaluations restent comptées dans les statistiques."
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("livret", learner.pk)


# --- imports (the centre's manager) --------------------------------------------------------------
def _centre(request):
    access.require_role(request.user, access.is_manager)
    return request.user.profile.organisation


def template(request, kind):
    _centre(request)
    if kind not in importer.KINDS:
        return HttpResponse(status=404)
    response = HttpResponse(
        "\ufeff" + importer.template_csv(kind), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="modele-{kind}.csv"'
    return response


def template_values(request, kind):
    """The template's second file: each column, required or not, and the values it takes."""
    _centre(request)
    if kind not in importer.KINDS:
        return HttpResponse(status=404)
    response = HttpResponse(
        "\ufeff" + importer.values_csv(kind), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="modele-{kind}-valeurs.csv"'
    return response


@require_http_methods(["GET", "POST"])
def imports(request):
    """Upload → preview (a background job) → mapping or confirm (a job) → done.

    The file is kept with the preview job; the mapping form and « Enregistrer » name that job,
    so the file is neither sent back and forth nor read again to be saved."""
    centre = _centre(request)
    source = _preview_job(request)
    kind = request.POST.get("kind") or (source.params["kind"] if source else "apprenants")
    context = {"kinds": importer.KINDS, "kind": kind}
    # The first upload's form (web/forms): its errors beside the type or the file, 400.
    form = UploadForm(
        request.POST if request.method == "POST" and source is None else None,
        request.FILES or None,
        initial={"kind": kind},
    )
    context["form"] = form
    if request.method == "POST":
        if source is None and not form.is_valid():
            return render(request, "people/imports.html", context, status=400)
        if kind not in importer.KINDS:
            messages.error(request, "Type d'import inconnu.")
            return redirect("imports")
        label = importer.KINDS[kind].label
        if request.POST.get("confirm") and source is not None:
            job = jobs.start(
                request.user,
                centre,
                "import_apply",
                f"Import : {label} — enregistrement",
                {"preview": str(source.pk)},
                follow=reverse("imports"),
            )
            return redirect("job", pk=job.pk)
        upload = form.cleaned_data["file"] if source is None else request.FILES.get("file")
        if upload is not None and upload.size > MAX_BYTES:
            messages.error(
                request, f"Fichier trop volumineux (plus de {MAX_BYTES // 1_000_000} Mo)."
            )
            return redirect("imports")
        mapping = None
        if request.POST.get("mapping") == "1":
            mapping = {}
            for f, _, _ in importer.KINDS[kind].columns:
                raw = request.POST.get(f"col-{f}", "")
                if raw.isascii() and raw.isdigit():  # "²".isdigit() too, which int() refuses
                    mapping[f] = int(raw)
        params = {
            "kind": kind,
            "filename": upload.name if upload is not None else source.params["filename"],
            "mapping": mapping,
        }
        job = jobs.start(
            request.user,
            centre,
            "import_preview",
            f"Import : {label} — vérification",
            params,
            upload=upload,
            reuse_upload=source if upload is None else None,
            follow=lambda job: reverse("imports") + f"?tache={job.pk}",
        )
        return redirect("job", pk=job.pk)
    if source is not None and source.status == source.DONE:
        result = importer.stored_preview(source)
        context.update(
            kind=result.kind,
            preview=result,
            source=source,
            applied=source.params.get("applied"),
            columns=importer.KINDS[result.kind].columns,
            mapping_rows=result.mapping_rows(importer.KINDS[result.kind].columns),
            shown=result.rows[:500],
            hidden_errors=[e for r in result.rows[500:] for e in r.errors],
        )
    return render(request, "people/imports.html", context)


def _preview_job(request):
    """The user's own preview job named in the request, if any (another's is a 404)."""
    pk = request.POST.get("tache") or request.GET.get("tache")
    if not pk:
        return None
    try:
        job = access.get_job_for_user(request.user, pk)
    except (ValueError, ValidationError):
        raise Http404 from None
    if job.kind != "import_preview":
        raise Http404
    return job
