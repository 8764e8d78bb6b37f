"""The shared query-count helper: a page's SQL queries, counted the way the tests pin them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url, status=200, warm=True) -> int:
    """Number of SQL queries one GET of `url` costs (the page must answer `status`).

    Warm by default: the page is opened once first, as a running server would have done, so
    per-process caches (a référentiel's frame, built once per version) are not counted."""
    if warm:
        client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return len(ctx)


def pin(client, urls: dict) -> dict:
    """Query counts of several pages, by name."""
    return {name: count_queries(client, url) for name, url in urls.items()}
