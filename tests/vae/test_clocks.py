"""The VAE clocks at work: `livret vae tick` records the implicit recevabilité once and only once
(Code du travail, art. L. 6412-2) and lapses a candidacy not confirmed in time (France VAE's
practice, the certifier's period); the certifier's list puts what falls due first on top."""

import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from livret.cli import main as livret
from livret.notifications.models import Notification
from livret.people.models import Organisation, Profile
from livret.vae import clocks, services
from livret.vae.models import (
    AdmissibilityDecision,
    Candidacy,
    CandidacyEvent,
    VaeSettings,
)
from tests.world import make_user

D = datetime.date


def _at(day: D, hour=10):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def guide(vae, django_user_model):
    aap = Organisation.objects.create(name="AAP", kind=Organisation.TRAINING_BODY)
    return make_user(django_user_model, "guide", Profile.VAE_GUIDE, aap, email="guide@exemple.fr")


def _candidacy(vae, candidate, status, guide=None, **fields):
    return Candidacy.objects.create(
        candidate=candidate, offer=vae["offer"], status=status, guide=guide, **fields
    )


def test_tick_records_the_implicit_recevabilite_once_and_only_once(vae, candidate, guide, capsys):
    sent = _candidacy(vae, candidate, Candidacy.SENT, guide, submitted_at=_at(D(2026, 9, 30)))
    # received on 30 September: the certifier has until 30 November
    assert clocks.tick(D(2026, 11, 30)) == {"recevables": 0, "caduques": 0}
    sent.refresh_from_db()
    assert sent.status == Candidacy.SENT
    assert livret(["vae", "tick", "--date", "2026-12-01"]) == 0
    assert "1 dossier(s) recevable(s) par décision implicite" in capsys.readouterr().out
    sent.refresh_from_db()
    assert sent.status == Candidacy.ADMISSIBLE and sent.actualised_at is not None
    decision = AdmissibilityDecision.objects.get(candidacy=sent)
    assert decision.implicit and decision.decided_by is None
    assert decision.reasons.startswith("Décision implicite")
    assert "L. 6412-2" in decision.reasons
    event = CandidacyEvent.objects.get(candidacy=sent)
    assert (event.action, event.actor, event.to_status) == ("implicit", None, Candidacy.ADMISSIBLE)
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {candidate.username, guide.username}
    # the second run, the same day or the next, changes nothing
    before = (
        AdmissibilityDecision.objects.count(),
        CandidacyEvent.objects.count(),
        Notification.objects.count(),
    )
    assert clocks.tick(D(2026, 12, 1)) == {"recevables": 0, "caduques": 0}
    assert clocks.tick(D(2026, 12, 2)) == {"recevables": 0, "caduques": 0}
    after = (
        AdmissibilityDecision.objects.count(),
        CandidacyEvent.objects.count(),
        Notification.objects.count(),
    )
    assert before == after


def test_a_decision_taken_in_time_is_never_overridden(vae, candidate):
    c = _candidacy(vae, candidate, Candidacy.SENT, submitted_at=_at(D(2026, 9, 30)))
    services.decide_admissibility(c, Candidacy.INCOMPLETE, "Pièces manquantes", vae["staff"])
    assert clocks.tick(D(2027, 1, 1))["recevables"] == 0
    c.refresh_from_db()
    assert c.status == Candidacy.INCOMPLETE


def test_end_of_month_receipt_and_leap_year(vae, candidate):
    c = _candidacy(vae, candidate, Candidacy.SENT, submitted_at=_at(D(2027, 12, 31)))
    assert clocks.tick(D(2028, 2, 29))["recevables"] == 0  # 31 Dec + 2 months = 29 Feb 2028
    assert clocks.tick(D(2028, 3, 1))["recevables"] == 1
    c.refresh_from_db()
    assert c.status == Candidacy.ADMISSIBLE


def test_lapse_without_actualisation_at_the_certifiers_period(vae, candidate, guide, client):
    c = _candidacy(vae, candidate, Candidacy.ADMISSIBLE, guide, actualised_at=_at(D(2026, 3, 31)))
    # six months by default: 30 September; the certifier sets four
    assert clocks.tick(D(2026, 9, 30))["caduques"] == 0
    VaeSettings.objects.create(certifier=vae["offer"].certifier, actualisation_months=4)
    assert clocks.tick(D(2026, 7, 31))["caduques"] == 0
    # the candidate confirms on 31 July: four more months
    client.force_login(candidate)
    with timezone.override("Europe/Paris"):
        clocks.actualise(c, candidate)
    Candidacy.objects.filter(pk=c.pk).update(actualised_at=_at(D(2026, 7, 31)))
    assert clocks.tick(D(2026, 11, 30))["caduques"] == 0
    assert clocks.tick(D(2026, 12, 1))["caduques"] == 1
    c.refresh_from_db()
    assert c.status == Candidacy.LAPSED
    event = CandidacyEvent.objects.get(candidacy=c)
    assert (event.action, event.actor) == ("lapse", None)
    assert clocks.tick(D(2026, 12, 2)) == {"recevables": 0, "caduques": 0}
    # a lapsed candidacy is closed: no actualisation any more
    with pytest.raises(Exception, match="Ce dossier est clos"):
        clocks.actualise(c, candidate)


def test_the_candidate_actualises_from_his_page(vae, candidate, client):
    c = _candidacy(vae, candidate, Candidacy.ADMISSIBLE, actualised_at=_at(D(2026, 1, 2)))
    client.force_login(candidate)
    r = client.post(reverse("vae_action", args=[c.pk]), {"action": "actualise"}, follow=True)
    assert "Candidature actualisée" in unescape(r.content.decode())
    c.refresh_from_db()
    assert timezone.localdate(c.actualised_at) == timezone.localdate()


def test_the_certifiers_list_puts_what_falls_due_first_on_top(vae, candidate, client, settings):
    today = timezone.localdate()
    later = _candidacy(vae, candidate, Candidacy.SENT, submitted_at=_at(today, 9))
    overdue = _candidacy(
        vae,
        candidate,
        Candidacy.VALIDATION_SENT,
        validation_sent_at=_at(today - datetime.timedelta(days=100)),
    )
    soon = _candidacy(
        vae, candidate, Candidacy.SENT, submitted_at=_at(today - datetime.timedelta(days=55))
    )
    client.force_login(vae["staff"])
    page = unescape(client.get(reverse("vae_certifier")).content.decode())
    rows = [page.index(f'href="/vae/dossiers/{c.pk}/"') for c in (overdue, soon, later)]
    assert rows == sorted(rows)
    assert "En retard" in page and "Bientôt" in page
    assert "L. 6412-2" in page and "R. 6412-5" in page


def test_the_candidate_and_the_accompagnateur_see_their_dates(vae, candidate, guide, client):
    c = _candidacy(
        vae,
        candidate,
        Candidacy.ADMISSIBLE,
        guide,
        submitted_at=_at(D(2026, 1, 5)),
        actualised_at=_at(D(2026, 8, 31)),
    )
    for user in (candidate, guide):
        client.force_login(user)
        page = unescape(client.get(reverse("vae_dossier", args=[c.pk])).content.decode())
        assert "Actualisation de la candidature" in page
        assert "28/02/2027" in page  # 31 August + 6 months
        assert "Pratique du service public France VAE (aucun texte)" in page
    # the accompagnateur's list: each file's next deadline
    page = unescape(client.get(reverse("vae_home")).content.decode())
    assert "Actualisation de la candidature : 28/02/2027" in page


def test_the_demo_dates_show_each_kind_of_deadline(vae, candidate):
    from livret.vae import clock_demo
    from livret.vae.models import JuryResult

    today = timezone.localdate()
    made = {}
    for status in (
        Candidacy.SENT,
        Candidacy.ADMISSIBLE,
        Candidacy.VALIDATION_SENT,
        Candidacy.JURY_DONE,
    ):
        made[status] = _candidacy(vae, candidate, status, submitted_at=timezone.now())
        if status != Candidacy.SENT:
            AdmissibilityDecision.objects.create(
                candidacy=made[status],
                decision=Candidacy.ADMISSIBLE,
                reasons="",
                decided_by=vae["staff"],
            )
    JuryResult.objects.create(
        candidacy=made[Candidacy.JURY_DONE],
        result=JuryResult.TOTAL,
        jury_date=today - datetime.timedelta(days=10),
        decided_by=vae["staff"],
        notified_at=timezone.now() - datetime.timedelta(days=8),
    )
    clock_demo.seed(vae["offer"].certifier, today)
    levels = {
        status: {k["d"].kind: k["level"] for k in clocks.view_of(c, today)}
        for status, c in ((s, Candidacy.objects.get(pk=c.pk)) for s, c in made.items())
    }
    assert levels[Candidacy.SENT] == {"admissibility": "soon"}
    assert levels[Candidacy.ADMISSIBLE] == {"admissibility": "done", "actualisation": "soon"}
    assert levels[Candidacy.VALIDATION_SENT] == {"admissibility": "done", "jury": "ok"}
    assert levels[Candidacy.JURY_DONE] == {
        "admissibility": "done",
        "jury": "done",
        "notification": "done",
    }
    # and nothing of it is overdue for tonight's tick
    assert clocks.tick(today) == {"recevables": 0, "caduques": 0}


def test_the_certifier_sets_his_figures_and_a_bad_value_saves_nothing(client, vae):
    client.force_login(vae["staff"])
    url = reverse("vae_settings")
    page = unescape(client.get(url).content.decode())
    assert 'value="6"' in page and 'value="15"' in page and 'value="5"' in page
    assert "Pratique du service public France VAE (aucun texte)" in page
    r = client.post(url, {"actualisation_months": "0", "alert_days": "abc", "retention_years": "3"})
    assert r.status_code == 400
    page = unescape(r.content.decode())
    assert "Rien n'est enregistré" in page
    assert "Entre 1 et 24." in page and "Saisissez un nombre entier." in page
    assert 'value="3"' in page  # what was typed stays
    assert not VaeSettings.objects.exists()
    r = client.post(url, {"actualisation_months": "4", "alert_days": "10", "retention_years": "3"})
    assert r.status_code == 302
    saved = VaeSettings.objects.get(certifier=vae["offer"].certifier)
    assert (saved.actualisation_months, saved.alert_days, saved.retention_years) == (4, 10, 3)
    assert saved.history.first().history_user == vae["staff"]
    # another certifier's staff edits his own, never this one
    client.force_login(vae["other_staff"])
    client.post(url, {"actualisation_months": "12", "alert_days": "10", "retention_years": "3"})
    saved.refresh_from_db()
    assert saved.actualisation_months == 4
    assert VaeSettings.objects.count() == 2
