from django_tasks import task

from . import services


@task()
def send_reminders(survey_id: int) -> int:
    return services.send_reminders(survey_id)


@task()
def send_links(survey_id: int) -> int:
    return services.send_links(survey_id)
