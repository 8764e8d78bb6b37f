from django_tasks import task

from . import runner


@task()
def run_job(job_id: str) -> str:
    return runner.run(job_id)
