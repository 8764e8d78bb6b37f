"""Attendance actions: each one atomic function that takes the acting user, checks what may be
done now, writes, and notifies after the commit."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from livret import uploads
from livret.engine import attendance as rules
from livret.engine import wording
from livret.lifecycle import Refused, after_commit
from livret.notifications.services import notify
from livret.people.models import Learner, Profile
from livret.periods.compliance import cohort_plan
from livret.periods.models import Period

from . import alerts
from .models import (
    AbsenceReason,
    Attendance,
    CentreSettings,
    Correction,
    FeedToken,
    Justification,
    LegalRepresentative,
    Session,
    SheetSignature,
    WeeklyPattern,
)

SIGNED = "La feuille d'émargement est signée : seule une correction motivée peut la modifier."


def settings_of(centre) -> CentreSettings:
    found, _ = CentreSettings.objects.get_or_create(centre=centre)
    return found


def seed_reasons(centre) -> None:
    AbsenceReason.objects.bulk_create(
        [AbsenceReason(centre=centre, label=label) for label in AbsenceReason.DEFAULTS],
        ignore_conflicts=True,
    )


@transaction.atomic
def generate_sessions(cohort, user, start: datetime.date, end: datetime.date) -> int:
    """Sessions of the weekly pattern on each centre day of the cohort's calendar between start
    and end (public holidays and closures excluded); a slot already there is left as it is."""
    if end < start:
        raise ValidationError("La fin précède le début.")
    slots = [
        rules.Slot(p.weekday, p.start, p.end, p)
        for p in WeeklyPattern.objects.filter(cohort=cohort).select_related("module", "trainer")
    ]
    if not slots:
        raise ValidationError("Saisissez d'abord la semaine type de la promotion.")
    days = [(d.day, d.place) for d in cohort_plan(cohort, start, end).days]
    existing = set(
        Session.objects.filter(cohort=cohort, date__range=(start, end)).values_list("date", "start")
    )
    made, count = [], 0
    for day, slot in rules.generate(days, slots):
        if (day, slot.start) in existing:
            continue
        s = Session.objects.create(
            cohort=cohort,
            date=day,
            start=slot.start,
            end=slot.end,
            module=slot.key.module,
            room=slot.key.room,
            created_by=user,
        )
        count += 1
        if slot.key.trainer_id:
            made.append(Session.trainers.through(session_id=s.pk, user_id=slot.key.trainer_id))
    Session.trainers.through.objects.bulk_create(made)
    return count


@transaction.atomic
def save_session(session: Session, user, trainers=(), now=None) -> Session:
    """Create or edit (move, change module, room, trainers) a session; a signed one is frozen."""
    if session.pk and SheetSignature.objects.filter(session_id=session.pk).exists():
        raise Refused(SIGNED)
    if session.pk and session.state == Session.CANCELLED:
        raise Refused("Cette séance est annulée.")
    if session.created_by_id is None:
        session.created_by = user
    else:
        session.updated_by, session.updated_at = user, now or timezone.now()
    if session.module_id and session.module.cohort_id != session.cohort_id:
        raise ValidationError({"module": "Ce module n'est pas un module de la promotion."})
    session.full_clean()
    session.save()
    session.trainers.set(trainers)
    return session


@transaction.atomic
def cancel_session(session: Session, user, reason: str = "", now=None) -> None:
    """A session is cancelled with its reason (who, when): it stays on the timetable, struck."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif de l'annulation."})
    session = Session.objects.select_for_update().get(pk=session.pk)
    if SheetSignature.objects.filter(session=session).exists():
        raise Refused(SIGNED)
    if session.state == Session.CANCELLED:
        raise Refused("Cette séance est déjà annulée.")
    session.state = Session.CANCELLED
    session.cancel_reason = reason[:300]
    session.cancelled_by, session.cancelled_at = user, now or timezone.now()
    session.save(update_fields=["state", "cancel_reason", "cancelled_by", "cancelled_at"])


@transaction.atomic
def add_slot(cohort, user, slot: WeeklyPattern) -> WeeklyPattern:
    """One slot of the cohort's weekly pattern (the module, if any, is the cohort's own; the
    trainer, if any, of the cohort's centre)."""
    slot.cohort = cohort
    if slot.module_id and slot.module.cohort_id != cohort.pk:
        raise ValidationError({"module": "Ce module n'est pas un module de la promotion."})
    clash = WeeklyPattern.objects.filter(
        cohort=cohort, weekday=slot.weekday, start__lt=slot.end, end__gt=slot.start
    )
    if clash.exists():
        raise ValidationError({"start": "Ce créneau chevauche un créneau de la semaine type."})
    slot.full_clean()
    slot.save()
    return slot


@transaction.atomic
def remove_slot(cohort, slot_id: int) -> None:
    WeeklyPattern.objects.filter(cohort=cohort, pk=slot_id).delete()


def expected_learners(session: Session):
    """The cohort's learners expected at the session: under contract that day (or without dates)
    and not in company for a period covering the day."""
    day = session.date
    # One period covering the day (NOT EXISTS, correlated): exclude(periods__start__lte=day,
    # periods__end__gte=day) tested the two bounds on any two periods — a learner with a past
    # period and a coming one was left off the roll — and read the whole periods table.
    in_company = Period.objects.filter(learner_id=OuterRef("pk"), start__lte=day, end__gte=day)
    return (
        Learner.objects.filter(cohort_id=session.cohort_id)
        .filter(Q(contract_start__isnull=True) | Q(contract_start__lte=day))
        .filter(Q(contract_end__isnull=True) | Q(contract_end__gte=day))
        .filter(~Exists(in_company))
        .order_by("last_name", "first_name", "id")
    )


def _session_window(session):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(session.date, session.start, tzinfo=tz)
    end = datetime.datetime.combine(session.date, session.end, tzinfo=tz)
    return start, end


def current_code(session: Session, now=None) -> str:
    """The code the trainer shows now (never the secret)."""
    now = now or timezone.now()
    return rules.signing_code(bytes(session.signing_secret), session.pk, rules.minute_window(now))


@transaction.atomic
def sign_with_code(session_id: int, learner: Learner, code: str, now=None) -> Attendance:
    """The learner signs his presence with the code shown in the room."""
    now = now or timezone.now()
    session = Session.objects.select_for_update().get(pk=session_id)
    if session.state == Session.CANCELLED:
        raise Refused("Cette séance est annulée.")
    if SheetSignature.objects.filter(session=session).exists():
        raise Refused("La feuille d'émargement est déjà signée par le formateur.")
    if not expected_learners(session).filter(pk=learner.pk).exists():
        raise Refused("Vous n'êtes pas attendu à cette séance.")
    why = rules.signing_refusal(now, *_session_window(session))
    if why:
        raise Refused(why)
    if not rules.code_is_valid(bytes(session.signing_secret), session.pk, code, now):
        raise Refused("Code incorrect ou expiré : saisissez le code affiché en ce moment.")
    row, _ = Attendance.objects.get_or_create(session=session, learner=learner)
    if row.signed_at is None:
        row.signed_at, row.signed_how, row.signer = now, Attendance.LEARNER_CODE, learner.user
        if row.status == rules.ABSENT:
            row.status = rules.PRESENT
        row.save()
    return row


@transaction.atomic
def sign_on_device(session: Session, learner: Learner, trainer, now=None) -> Attendance:
    """A learner without a phone signs on the trainer's device."""
    now = now or timezone.now()
    session = Session.objects.select_for_update().get(pk=session.pk)
    if SheetSignature.objects.filter(session=session).exists():
        raise Refused(SIGNED)
    if not expected_learners(session).filter(pk=learner.pk).exists():
        raise Refused("Cet apprenant n'est pas attendu à cette séance.")
    row, _ = Attendance.objects.get_or_create(session=session, learner=learner)
    row.status = rules.PRESENT if row.status == rules.ABSENT else row.status
    row.signed_at, row.signed_how, row.signer = now, Attendance.TRAINER_DEVICE, trainer
    row.save()
    return row


def _clean_mark(status: str, minutes, planned: int) -> tuple[str, int]:
    if status not in rules.STATUSES:
        raise ValidationError("Présence inconnue.")
    try:
        minutes = int(minutes or 0)
    except (TypeError, ValueError):
        raise ValidationError("Minutes : un nombre entier.") from None
    if status in (rules.LATE, rules.LEFT_EARLY):
        if not 0 < minutes <= planned:
            raise ValidationError(f"Minutes de retard ou de départ : entre 1 et {planned}.")
    else:
        minutes = 0
    return status, minutes


@transaction.atomic
def call_roll(session: Session, user, marks: dict[int, tuple[str, int]], sign: bool, now=None):
    """The trainer's roll call: a mark per expected learner (learner id → (status, minutes));
    with sign, the sheet is signed and locked, and the employer told of unjustified absences."""
    now = now or timezone.now()
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.state == Session.CANCELLED:
        raise Refused("Cette séance est annulée.")
    if SheetSignature.objects.filter(session=session).exists():
        raise Refused(SIGNED)
    expected = {lr.pk: lr for lr in expected_learners(session)}
    unknown = set(marks) - set(expected)
    if unknown:
        raise ValidationError("Un apprenant marqué n'est pas attendu à cette séance.")
    rows = {a.learner_id: a for a in Attendance.objects.filter(session=session)}
    for pk, (status, minutes) in marks.items():
        status, minutes = _clean_mark(status, minutes, session.minutes)
        row = rows.get(pk) or Attendance(session=session, learner_id=pk)
        row.status, row.minutes = status, minutes
        if status != rules.ABSENT and row.signed_at is None:
            row.signed_at, row.signed_how, row.signer = now, Attendance.TRAINER, user
        row.save()
        rows[pk] = row
    if sign:
        for pk in expected:
            if pk not in rows:
                raise ValidationError("Chaque apprenant attendu doit être marqué avant de signer.")
        SheetSignature.objects.create(session=session, trainer=user, signed_at=now)
        _tell_employers(session, [rows[pk] for pk in expected], now)
        alerts.changed(expected)
    return rows


def _covering_justification(learner_id, day):
    return (
        Justification.objects.filter(learner_id=learner_id, first_day__lte=day, last_day__gte=day)
        .exclude(state=Justification.REFUSED)
        .order_by("-sent_at")
        .first()
    )


def _tell_employers(session, rows, now) -> None:
    """Each unjustified absence (never an excused one) told the same day to the tutor, the
    company's contacts and a minor's legal representatives."""
    absent = [
        r
        for r in rows
        if r.status == rules.ABSENT
        and not r.excused
        and r.notified_on is None
        and not (r.justification_id and r.justification.state == Justification.ACCEPTED)
    ]
    if not absent:
        return
    learners = {
        lr.pk: lr
        for lr in Learner.objects.filter(pk__in=[r.learner_id for r in absent]).select_related(
            "tutor", "company"
        )
    }
    for r in absent:
        lr = learners[r.learner_id]
        accepted = _covering_justification(lr.pk, session.date)
        if accepted is not None and accepted.state == Justification.ACCEPTED:
            r.justification = accepted
            r.save(update_fields=["justification"])
            continue
        title = f"Absence de {lr.first_name} {lr.last_name} le {session.date:%d/%m/%Y}"
        body = (
            f"{lr.first_name} {lr.last_name} était absent(e) à la séance du {session.date:%d/%m/%Y} "
            f"de {session.start:%H:%M} à {session.end:%H:%M}"
            + (f" ({session.module})" if session.module_id else "")
            + ". "
            # His status says why it matters: work time for an apprentice, a pupil's duty.
            + (f"{rule} " if (rule := wording.word(lr.status, "absence_rule")) else "")
            + "Un justificatif peut être envoyé depuis la page d'assiduité."
        )
        url = reverse("attendance_learner", args=[lr.pk])
        recipients = [lr.tutor]
        if lr.company_id:
            recipients += [
                p.user
                for p in Profile.objects.filter(
                    organisation_id=lr.company_id, role=Profile.TUTOR
                ).select_related("user")
            ]
        notify({u.pk: u for u in recipients if u}.values(), "absence", title, body, url)
        if lr.birth_date and _is_minor(lr.birth_date, session.date):
            emails = list(
                LegalRepresentative.objects.filter(learner=lr).values_list("email", flat=True)
            )
            if emails:
                after_commit(
                    send_mail,
                    title,
                    body,
                    settings.DEFAULT_FROM_EMAIL,
                    emails,
                    fail_silently=True,
                )
        r.notified_on = now.date()
        r.save(update_fields=["notified_on"])


def _is_minor(birth: datetime.date, day: datetime.date) -> bool:
    age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    return age < 18


@transaction.atomic
def correct(attendance: Attendance, user, status: str, minutes, reason: str, now=None):
    """A signed sheet changes only by a dated, attributed correction with its reason."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Indiquez le motif de la correction.")
    row = Attendance.objects.select_for_update().select_related("session").get(pk=attendance.pk)
    status, minutes = _clean_mark(status, minutes, row.session.minutes)
    before = {"status": row.status, "minutes": row.minutes}
    after = {"status": status, "minutes": minutes}
    if before == after:
        raise ValidationError("La correction ne change rien.")
    Correction.objects.create(
        attendance=row, author=user, at=now, reason=reason[:300], before=before, after=after
    )
    row.status, row.minutes = status, minutes
    row.save(update_fields=["status", "minutes"])
    alerts.changed([row.learner_id])
    return row


@transaction.atomic
def send_justification(learner: Learner, user, reason, first_day, last_day, comment, upload):
    """The learner or his tutor sends a justificatif (file type read from its content)."""
    if reason is None or reason.centre_id != learner.centre_id or not reason.active:
        raise ValidationError("Choisissez un motif de la liste.")
    if last_day < first_day:
        raise ValidationError("La fin précède le début.")
    j = Justification(
        learner=learner,
        reason=reason,
        first_day=first_day,
        last_day=last_day,
        comment=comment or "",
        sent_by=user,
    )
    if upload is not None:
        j.file_type = uploads.check(upload)
        j.file.save(f"{learner.pk}{uploads.suffix_for(j.file_type)}", upload, save=False)
    j.save()
    return j


@transaction.atomic
def decide_justification(
    j: Justification, user, accept: bool, reason: str = "", now=None
) -> Justification:
    """The manager accepts or refuses (with the reason); whoever sent it (the learner or his
    tutor) is told of the decision and its reason, as he chose to be notified. An accepted one
    justifies the learner's absences (and lateness) of those days."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError({"reason": "Indiquez le motif du refus."})
    j = Justification.objects.select_for_update().get(pk=j.pk)
    if j.state != Justification.PENDING:
        raise Refused("Ce justificatif a déjà été traité.")
    j.state = Justification.ACCEPTED if accept else Justification.REFUSED
    j.decided_by, j.decided_at = user, now
    j.decision_reason = "" if accept else reason[:300]
    j.save()
    _tell_sender(j)
    if accept:
        Attendance.objects.filter(
            learner_id=j.learner_id,
            session__date__range=(j.first_day, j.last_day),
        ).exclude(status=rules.PRESENT).update(justification=j)
        alerts.changed([j.learner_id])
    return j


def _tell_sender(j: Justification) -> None:
    """The sender of a justificatif learns the manager's decision (with the refusal's reason);
    the manager who sent one himself is not told what he decided."""
    if j.sent_by_id == j.decided_by_id:
        return
    lr = Learner.objects.get(pk=j.learner_id)
    days = (
        f"du {j.first_day:%d/%m/%Y}"
        if j.first_day == j.last_day
        else f"du {j.first_day:%d/%m/%Y} au {j.last_day:%d/%m/%Y}"
    )
    accepted = j.state == Justification.ACCEPTED
    title = (
        f"Justificatif {'accepté' if accepted else 'refusé'} : absence de {lr.first_name} "
        f"{lr.last_name} {days}"
    )
    body = (
        f"Le justificatif d'absence de {lr.first_name} {lr.last_name} {days} ({j.reason}) a été "
        + (
            "accepté : les absences et retards de ces jours sont justifiés."
            if accepted
            else f"refusé. Motif du refus : {j.decision_reason}"
        )
    )
    notify([j.sent_by], "justification", title, body, reverse("attendance_learner", args=[lr.pk]))


@transaction.atomic
def save_settings(centre, threshold_percent: int, absence_run: int) -> CentreSettings:
    if not 0 <= threshold_percent <= 100:
        raise ValidationError("Le seuil est un pourcentage entre 0 et 100.")
    if not 1 <= absence_run <= 50:
        raise ValidationError("Le nombre d'absences consécutives est entre 1 et 50.")
    s = settings_of(centre)
    s.threshold_percent, s.absence_run = threshold_percent, absence_run
    s.save()
    # Every learner of the centre: inline up to a few hundred, else the scheduler's next run.
    alerts.changed(Learner.objects.filter(centre=centre).values_list("pk", flat=True))
    return s


@transaction.atomic
def add_reason(centre, label: str) -> AbsenceReason:
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": "Saisissez le motif."})
    if AbsenceReason.objects.filter(centre=centre, label__iexact=label).exists():
        raise ValidationError({"label": "Ce motif est déjà dans la liste."})
    return AbsenceReason.objects.create(centre=centre, label=label[:120])


@transaction.atomic
def set_reason_active(centre, reason_id: int, active: bool) -> None:
    """A reason is withdrawn from the list, not deleted: past justificatifs keep theirs."""
    AbsenceReason.objects.filter(centre=centre, pk=reason_id).update(active=active)


def feed_of(user) -> FeedToken:
    found, _ = FeedToken.objects.get_or_create(user=user)
    return found


@transaction.atomic
def renew_feed(user) -> FeedToken:
    """A new address for the user's sessions feed: the old one opens nothing from now on."""
    FeedToken.objects.filter(user=user).delete()
    return FeedToken.objects.create(user=user)
