"""The centre's own marks (contrôle continu): module and semester averages, exactly.

Pure: no Django import. A mark is hundredths of a point (0–2000), or ABS (absent) or DISP
(dispensé). Neither ABS nor DISP enters an average — the convention of French school software
(Pronote's « Abs » and « Disp »): a trainer who wants an absence to weigh types 0. Averages are
`Fraction`s (never floats), and what is shown is cut, not rounded, to the hundredth: a learner at
9.995 reads 9,99, never 10,00 (the shown figure never says more than the exact one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

ABS, DISP = "ABS", "DISP"
MARKS = (ABS, DISP)
_PLAIN = re.compile(r"(\d{1,2})(?:[.,](\d{1,2}))?")


class MarkError(ValueError):
    """A typed mark that cannot be read; the message is French and says what is accepted."""


# Why a number of points was refused (NumberError.reason); each caller words it its own way.
UNREADABLE, NOT_FINITE, OUT_OF_RANGE, TOO_PRECISE = "unreadable", "not_finite", "range", "precision"


class NumberError(ValueError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def read_hundredths(value) -> int:
    """The one reading of a number of points out of 20, shared by the centre's marks
    (parse_mark) and the exam grades (jury.parse_grade): a string with a comma or a point, an
    int or a float (a JSON number), 0 to 20 with at most two decimals, as hundredths:
    "12,5" → 1250, "12.50" → 1250, 12.5 → 1250, 20 → 2000. Words (ABS, DISP, NV) are the
    callers'. Raises NumberError(reason)."""
    kind = type(value)
    if kind is str:
        # The common written forms ("12", "12.5", "12,75"), read with integers, without a Decimal.
        if (m := _PLAIN.fullmatch(value)) and (
            hundredths := int(m[1]) * 100 + int((m[2] or "0").ljust(2, "0"))
        ) <= 2000:
            return hundredths
        text = value.strip().replace(",", ".")
    elif kind is int:
        if 0 <= value <= 20:
            return value * 100
        text = str(value)
    elif kind is float:
        # Exactly what its shortest written form (str(value)) says when that has at most two
        # decimals, i.e. when value is the float nearest to hundredths / 100: one multiplication.
        if 0.0 <= value <= 20.0:  # False for NaN
            hundredths = round(value * 100)
            if hundredths / 100 == value:
                return hundredths
        text = str(value)
    else:  # None, a bool (never 0 or 1 point), a list...
        raise NumberError(UNREADABLE)
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise NumberError(UNREADABLE) from None
    if not d.is_finite():
        raise NumberError(NOT_FINITE)
    if d < 0 or d > 20:
        raise NumberError(OUT_OF_RANGE)
    if d != d.quantize(Decimal("0.01")):
        raise NumberError(TOO_PRECISE)
    return int(d * 100)


def parse_mark(raw: str) -> int | str | None:
    """ "" → None (no mark), "12,5" → 1250, "abs" → "ABS", "disp"/"dispensé" → "DISP"."""
    text = (raw or "").strip()
    if not text:
        return None
    upper = text.upper()
    if upper in (ABS, "ABSENT"):
        return ABS
    if upper in (DISP, "DISPENSÉ", "DISPENSE", "DISPENSÉE"):
        return DISP
    try:
        return read_hundredths(text)
    except NumberError as exc:
        raise MarkError(_MARK_SAYS[exc.reason].format(text=text)) from None


_MARK_SAYS = {
    UNREADABLE: "« {text} » n'est pas une note (0 à 20, ABS ou DISP)",
    NOT_FINITE: "« {text} » n'est pas une note (0 à 20, ABS ou DISP)",
    OUT_OF_RANGE: "« {text} » : la note va de 0 à 20",
    TOO_PRECISE: "« {text} » : deux décimales au plus",
}


# How a number kept in hundredths is written (show_hundredths).
FIXED, WHOLE, SHORT = "fixed", "whole", "short"


def show_hundredths(value: int | None, style: str = FIXED, sep: str = ",") -> str:
    """The one writing of a number kept in hundredths (a grade, an average, a coefficient).

    FIXED: 1250 → "12,50", 1200 → "12,00" (averages, minutes, CSV rows);
    WHOLE: 1250 → "12,50", 1200 → "12" (an exam grade as stored);
    SHORT: 1250 → "12,5", 1200 → "12" (a mark as typed, a coefficient 150 → "1,5").
    None → "". `sep="."` writes it for a machine (the CLI's JSON, a value read back)."""
    if value is None:
        return ""
    if style not in (FIXED, WHOLE, SHORT):
        raise ValueError(f"unknown style {style!r}")
    units, cents = divmod(int(value), 100)
    if style != FIXED and cents == 0:
        return str(units)
    text = f"{units}{sep}{cents:02d}"
    return text.rstrip("0") if style == SHORT else text


def show_mark(value: int | str | None) -> str:
    """1250 → "12,5", 1200 → "12", ABS, DISP, None → ""."""
    if isinstance(value, str):
        return value
    return show_hundredths(value, SHORT)


@dataclass(frozen=True)
class Weighted:
    """One term of an average: its coefficient (> 0) and its value out of 20, or None."""

    coefficient: Fraction
    value: Fraction | None


def average(terms: Iterable[Weighted]) -> Fraction | None:
    """Σ coef × value / Σ coef over the terms that have a value; None if none has."""
    total = weight = Fraction(0)
    for t in terms:
        if t.value is None:
            continue
        total += t.coefficient * t.value
        weight += t.coefficient
    return total / weight if weight else None


def as_points(value: int | str | None) -> Fraction | None:
    """A stored mark as points out of 20, or None when it does not count (ABS, DISP, empty)."""
    return Fraction(value, 100) if isinstance(value, int) else None


def module_average(marks: Iterable[tuple[Fraction, int | str | None]]) -> Fraction | None:
    """A module's average from (assessment coefficient, mark) pairs."""
    return average(Weighted(Fraction(c), as_points(v)) for c, v in marks)


def semester_average(modules: Iterable[tuple[Fraction, Fraction | None]]) -> Fraction | None:
    """The semester's average from (module coefficient, module average) pairs."""
    return average(Weighted(Fraction(c), a) for c, a in modules)


def show_average(value: Fraction | None) -> str:
    """Cut to the hundredth, French decimal comma: 9.995 → "9,99"; None → "—"."""
    if value is None:
        return "—"
    return show_hundredths((value * 100).numerator // (value * 100).denominator)


def semester_of(start_year: int, day, count: int) -> int:
    """The semester a date falls in, for a cohort starting in September of `start_year`:
    September–February is the first, March–August the second, and so on (clamped to 1…count).
    The centre's own calendar; no text fixes it, the trainer may choose another."""
    months = (day.year - start_year) * 12 + day.month - 9
    return min(max(months // 6 + 1, 1), max(count, 1))
