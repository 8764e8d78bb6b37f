"""Writing to the livret: every change goes through here, in one transaction, attributed and dated."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from livret.engine import situation_flow as flow
from livret.engine import wording
from livret.engine.progress import Fact, current
from livret.lifecycle import attribute, check, step
from livret.notifications import services as notifications

from .models import CompetenceEvaluation, CompetenceStatus, Context, Situation


@transaction.atomic
def record_evaluation(
    *,
    learner,
    competence,
    level,
    observed_on: datetime.date,
    evaluator,
    context=Context.COURSE,
    comment="",
    evidence=None,
    evidence_type="",
    situation=None,
    notify: bool = False,
) -> CompetenceEvaluation:
    """Append a fact and refresh the materialised status.

    The status row is locked first (SELECT … FOR UPDATE on PostgreSQL), so two trainers evaluating
    the same competence at once are serialised: both facts are kept, and the status is computed
    from all of them.
    """
    status = _locked_status(learner, competence)
    fact = CompetenceEvaluation(
        learner=learner,
        competence=competence,
        level=level,
        observed_on=observed_on,
        evaluator=evaluator,
        context=context,
        comment=comment,
        situation=situation,
    )
    if evidence is not None:
        fact.evidence = evidence
        fact.evidence_name = evidence.name[:200]
        fact.evidence_type = evidence_type
    fact.save()
    _refresh(status, learner, competence)
    if notify:
        notify_evaluated(learner, [fact])
    return fact


def notify_evaluated(learner, facts) -> None:
    """The apprentice hears of what was written in his livret (a digest by default)."""
    if not facts:
        return
    first = facts[0]
    title = (
        f"Nouvelle évaluation : {first.competence.code} — {first.get_level_display().lower()}"
        if len(facts) == 1
        else f"{len(facts)} nouvelles évaluations dans votre livret"
    )
    notifications.notify_parties(
        learner,
        "evaluation",
        title,
        f"Par {first.evaluator.get_full_name() or first.evaluator.username}, "
        f"le {first.observed_on:%d/%m/%Y}.",
        reverse("livret", args=[learner.pk]),
        to=[notifications.LEARNER],
    )


def _locked_status(learner, competence):
    try:
        return CompetenceStatus.objects.select_for_update().get(
            learner=learner, competence=competence
        )
    except CompetenceStatus.DoesNotExist:
        return None


def _status_values(facts) -> dict:
    """A status row's fields from its facts, (level, observed_on, id) triples: the one reading of
    the engine's rule, for one status as for a bulk rebuild."""
    facts = [Fact(level, day, seq) for level, day, seq in facts]
    now = current(facts)
    return {
        "level": now.level,
        "acquired_on": now.acquired_on,
        "latest_id": now.latest.seq,
        "evaluations": len(facts),
    }


@transaction.atomic
def rebuild_statuses(learners) -> int:
    """Every status of these learners computed again from their facts, in bulk (the demo and
    loads write thousands of facts at once). Returns the number of statuses."""
    grouped: dict[tuple[int, int], list] = {}
    for lid, cid, *fact in CompetenceEvaluation.objects.filter(learner__in=learners).values_list(
        "learner_id", "competence_id", "level", "observed_on", "id"
    ):
        grouped.setdefault((lid, cid), []).append(fact)
    CompetenceStatus.objects.filter(learner__in=learners).delete()
    rows = CompetenceStatus.objects.bulk_create(
        (
            CompetenceStatus(learner_id=lid, competence_id=cid, **_status_values(facts))
            for (lid, cid), facts in grouped.items()
        ),
        batch_size=2000,
    )
    return len(rows)


def _refresh(status, learner, competence):
    values = _status_values(
        CompetenceEvaluation.objects.filter(learner=learner, competence=competence).values_list(
            "level", "observed_on", "id"
        )
    )
    if status is None:
        try:
            with transaction.atomic():
                CompetenceStatus.objects.create(learner=learner, competence=competence, **values)
                return
        except IntegrityError:
            # Another transaction created it meanwhile: lock it and recompute with its fact included.
            status = CompetenceStatus.objects.select_for_update().get(
                learner=learner, competence=competence
            )
            return _refresh(status, learner, competence)
    for key, value in values.items():
        setattr(status, key, value)
    status.save()


# --- situations in company: each step one atomic function, checked by engine/situation_flow ---
def situation_state(situation: Situation) -> str:
    """The situation's place in its lifecycle (validated and turned into evaluations counts as a
    state of its own: it is turned once)."""
    if situation.pk is None:
        return flow.NEW
    return flow.state_of(situation.state, situation.evaluations.exists())


def check_situation(situation: Situation, action: str, role: str) -> None:
    """Refused (lifecycle.Refused) unless this step may be taken now: a page asks before it
    shows the step's form."""
    check(flow.MACHINE, situation_state(situation), action, role)


def _take(situation: Situation, action: str, role: str, user) -> Situation:
    """The situation's row locked, its step checked; the row to write, attributed to the user.
    Two tutors validating at once, or a trainer turning it while the tutor acts, are serialised:
    the second sees the state the first left."""
    locked = (
        Situation.objects.select_for_update(of=("self",))
        .select_related("learner")
        .get(pk=situation.pk)
    )
    next_state = step(flow.MACHINE, situation_state(locked), action, role)
    if next_state in (flow.PENDING, flow.RETURNED, flow.VALIDATED):
        locked.state = next_state
    return attribute(locked, user)


def _done(situation: Situation, kind: str) -> None:
    """What the notification asked about this situation is done: it is read, for everyone."""
    notifications.read_once_done(kind, reverse("situation_detail", args=[situation.pk]))


@transaction.atomic
def attach_competences(situation: Situation, competences, trainer) -> Situation:
    """The trainer attaches competences of the learner's référentiel to a situation (declared in
    free text while the référentiel gave none): until it is turned into evaluations. The
    situation's history row says who and when."""
    situation = _take(situation, "attach", flow.TRAINER, trainer)
    referentiel_id = situation.learner.cohort.referentiel_id
    if any(c.referentiel_id != referentiel_id for c in competences):
        raise ValidationError("Ces compétences ne sont pas celles du diplôme de l'apprenant.")
    situation.save()
    situation.competences.set(competences)
    return situation


@transaction.atomic
def validate_situation(situation: Situation, tutor, comment: str = "") -> Situation:
    situation = _take(situation, "validate", flow.TUTOR, tutor)
    situation.validated_by = tutor
    situation.validated_at = timezone.now()
    if comment:
        situation.tutor_comment = comment
    situation.save()
    _done(situation, "situation_declared")
    learner = situation.learner
    notifications.notify_parties(
        learner,
        "situation_validated",
        f"Situation validée par {tutor.get_full_name() or tutor.username} : {situation.title}",
        f"{learner.first_name} {learner.last_name}, le {situation.occurred_on:%d/%m/%Y}.",
        reverse("situation_detail", args=[situation.pk]),
        but=tutor,
    )
    return situation


@transaction.atomic
def record_appraisal(*, learner, competence, level, observed_on, tutor, comment=""):
    """The tutor's appraisal, a fact of its own: the trainer's level is left as it is."""
    from .models import TutorAppraisal

    return TutorAppraisal.objects.create(
        learner=learner,
        competence=competence,
        level=level,
        observed_on=observed_on,
        tutor=tutor,
        comment=comment,
    )


@transaction.atomic
def return_situation(situation: Situation, tutor, reason: str) -> Situation:
    """The tutor sends the situation back to the apprentice, saying why (kept in its history)."""
    situation = _take(situation, "return", flow.TUTOR, tutor)
    if not reason.strip():
        the_learner = wording.word(situation.learner.status, "the_learner")
        raise ValidationError({"reason": f"Écrivez ce que {the_learner} doit reprendre."})
    situation.return_reason = reason.strip()
    situation.save()
    _done(situation, "situation_declared")
    learner = situation.learner
    notifications.notify_parties(
        learner,
        "situation_returned",
        f"Situation à reprendre : {situation.title}",
        f"{tutor.get_full_name() or tutor.username} : {situation.return_reason}",
        reverse("situation_detail", args=[situation.pk]),
        to=[notifications.LEARNER],
    )
    return situation


@transaction.atomic
def resubmit_situation(form, apprentice) -> Situation:
    """The apprentice's corrected account goes back to his tutor (a validated one is frozen)."""
    returned = form.instance.state == Situation.RETURNED  # (the form leaves the state alone)
    _take(form.instance, "edit", flow.APPRENTICE, apprentice)
    situation = attribute(form.save(commit=False), apprentice)
    situation.state = Situation.PENDING
    situation.save()
    form.save_m2m()
    _done(situation, "situation_returned")
    learner = situation.learner
    notifications.notify_parties(
        learner,
        "situation_declared",
        f"Situation {'reprise' if returned else 'modifiée'}, à valider : {situation.title}",
        f"Modifiée par {learner.first_name} {learner.last_name}"
        + (" après votre renvoi." if returned else "."),
        reverse("situation_detail", args=[situation.pk]),
        to=[notifications.TUTOR],
    )
    return situation


def situation_steps(situation: Situation) -> list[dict]:
    """Declared, sent back (why), resubmitted, validated: each step, by whom and when, read from
    the situation's history."""
    steps, previous = [], None
    returned_to = wording.word(situation.learner.status, "to_the_learner")
    for h in situation.history.order_by("history_date", "history_id").select_related(
        "history_user"
    ):
        who = h.history_user.get_full_name() or h.history_user.username if h.history_user else ""
        label = None
        if previous is None:
            label = "Déclarée"
        elif h.state != previous.state:
            label = {
                Situation.RETURNED: f"Renvoyée {returned_to}",
                Situation.PENDING: "Reprise et renvoyée au tuteur",
                Situation.VALIDATED: "Validée par le tuteur",
            }[h.state]
        if label:
            steps.append(
                {
                    "label": label,
                    "who": who,
                    "at": h.history_date,
                    "why": h.return_reason if h.state == Situation.RETURNED else "",
                }
            )
        previous = h
    turned = situation.evaluations.select_related("evaluator").order_by("recorded_at", "pk").first()
    if turned is not None:
        steps.append(
            {
                "label": "Transformée en évaluations du livret",
                "who": turned.evaluator.get_full_name() or turned.evaluator.username,
                "at": turned.recorded_at,
                "why": "",
            }
        )
    return steps


@transaction.atomic
def comment_situation(situation: Situation, tutor, comment: str) -> Situation:
    situation = _take(situation, "comment", flow.TUTOR, tutor)
    situation.tutor_comment = comment
    situation.save()
    return situation


@transaction.atomic
def situation_to_evaluations(
    situation: Situation, trainer, level: str, levels: dict[int, str] | None = None
) -> list[CompetenceEvaluation]:
    """The trainer's one action, once the tutor has validated the situation, and once only: one
    fact per competence the situation mobilised, at `level` unless `levels` (competence id →
    level) gives that competence its own."""
    situation = _take(situation, "evaluate", flow.TRAINER, trainer)
    levels = levels or {}
    facts = [
        record_evaluation(
            learner=situation.learner,
            competence=competence,
            level=levels.get(competence.pk) or level,
            observed_on=situation.occurred_on,
            evaluator=trainer,
            context=Context.COMPANY,
            comment=f"Situation en entreprise : {situation.title}",
            situation=situation,
        )
        for competence in situation.competences.all()
    ]
    notify_evaluated(situation.learner, facts)
    return facts


@transaction.atomic
def evaluate_column(
    *, learners, competence, level, observed_on, evaluator, context=Context.COURSE
) -> list[CompetenceEvaluation]:
    """One competence for many learners at once: all the facts are recorded, or none."""
    return [
        record_evaluation(
            learner=learner,
            competence=competence,
            level=level,
            observed_on=observed_on,
            evaluator=evaluator,
            context=context,
            notify=True,
        )
        for learner in learners
    ]


@transaction.atomic
def declare_situation(form, learner, apprentice) -> Situation:
    """The apprentice's own account of a situation lived in company, waiting for his tutor."""
    step(flow.MACHINE, flow.NEW, "declare", flow.APPRENTICE)
    situation = attribute(form.save(commit=False), apprentice)
    situation.state = Situation.PENDING
    situation.learner = learner
    situation.created_by = apprentice
    situation.save()
    form.save_m2m()
    notifications.notify_parties(
        learner,
        "situation_declared",
        f"Situation à valider : {situation.title}",
        f"Déclarée par {learner.first_name} {learner.last_name} "
        f"(le {situation.occurred_on:%d/%m/%Y}, {situation.place}).",
        reverse("situation_detail", args=[situation.pk]),
        to=[notifications.TUTOR],
    )
    return situation
