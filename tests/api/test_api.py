"""The REST API: tokens carry their owner's rights, appends are facts, pagination, errors."""

import datetime

import pytest
from django.urls import reverse

from livret.api.models import ApiToken, digest
from livret.competences.models import CompetenceEvaluation


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def tokens(world):
    return {
        role: ApiToken.issue(world.users[role], "test")[1]
        for role in ("trainer_a", "trainer_b", "tutor_x", "learner1", "manager_a", "admin")
    }


def test_openapi_and_docs_are_served(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Livret API"
    assert "/api/v1/learners/{learner_id}/evaluations" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs and "cdn.jsdelivr" not in docs


def test_no_or_bad_token_is_401(client, world):
    assert client.get("/api/v1/learners").status_code == 401
    assert client.get("/api/v1/learners", **auth("lvt_not-a-token")).status_code == 401


def test_tokens_made_before_tutors_and_learners_lost_them_open_nothing(client, world, tokens):
    """Tutors and learners no longer get tokens (« Mon compte » hides the page, 404); a token
    one of them made before still answers 401 everywhere, reading and writing, and the data a
    tutor could read through it stays out of reach."""
    w = world
    for role in ("tutor_x", "learner1"):
        bearer = auth(tokens[role])
        assert client.get("/api/v1/learners", **bearer).status_code == 401
        assert client.get(f"/api/v1/learners/{w.learner1.pk}", **bearer).status_code == 401
        assert (
            client.get(f"/api/v1/learners/{w.learner1.pk}/evaluations", **bearer).status_code == 401
        )
        body = {"competence": "A1.2C3", "level": "acquired", "observed_on": "2026-05-04"}
        posted = client.post(
            f"/api/v1/learners/{w.learner1.pk}/evaluations",
            body,
            content_type="application/json",
            **bearer,
        )
        assert posted.status_code == 401 and "A1.2C3" not in posted.content.decode()
        assert ApiToken.objects.get(key_hash=digest(tokens[role])).last_used_at is None
    # The staff's tokens keep working.
    assert client.get("/api/v1/learners", **auth(tokens["trainer_a"])).status_code == 200


def test_revoked_token_stops_working(client, world):
    token, raw = ApiToken.issue(world.users["trainer_a"], "x")
    assert client.get("/api/v1/learners", **auth(raw)).status_code == 200
    token.revoked = True
    token.save()
    assert client.get("/api/v1/learners", **auth(raw)).status_code == 401


def test_tokens_carry_exactly_the_owners_rights(client, world, tokens):
    def ids(role):
        return sorted(
            x["id"] for x in client.get("/api/v1/learners", **auth(tokens[role])).json()["items"]
        )

    w = world
    assert ids("trainer_a") == sorted([w.learner1.pk, w.learner2.pk])
    assert ids("trainer_b") == [w.learner_b.pk]
    assert ids("manager_a") == sorted([w.learner1.pk, w.learner2.pk])
    # Another centre's learner is a 404, as on the pages.
    assert (
        client.get(f"/api/v1/learners/{w.learner1.pk}", **auth(tokens["trainer_b"])).status_code
        == 404
    )
    assert (
        client.get(
            f"/api/v1/learners/{w.learner1.pk}/evaluations", **auth(tokens["trainer_b"])
        ).status_code
        == 404
    )


def test_append_an_evaluation(client, world, tokens):
    w = world
    url = f"/api/v1/learners/{w.learner1.pk}/evaluations"
    body = {
        "competence": "A1.2C3",
        "level": "acquired",
        "observed_on": "2026-05-04",
        "comment": "via l'API",
    }
    response = client.post(url, body, content_type="application/json", **auth(tokens["trainer_a"]))
    assert response.status_code == 201 and response.json()["level"] == "acquired"
    assert (
        CompetenceEvaluation.objects.filter(learner=w.learner1).count() == 2
    )  # the fixture's fact is kept
    # The manager reads but may not write.
    for role in ("manager_a",):
        assert (
            client.post(
                url, body, content_type="application/json", **auth(tokens[role])
            ).status_code
            == 403
        )
    assert (
        client.post(
            url,
            {**body, "competence": "Z9"},
            content_type="application/json",
            **auth(tokens["trainer_a"]),
        ).status_code
        == 422
    )
    future = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    assert (
        client.post(
            url,
            {**body, "observed_on": future},
            content_type="application/json",
            **auth(tokens["trainer_a"]),
        ).status_code
        == 422
    )
    assert (
        client.post(
            url,
            {**body, "level": "excellent"},
            content_type="application/json",
            **auth(tokens["trainer_a"]),
        ).status_code
        == 422
    )
    listed = client.get(url, **auth(tokens["manager_a"])).json()
    assert listed["count"] == 2 and listed["items"][-1]["comment"] == "via l'API"


def test_pagination(client, world, tokens):
    page = client.get(
        "/api/v1/referentiels/bts-mos/competences?limit=10&offset=80", **auth(tokens["trainer_b"])
    ).json()
    assert page["count"] == 82 and [c["code"] for c in page["items"]] == ["C5.3", "C5.4"]


def test_token_page(client, world):
    client.force_login(world.users["trainer_a"])
    html = client.post(reverse("api_tokens"), {"name": "tableur"}).content.decode()
    raw = html.split('<code class="token">')[1].split("</code>")[0]
    assert raw.startswith("lvt_") and ApiToken.objects.get(name="tableur").key_hash != raw
    assert client.get("/api/v1/learners", **auth(raw)).status_code == 200


def test_page_size_is_capped(client, world, tokens):
    response = client.get("/api/v1/learners?limit=100000", **auth(tokens["admin"]))
    assert response.status_code == 422
    assert client.get("/api/v1/learners?limit=200", **auth(tokens["admin"])).status_code == 200


def test_rate_limit_is_counted_in_the_shared_store(client, world, tokens):
    """The throttle's counters live in the database cache, which every app server shares."""
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache
    from django.db import connection

    cache = caches["default"]
    assert isinstance(cache, DatabaseCache)
    cache.clear()
    assert client.get("/api/v1/learners", **auth(tokens["trainer_a"])).status_code == 200
    with connection.cursor() as cur:
        cur.execute("SELECT cache_key FROM livret_cache")
        keys = [row[0] for row in cur.fetchall()]
    assert any("throttle" in k for k in keys), keys


def test_token_revocation_is_kept_in_history(client, world):
    token, _ = ApiToken.issue(world.users["trainer_a"], "outil")
    client.force_login(world.users["trainer_a"])
    client.post(reverse("api_token_revoke", args=[token.pk]))
    last = token.history.order_by("-history_id").first()
    assert last.revoked is True and last.history_user == world.users["trainer_a"]


@pytest.mark.parametrize("value", ["99999999999999999999", "0", "-1", "abc"])
def test_an_id_no_column_can_hold_is_a_422_naming_the_parameter(client, world, tokens, value):
    # Found by the review of issue 21: ?cohort=10**20 answered 500 (SQLite OverflowError).
    response = client.get(f"/api/v1/learners?cohort={value}", **auth(tokens["manager_a"]))
    assert response.status_code == 422, response.content
    assert "cohort" in response.content.decode()
