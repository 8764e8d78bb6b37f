"""The VAE clocks at work (rules in livret.engine.vae_clocks): each candidacy's deadlines, the
daily `livret vae tick` (implicit recevabilité, lapse without actualisation), the result told to
candidate and accompagnateur, and the certificate of participation for the VAE leave."""

from __future__ import annotations

import datetime
import logging

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from livret.engine import vae_clocks, vae_flow
from livret.lifecycle import after_commit
from livret.notifications.services import notify

from .models import AdmissibilityDecision, Candidacy, CandidacyEvent, JuryResult, VaeSettings

logger = logging.getLogger("livret.vae")

IMPLICIT_REASON = (
    "Décision implicite : le certificateur ne s'est pas prononcé dans les deux mois suivant la "
    "réception du dossier complet ; le silence vaut recevabilité (Code du travail, art. L. 6412-2)."
)
# Décret n° 2024-332 du 10 avril 2024: the VAE leave is of forty-eight hours (was twenty-four).
LEAVE_HOURS = 48
SOURCES = vae_clocks.SOURCES


def settings_for(certifier_id) -> VaeSettings:
    """The certifier's settings, or the defaults (unsaved) when he has set none."""
    return VaeSettings.objects.filter(certifier_id=certifier_id).first() or VaeSettings(
        certifier_id=certifier_id
    )


def _last(model, field, **filters):
    """The latest row's `field` for each candidacy, as a subquery (one query for a list)."""
    return Subquery(
        model.objects.filter(candidacy=OuterRef("pk"), **filters).order_by("-pk").values(field)[:1]
    )


@transaction.atomic
def save_settings(form, user) -> VaeSettings:
    """The certifier's figures, attributed (the history names who changed them)."""
    settings = form.save(commit=False)
    settings._history_user = user
    settings.save()
    return settings


def with_clock_dates(qs):
    """What the clocks read, in the same query (no query per row on a list). The deposit of the
    validation file is read from its step too: files sent before its own column existed."""
    return qs.select_related("jury_result", "offer").annotate(
        decided_at=_last(AdmissibilityDecision, "decided_at"),
        sent_event=_last(CandidacyEvent, "at", action="send_validation"),
    )


def _day(moment) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _moment(today: datetime.date) -> datetime.datetime:
    """Now, or noon of the day a run was asked for (`livret vae tick --date`)."""
    if today == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))


def dates_of(c: Candidacy) -> vae_clocks.Dates:
    decided = getattr(c, "decided_at", None)
    if decided is None and not hasattr(c, "decided_at"):
        decided = c.admissibility_decisions.aggregate(m=Max("decided_at"))["m"]
    result = getattr(c, "jury_result", None) if c.status == Candidacy.JURY_DONE else None
    sent = c.validation_sent_at or getattr(c, "sent_event", None)
    if sent is None and not hasattr(c, "sent_event") and c.status in vae_clocks.AFTER_VALIDATION:
        event = c.events.filter(action="send_validation").order_by("-pk").first()
        sent = event.at if event else None
    return vae_clocks.Dates(
        status=c.status,
        received=_day(c.submitted_at),
        decided=_day(decided),
        confirmed=_day(c.actualised_at),
        validation_sent=_day(sent),
        jury=result.jury_date if result else None,
        notified=_day(result.notified_at) if result else None,
    )


def deadlines_of(c: Candidacy, months: int | None = None) -> list[vae_clocks.Deadline]:
    if months is None:
        months = settings_for(c.offer.certifier_id).actualisation_months
    return vae_clocks.deadlines(dates_of(c), months)


def board(candidacies, certifier_id, today: datetime.date) -> list[dict]:
    """The certifier's list: each candidacy with its clocks, what falls due first on top."""
    conf = settings_for(certifier_id)
    rows = []
    for c in candidacies:
        items = deadlines_of(c, conf.actualisation_months)
        first = vae_clocks.next_due(items)
        rows.append(
            {
                "c": c,
                "next": first,
                "level": first.level(today, conf.alert_days) if first else "",
                "days": first.days_left(today) if first else None,
            }
        )
    far = datetime.date.max
    rows.sort(key=lambda r: (r["next"].due if r["next"] else far, r["c"].pk))
    return rows


def next_of(candidacies, today: datetime.date) -> dict:
    """Each file's next deadline ({pk: (deadline, level)}), the certifiers' settings read in one
    query: the candidate's and the accompagnateur's lists."""
    candidacies = list(candidacies)
    conf = {
        s.certifier_id: s
        for s in VaeSettings.objects.filter(
            certifier_id__in={c.offer.certifier_id for c in candidacies}
        )
    }
    out = {}
    for c in candidacies:
        s = conf.get(c.offer.certifier_id) or VaeSettings(certifier_id=c.offer.certifier_id)
        first = vae_clocks.next_due(deadlines_of(c, s.actualisation_months))
        if first is not None:
            out[c.pk] = (first, first.level(today, s.alert_days))
    return out


def view_of(c: Candidacy, today: datetime.date) -> list[dict]:
    """The candidacy's clocks for its own page (candidate, accompagnateur, certifier)."""
    conf = settings_for(c.offer.certifier_id)
    return [
        {
            "d": d,
            "level": d.level(today, conf.alert_days),
            "days": d.days_left(today),
            "late_by": -d.days_left(today),
        }
        for d in deadlines_of(c, conf.actualisation_months)
    ]


# --- the daily tick ---------------------------------------------------------------------------
def _system_move(candidacy: Candidacy, action: str) -> None:
    from .services import _move

    _move(candidacy, action, vae_flow.SYSTEM, None)


def _lock(pk) -> Candidacy | None:
    # Only the candidacy's row: PostgreSQL refuses FOR UPDATE on the nullable side of the outer
    # join that the accompagnateur (optional) brings, and the people need no lock.
    return (
        Candidacy.objects.select_for_update(of=("self",))
        .select_related("offer__referentiel", "candidate", "guide")
        .filter(pk=pk)
        .first()
    )


@transaction.atomic
def record_implicit(pk, today: datetime.date) -> bool:
    """The two months have run out with no answer: the file is recevable, recorded once (the
    row is locked and its state read again, so a second run finds it recevable already)."""
    c = _lock(pk)
    if c is None or c.status != Candidacy.SENT or c.submitted_at is None:
        return False
    if not vae_clocks.implicit_admissible(_day(c.submitted_at), today):
        return False
    AdmissibilityDecision.objects.create(
        candidacy=c,
        decision=Candidacy.ADMISSIBLE,
        reasons=IMPLICIT_REASON,
        decided_by=None,
        implicit=True,
    )
    c.actualised_at = _moment(today)  # the actualisation's clock starts at recevabilité
    _system_move(c, "implicit")
    title = c.offer.referentiel.title
    after_commit(
        send_mail,
        "Livret — votre dossier VAE est recevable (décision implicite)",
        f"Votre dossier de faisabilité « {title} » est recevable.\n\n{IMPLICIT_REASON}",
        None,
        [c.candidate.email],
    )
    if c.guide_id:
        notify(
            [c.guide],
            "vae",
            f"Recevable (décision implicite) — {c.candidate.get_full_name()}, {title}",
            IMPLICIT_REASON,
            reverse("vae_dossier", args=[c.pk]),
        )
    return True


@transaction.atomic
def record_lapse(pk, today: datetime.date) -> bool:
    """A recevable candidacy not confirmed within the certifier's period lapses, once."""
    c = _lock(pk)
    if c is None or c.status != Candidacy.ADMISSIBLE:
        return False
    months = settings_for(c.offer.certifier_id).actualisation_months
    start = _day(c.actualised_at) or _day(
        c.admissibility_decisions.aggregate(m=Max("decided_at"))["m"]
    )
    if start is None or not vae_clocks.lapsed(start, today, months):
        return False
    _system_move(c, "lapse")
    if c.guide_id:
        notify(
            [c.guide],
            "vae",
            f"Candidature caduque (non actualisée) — {c.candidate.get_full_name()}, "
            f"{c.offer.referentiel.title}",
            "",
            reverse("vae_dossier", args=[c.pk]),
        )
    return True


def tick(today: datetime.date | None = None) -> dict:
    """What `livret vae tick` does each day; a second run the same day changes nothing."""
    today = today or timezone.localdate()
    done = {"recevables": 0, "caduques": 0}
    for pk in Candidacy.objects.filter(status=Candidacy.SENT).values_list("pk", flat=True):
        done["recevables"] += record_implicit(pk, today)
    for pk in Candidacy.objects.filter(status=Candidacy.ADMISSIBLE).values_list("pk", flat=True):
        done["caduques"] += record_lapse(pk, today)
    return done


@transaction.atomic
def actualise(candidacy: Candidacy, user) -> Candidacy:
    """The candidate (or his accompagnateur) confirms he goes on: the clock starts again."""
    from .services import _check

    role = (
        vae_flow.GUIDE
        if user.pk == candidacy.guide_id and user.pk != candidacy.candidate_id
        else vae_flow.CANDIDATE
    )
    _check(candidacy, "actualise", role)
    candidacy.actualised_at = timezone.now()
    candidacy.save(update_fields=["actualised_at", "updated_at"])
    return candidacy


# --- the result, told to everyone it concerns -------------------------------------------------
def tell_result(result: JuryResult) -> None:
    """Code du travail, art. R. 6412-5: the result is notified to the candidate and, where there
    is one, to the person who accompanies him, within fifteen days of the jury. Told as soon as
    it is recorded (a notification and an e-mail each); the day is kept for the clock."""
    c = result.candidacy
    title = c.offer.referentiel.title
    url = reverse("vae_dossier", args=[c.pk])
    verdict = result.get_result_display()
    blocs = ", ".join(b.code for b in result.blocs.order_by("position"))
    body = (
        f"Le jury du {result.jury_date:%d/%m/%Y} a rendu sa décision pour « {title} » : "
        f"{verdict.lower()}." + (f"\nBlocs validés : {blocs}." if blocs else "")
    )
    people = [c.candidate] + ([c.guide] if c.guide_id else [])
    notify(
        [c.guide] if c.guide_id else [],
        "vae",
        f"Résultat du jury — {c.candidate.get_full_name()}, {title}",
        body,
        url,
    )
    # _move already notified the candidate of the step; the letter goes by e-mail to both.
    for person in people:
        if person.email:
            after_commit(
                send_mail,
                f"Livret — résultat du jury VAE : {verdict.lower()}",
                body
                + "\n\nLa lettre de décision est sur votre espace VAE."
                + (
                    ""
                    if person.pk == c.candidate_id
                    else f"\n(Vous recevez ce message comme accompagnateur de "
                    f"{c.candidate.get_full_name()}.)"
                ),
                None,
                [person.email],
            )
    result.notified_at = timezone.now()
    result.save(update_fields=["notified_at"])


def leave_certificate(candidacy: Candidacy, today: datetime.date) -> dict:
    """What the certificate of participation says: the steps of the journey with their dates,
    for the employer of a candidate on VAE leave (congé pour validation des acquis de
    l'expérience, Code du travail, art. R. 6422-1 and following; forty-eight hours since décret
    n° 2024-332 du 10 avril 2024)."""
    steps = [
        (e.at, e.label)
        for e in candidacy.events.all()
        if e.action in ("submit", "admissible", "implicit", "send_validation", "jury")
    ]
    result = getattr(candidacy, "jury_result", None)
    return {
        "c": candidacy,
        "steps": steps,
        "jury_date": result.jury_date if result else None,
        "hours": LEAVE_HOURS,
        "today": today,
    }
