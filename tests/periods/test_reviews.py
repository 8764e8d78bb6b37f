"""The review of a period in company as each party uses it: the trainer rates the agreement's
competences and writes the pedagogical appraisal, the tutor writes and signs his own, the trainer
validates and the levels enter the livret; bad input changes nothing; nobody else writes it."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from livret.competences.models import CompetenceEvaluation, Context
from livret.periods import reviews
from livret.periods.models import Agreement, Period, PeriodReview
from livret.referentiels.models import Competence


@pytest.fixture
def period(world):
    p = Period.objects.create(
        learner=world.learner1,
        kind=Period.PFMP,
        company=world.learner1.company,
        start=datetime.date(2026, 1, 5),
        end=datetime.date(2026, 1, 30),
    )
    agreement = Agreement.objects.create(period=p, activities="Rondes")
    agreement.objectives.set(
        Competence.objects.filter(referentiel=world.ref, code__in=["A1.1C1", "A1.2C3"])
    )
    return p


def _url(p):
    return reverse("period_review", args=[p.learner_id, p.pk])


def test_rate_appraise_validate_then_the_livret_has_the_levels(client, world, period):
    url = _url(period)
    client.force_login(world.users["trainer_a"])
    page = client.get(url).content.decode()
    assert "A1.1C1" in page and "A1.2C3" in page
    client.post(
        url,
        {
            "level-A1.1C1": "acquired",
            "note-A1.1C1": "Veille tenue chaque semaine.",
            "level-A1.2C3": "",
            "pedagogical": "Période riche, posture professionnelle affirmée.",
        },
    )
    review = PeriodReview.objects.get()
    assert [line["level"] for line in review.lines] == ["acquired", ""]
    # The tutor appraises and signs; he cannot rate.
    client.force_login(world.users["tutor_x"])
    client.post(url, {"action": "appraise", "tutor_appraisal": "Sérieux et ponctuel."})
    assert client.post(url, {"level-A1.1C1": "not_acquired"}).status_code == 403
    review.refresh_from_db()
    assert review.tutor == world.users["tutor_x"] and review.tutor_signed_at is not None
    # The trainer validates: one fact in the livret, observed in company on the last day.
    client.force_login(world.users["trainer_a"])
    before = CompetenceEvaluation.objects.count()
    client.post(url, {"action": "validate"})
    fact = CompetenceEvaluation.objects.latest("pk")
    assert CompetenceEvaluation.objects.count() == before + 1
    assert (fact.competence.code, fact.level, fact.context, fact.observed_on) == (
        "A1.1C1",
        "acquired",
        Context.COMPANY,
        datetime.date(2026, 1, 30),
    )
    assert "Veille tenue chaque semaine." in fact.comment
    # Validated: nothing changes any more.
    r = client.post(url, {"level-A1.1C1": "not_acquired", "pedagogical": "x"}, follow=True)
    assert "ne se modifie plus" in unescape(r.content.decode())
    assert PeriodReview.objects.get().pedagogical.startswith("Période riche")
    # The learner reads it.
    client.force_login(world.users["learner1"])
    assert "Sérieux et ponctuel." in client.get(url).content.decode()


def test_a_bad_level_saves_nothing_and_keeps_what_was_typed(client, world, period):
    client.force_login(world.users["trainer_a"])
    r = client.post(
        _url(period),
        {"level-A1.1C1": "parfait", "level-A1.2C3": "in_progress", "pedagogical": "Bien."},
    )
    assert r.status_code == 400
    text = unescape(r.content.decode())
    assert "niveau « parfait » inconnu pour A1.1C1" in text and ">Bien.</textarea>" in text
    assert not PeriodReview.objects.exists()
    # Beside its field (marked, described by its error) and in the summary linking to it.
    field = re.search(r'<select[^>]*id="id_level-A1.1C1"[^>]*>', text).group(0)
    assert 'aria-invalid="true"' in field
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1)
    assert re.search(rf'id="{described}"[^>]*>(?:<li>)?niveau « parfait » inconnu', text)
    assert re.search(r'href="#id_level-A1.1C1"[^>]*>[^<]*</a> : niveau « parfait »', text)
    kept = re.search(r'<select[^>]*id="id_level-A1.2C3".*?</select>', text, re.S).group(0)
    assert re.search(r'value="in_progress" selected', kept)


def test_validation_needs_the_appraisal_and_a_finished_period(world, period):
    trainer = world.users["trainer_a"]
    reviews.save(period, trainer, {"A1.1C1": "in_progress"}, {}, "")
    with pytest.raises(reviews.ValidationError, match="appréciation pédagogique"):
        reviews.validate(period, trainer)
    period.end = datetime.date(2099, 1, 30)
    period.save()
    reviews.save(period, trainer, {}, {}, "Bien.")
    with pytest.raises(reviews.ValidationError, match="pas finie"):
        reviews.validate(period, trainer)


def test_without_agreement_objectives_the_review_is_the_two_appraisals(client, world, period):
    period.agreement.objectives.clear()
    client.force_login(world.users["trainer_a"])
    page = unescape(client.get(_url(period)).content.decode())
    assert "ne donne pas de grille d'évaluation" in page


def test_who_may_not(client, world, period):
    url = _url(period)
    for who in ("trainer_b", "manager_b", "tutor_y", "learner2", "learner_b"):
        client.force_login(world.users[who])
        assert client.get(url).status_code == 404, who
    client.force_login(world.users["manager_a"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"pedagogical": "x"}).status_code == 403
    client.force_login(world.users["learner1"])
    assert client.post(url, {"action": "appraise", "tutor_appraisal": "x"}).status_code == 403
    assert not PeriodReview.objects.exists()
    # Another learner's period under this learner's address is not found.
    other = Period.objects.create(
        learner=world.learner2,
        company=world.learner2.company,
        start=datetime.date(2026, 1, 5),
        end=datetime.date(2026, 1, 30),
    )
    client.force_login(world.users["trainer_a"])
    assert (
        client.get(reverse("period_review", args=[world.learner1.pk, other.pk])).status_code == 404
    )


def test_the_review_follows_its_lifecycle(client, world, period):
    """Validated once; nothing is validated before it is written; each step names its author in
    the history; the trainers hear of the tutor's signature, the learner of his new levels."""
    from livret.lifecycle import Refused
    from livret.notifications.models import Notification

    trainer, tutor = world.users["trainer_a"], world.users["tutor_x"]
    with pytest.raises(Refused, match="Rien à valider : enregistrez d'abord le bilan"):
        reviews.validate(period, trainer)
    assert not PeriodReview.objects.exists()
    reviews.appraise(period, tutor, "Sérieux.")
    assert (
        Notification.objects.filter(
            recipient__in=[world.users["trainer_a"], world.users["trainer_a2"]],
            title__startswith="Bilan de période : appréciation du tuteur signée",
        ).count()
        == 2
    )
    reviews.save(period, trainer, {"A1.1C1": "acquired"}, {}, "Bien.")
    assert reviews.validate(period, trainer) == 1
    assert Notification.objects.filter(recipient=world.users["learner1"], kind="evaluation")
    facts = CompetenceEvaluation.objects.count()
    with pytest.raises(Refused, match="Le bilan est déjà validé"):
        reviews.validate(period, world.users["trainer_a2"])
    with pytest.raises(Refused, match="ne se modifie plus"):
        reviews.appraise(period, tutor, "Autre avis.")
    assert CompetenceEvaluation.objects.count() == facts
    review = PeriodReview.objects.get()
    assert review.tutor_appraisal == "Sérieux."
    authors = [h.history_user.username for h in review.history.order_by("history_id")]
    assert authors == ["tutor_x", "trainer_a", "trainer_a"]
    # On the page, a refused step is a message, not an error page.
    client.force_login(world.users["trainer_a2"])
    r = client.post(_url(period), {"action": "validate"}, follow=True)
    assert r.status_code == 200 and "Le bilan est déjà validé." in unescape(r.content.decode())
    r = client.post(_url(period), {"action": "autre"}, follow=True)
    assert r.status_code == 200 and "Action inconnue." in r.content.decode()
    client.force_login(tutor)
    r = client.post(_url(period), {"action": "appraise", "tutor_appraisal": "x"}, follow=True)
    assert r.status_code == 200 and "ne se modifie plus" in unescape(r.content.decode())
