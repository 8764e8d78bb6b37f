"""The permission matrix: every livret URL × every role. Outside one's rights an existing object is a 404;
seeing without the right to act is a 403; anonymous users are sent to the login page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from livret.competences.services import record_evaluation

ROLES = [
    "admin",
    "manager_a",
    "manager_b",
    "trainer_a",
    "trainer_b",
    "tutor_x",
    "tutor_y",
    "learner1",
    "learner2",
    "learner_b",
    "nobody",
]
SEES_L1 = {"admin", "manager_a", "trainer_a", "tutor_x", "learner1"}
SEES_COHORT_A = {"admin", "manager_a", "trainer_a"}


def expect(ok, allowed, seen=frozenset(), ok_status=200):
    """Status per role: ok_status if allowed, 403 if seen but not allowed, else 404."""
    return {r: ok_status if r in allowed else (403 if r in seen else 404) for r in ROLES}


def matrix(w):
    l1, c, cohort = w.learner1.pk, w.competence.pk, w.cohort_a.pk
    pdf_evidence = record_evaluation(
        learner=w.learner1,
        competence=w.competence,
        level="acquired",
        observed_on=w.evaluation.observed_on,
        evaluator=w.users["trainer_a"],
        evidence=SimpleUploadedFile("p.pdf", b"%PDF-1.4 test"),
        evidence_type="application/pdf",
    )
    return [
        ("GET", reverse("livret", args=[l1]), expect(200, SEES_L1)),
        ("GET", reverse("livret_pdf", args=[l1]), expect(200, SEES_L1)),
        ("GET", reverse("history", args=[l1, c]), expect(200, SEES_L1)),
        ("GET", reverse("evidence", args=[pdf_evidence.pk]), expect(200, SEES_L1)),
        ("GET", reverse("evaluate", args=[l1, c]), expect(200, {"admin", "trainer_a"}, SEES_L1)),
        (
            "POST",
            reverse("evaluate", args=[l1, c]),
            expect(302, {"admin", "trainer_a"}, SEES_L1, ok_status=302),
        ),
        ("GET", reverse("grid", args=[cohort]), expect(200, SEES_COHORT_A)),
        (
            "GET",
            reverse("evaluate_column", args=[cohort, c]),
            expect(200, {"admin", "trainer_a"}, SEES_COHORT_A),
        ),
        ("GET", reverse("situation_new", args=[l1]), expect(200, {"learner1"}, SEES_L1)),
        ("GET", reverse("situation_detail", args=[w.situation.pk]), expect(200, SEES_L1)),
        (
            "POST",
            reverse("situation_validate", args=[w.situation.pk]),
            expect(302, {"tutor_x"}, SEES_L1, ok_status=302),
        ),
        (
            "POST",
            reverse("situation_evaluate", args=[w.situation.pk]),
            expect(302, {"admin", "trainer_a"}, SEES_L1, ok_status=302),
        ),
        ("GET", reverse("learner_home"), expect(200, {"learner1", "learner2", "learner_b"})),
        ("GET", reverse("tutor_home"), expect(200, {"tutor_x", "tutor_y"})),
    ]


POSTS = {
    "evaluate": {"level": "acquired", "observed_on": "2026-03-05", "context": "course"},
    "situation_validate": {"comment": "ok"},
    "situation_evaluate": {"level": "acquired"},
}


def _post_data(url):
    if url.startswith("/livrets/"):
        return POSTS["evaluate"]
    if url.endswith("/valider/"):
        return POSTS["situation_validate"]
    if url.endswith("/evaluer/"):
        return POSTS["situation_evaluate"]
    return {}


def test_permission_matrix(client, world):
    failures = []
    for method, url, expected in matrix(world):
        for role in ROLES:
            client.force_login(world.users[role])
            response = client.post(url, _post_data(url)) if method == "POST" else client.get(url)
            if response.status_code != expected[role]:
                failures.append(
                    f"{method} {url} as {role}: {response.status_code}, expected {expected[role]}"
                )
        client.logout()
        anonymous = client.post(url) if method == "POST" else client.get(url)
        if anonymous.status_code != 302 or not anonymous.url.startswith(reverse("login")):
            failures.append(f"{method} {url} anonymous: {anonymous.status_code}")
    assert not failures, "\n".join(failures)


def test_lists_show_only_what_one_may_see(client, world):
    client.force_login(world.users["trainer_b"])
    html = client.get(reverse("cohort_list")).content.decode()
    assert "MOS B" in html and "MOS A" not in html
    client.force_login(world.users["manager_a"])
    html = client.get(reverse("cohort_list")).content.decode()
    assert "MOS A" in html and "MOS B" not in html
    client.force_login(world.users["tutor_x"])
    html = client.get(reverse("tutor_home")).content.decode()
    assert "Learner1" in html and "Learner2" not in html
    assert "Ronde" in html  # his apprentice's situation waits for him


def test_grid_shows_only_visible_learners_and_no_controls_for_manager(client, world):
    client.force_login(world.users["manager_a"])
    html = client.get(reverse("grid", args=[world.cohort_a.pk])).content.decode()
    assert "Learner1" in html and "Learner2" in html and "Learner_b" not in html
    assert "hx-get" not in html.split("<table")[1]  # a manager reads, he does not evaluate


@pytest.mark.parametrize("role", ["tutor_x", "learner1", "manager_a"])
def test_readers_see_no_edit_control_on_the_livret(client, world, role):
    client.force_login(world.users[role])
    html = client.get(reverse("livret", args=[world.learner1.pk])).content.decode()
    assert "A1.2C3" in html and "eval-btn" not in html and "/evaluer/" not in html


def test_role_home_redirects(client, world):
    for role, target in [
        ("learner1", "learner_home"),
        ("tutor_x", "tutor_home"),
        ("trainer_a", "cohort_list"),
        ("manager_a", "dashboard"),
        ("admin", "cohort_list"),
    ]:
        client.force_login(world.users[role])
        assert client.get(reverse("home"), follow=True).redirect_chain[-1][0] == reverse(target)


def test_admin_is_for_platform_superusers_only(client, world):
    manager = world.users["manager_a"]
    manager.is_staff = True  # even a staff flag set by mistake opens nothing
    manager.save()
    urls = [
        "/admin/",
        "/admin/people/learner/",
        f"/admin/people/learner/{world.learner1.pk}/change/",
        f"/admin/people/learner/{world.learner1.pk}/history/",
        f"/admin/people/profile/{manager.profile.pk}/change/",
        "/admin/login/",
    ]
    for role in ("manager_a", "trainer_a", "tutor_x", "learner1"):
        client.force_login(world.users[role])
        for url in urls:
            assert client.get(url).status_code == 404, (role, url)
    client.force_login(world.users["admin"])
    for url in urls[:-1]:
        assert client.get(url).status_code == 200, url
