from django_tasks import task

from . import services


@task()
def send_now(ids: list[int]) -> int:
    return services.send_immediate(ids)
