"""Run the real task worker in the test process until the queue is empty.

Tests that use it are transactional (django_db(transaction=True)): jobs are enqueued on commit,
and the worker reads them as a separate process would, from committed rows."""

from django.core.management import call_command


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def follow(client, response):
    """The job page a POST redirected to, once the worker has run every queued job."""
    assert response.status_code == 302 and "/taches/" in response["Location"], response
    run_worker()
    return response["Location"]
