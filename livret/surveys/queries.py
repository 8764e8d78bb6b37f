"""Results of a questionnaire per cohort, in a fixed number of queries.

While it is open, a questionnaire gives its number of answers per cohort and nothing else: two
reads around one person's answer differ by one in a count, never by a row, a name or a text. Its
answers are read once it is closed, all together."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from livret.engine import surveys as engine

from .models import Invitation, Response, Tally


@dataclass
class CohortResult:
    cohort: object
    invited: int
    result: engine.GroupResult


def results(survey) -> tuple[list[CohortResult], engine.GroupResult | None]:
    """Each cohort's results, and all cohorts together — the latter only when every cohort with
    answers is shown itself (else the whole minus the shown ones would give the hidden ones).
    Open: the counts only. Closed: shown where the eligible respondents reach the threshold."""
    cohorts = list(survey.cohorts.order_by("name"))
    if not survey.closed_at:
        return [
            CohortResult(c, invited, engine.GroupResult(respondents, False, []))
            for c, invited, respondents in _live_counts(survey, cohorts)
        ], None
    questions = survey.parsed
    tallies = {t.cohort_id: t for t in Tally.objects.filter(survey=survey)}
    by_cohort = defaultdict(list)
    for cohort_id, answers in (
        Response.objects.filter(survey=survey).order_by("id").values_list("cohort_id", "answers")
    ):
        by_cohort[cohort_id].append({i: v for i, v in enumerate(answers) if v is not None})
    rows = []
    for c in cohorts:
        t = tallies.get(c.pk)
        eligible = t.eligible_respondents if t else 0
        rows.append(
            CohortResult(
                c,
                t.invited if t else 0,
                engine.results(questions, by_cohort[c.pk], eligible=eligible),
            )
        )
    answered = [r for r in rows if r.result.respondents]
    together = None
    if len(answered) > 1 and all(r.result.shown for r in answered):
        together = engine.results(
            questions,
            [a for r in answered for a in by_cohort[r.cohort.pk]],
            eligible=sum(r.result.eligible for r in answered),
        )
    return rows, together


def _live_counts(survey, cohorts) -> list[tuple]:
    """(cohort, invited, answers) while open: numbers only, whoever reads them."""
    invited = dict(
        Invitation.objects.filter(survey=survey)
        .values("cohort_id")
        .annotate(n=Count("id"))
        .values_list("cohort_id", "n")
    )
    answers = dict(
        Response.objects.filter(survey=survey)
        .values("cohort_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("cohort_id", "n")
    )
    return [(c, invited.get(c.pk, 0), answers.get(c.pk, 0)) for c in cohorts]


def export_rows(survey) -> list[list]:
    """The shown results as a table (CSV, XLSX): one row per cohort × question × choice."""
    rows, together = results(survey)
    out = [["promotion", "répondants", "question", "type", "réponse", "nombre", "moyenne"]]
    groups = [(r.cohort.name, r.result) for r in rows]
    if together is not None:
        groups.append(("Toutes les promotions", together))
    kinds = {engine.SCALE: "échelle 1 à 5", engine.YES_NO: "oui/non", engine.TEXT: "texte libre"}
    hidden = (
        f"résultats masqués : moins de {engine.MIN_RESPONDENTS} réponses qui comptent"
        if survey.closed_at
        else "questionnaire ouvert : résultats à la clôture"
    )
    for name, g in groups:
        if not g.shown:
            out.append(
                [
                    name,
                    g.respondents,
                    hidden,
                    "",
                    "",
                    "",
                    "",
                ]
            )
            continue
        for q in g.questions:
            kind = kinds[q.question.kind]
            if q.question.kind == engine.TEXT:
                for text in q.texts:
                    out.append([name, g.respondents, q.question.label, kind, text, "", ""])
                continue
            labels = (
                engine.SCALE_LABELS if q.question.kind == engine.SCALE else engine.YES_NO_LABELS
            )
            for choice, n in q.counts.items():
                out.append([name, g.respondents, q.question.label, kind, labels[choice], n, ""])
            if q.question.kind == engine.SCALE:
                out.append(
                    [
                        name,
                        g.respondents,
                        q.question.label,
                        kind,
                        "moyenne",
                        q.answered,
                        engine.show_mean(q.mean),
                    ]
                )
    return out
