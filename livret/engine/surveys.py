"""Satisfaction questionnaires: the questions as the centre writes them, and the results.

Pure: no Django import. A questionnaire is a list of questions, written one per line; a line
starting with « [texte] » asks for free text, « [oui/non] » for yes or no, any other line asks for
agreement on a scale of 1 to 5. Answers are anonymous; a group's results are shown only from
MIN_RESPONDENTS answers on (under that, one could tell who said what) — and only answers of people
the sender could not have placed there count towards that threshold (see `counts_for_threshold`).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from fractions import Fraction

from livret.engine.marks import show_average

MIN_RESPONDENTS = 5
# An account opened less than this before the questionnaire was created does not count towards
# MIN_RESPONDENTS: else a manager could open four accounts, answer with them and read the fifth.
ACCOUNT_AGE = datetime.timedelta(days=7)
MAX_QUESTIONS = 40
MAX_LABEL = 300
SCALE, YES_NO, TEXT = "scale", "yes_no", "text"
SCALE_LABELS = {
    1: "Pas du tout d'accord",
    2: "Plutôt pas d'accord",
    3: "Ni d'accord ni pas d'accord",
    4: "Plutôt d'accord",
    5: "Tout à fait d'accord",
}
YES_NO_LABELS = {"oui": "Oui", "non": "Non"}
_PREFIX = re.compile(r"\[([^\]]*)\]\s*(.*)")
_KINDS = {"texte": TEXT, "oui/non": YES_NO, "echelle": SCALE, "échelle": SCALE}


@dataclass(frozen=True)
class Question:
    label: str
    kind: str

    def as_line(self) -> str:
        prefix = {TEXT: "[texte] ", YES_NO: "[oui/non] ", SCALE: ""}[self.kind]
        return prefix + self.label


def parse_questions(text: str) -> tuple[list[Question], list[str]]:
    """The questions, and every problem found (each naming its line), all at once."""
    questions, errors = [], []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        kind = SCALE
        if m := _PREFIX.fullmatch(line):
            key = m[1].strip().lower()
            if key not in _KINDS:
                errors.append(
                    f"ligne {n} : « [{m[1]}] » inconnu (écrivez [texte], [oui/non] ou rien)"
                )
                continue
            kind, line = _KINDS[key], m[2].strip()
        if not line:
            errors.append(f"ligne {n} : la question est vide")
        elif len(line) > MAX_LABEL:
            errors.append(f"ligne {n} : {len(line)} caractères, {MAX_LABEL} au plus")
        else:
            questions.append(Question(line, kind))
    if not questions and not errors:
        errors.append("aucune question : écrivez une question par ligne")
    if len(questions) > MAX_QUESTIONS:
        errors.append(f"{len(questions)} questions, {MAX_QUESTIONS} au plus")
    return questions, errors


def check_answers(questions: list[Question], raw: dict[int, str]) -> tuple[dict, dict]:
    """(answers by question index, errors by question index). Scale and yes/no questions must be
    answered; free text may stay empty (2,000 characters at most)."""
    answers, errors = {}, {}
    for i, q in enumerate(questions):
        value = (raw.get(i) or "").strip()
        if q.kind == SCALE:
            if value not in {str(k) for k in SCALE_LABELS}:
                errors[i] = "choisissez une réponse de 1 à 5"
            else:
                answers[i] = int(value)
        elif q.kind == YES_NO:
            if value not in YES_NO_LABELS:
                errors[i] = "répondez oui ou non"
            else:
                answers[i] = value
        else:
            if len(value) > 2000:
                errors[i] = "2 000 caractères au plus"
            elif value:
                answers[i] = value
    return answers, errors


def counts_for_threshold(
    account_opened: datetime.datetime, survey_created: datetime.datetime
) -> bool:
    """Whether an account invited when the questionnaire is sent counts towards the threshold:
    opened at least ACCOUNT_AGE before the questionnaire was created. (Who opened an account is
    not reliably recorded — imports run as background jobs have no author —, so its age decides.)
    People invited after the sending never count."""
    return account_opened <= survey_created - ACCOUNT_AGE


@dataclass
class QuestionResult:
    question: Question
    counts: dict = field(default_factory=dict)  # choice → number of answers
    answered: int = 0
    mean: Fraction | None = None  # scale questions
    texts: list[str] = field(default_factory=list)  # free text, sorted (no answer order kept)


@dataclass
class GroupResult:
    respondents: int
    shown: bool  # False under MIN_RESPONDENTS: nothing but the count is given
    questions: list[QuestionResult]
    eligible: int = 0  # respondents counted towards MIN_RESPONDENTS


def results(
    questions: list[Question],
    answers: list[dict],
    minimum: int = MIN_RESPONDENTS,
    eligible: int | None = None,
) -> GroupResult:
    """One group's results (a cohort): counts, scale means, free texts — or nothing but the
    number of respondents when those counted towards the threshold (`eligible`, by default all)
    are fewer than `minimum`. Every answer enters the results once they are shown."""
    n = len(answers)
    eligible = n if eligible is None else min(eligible, n)
    if eligible < minimum:
        return GroupResult(n, False, [], eligible)
    out = []
    for i, q in enumerate(questions):
        r = QuestionResult(q)
        choices = SCALE_LABELS if q.kind == SCALE else YES_NO_LABELS if q.kind == YES_NO else {}
        r.counts = {c: 0 for c in choices}
        given = [a[i] for a in answers if i in a]
        r.answered = len(given)
        if q.kind == TEXT:
            r.texts = sorted(given, key=lambda t: (t.casefold(), t))
        else:
            for v in given:
                if v in r.counts:
                    r.counts[v] += 1
            if q.kind == SCALE and given:
                r.mean = Fraction(sum(given), len(given))
        out.append(r)
    return GroupResult(n, True, out, eligible)


def show_mean(value: Fraction | None) -> str:
    """Cut to the hundredth, French decimal comma; "—" when nobody answered."""
    return show_average(value)
