"""Attendance rules: the signing code, the session's signing window, hours and assiduity.

Pure Python (no Django). A session (séance) has a start and an end; each expected learner is
present, absent, late (minutes missed at the start) or left early (minutes missed at the end).
Minutes attended are the session's minutes less what was missed; an absence is justified or not.

The signing code is TOTP-like: an HMAC-SHA256 of the session id and the minute window, keyed by a
secret drawn per session and kept server-side (never shown, never exported). A code is accepted for
the current minute and the one before, so that a code read just before the minute turns still
works, and nothing older does.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

PRESENT, ABSENT, LATE, LEFT_EARLY = "present", "absent", "late", "left_early"
STATUSES = (PRESENT, ABSENT, LATE, LEFT_EARLY)
DIGITS = 6
WINDOW_SECONDS = 60
# A learner may sign from a little before the start until the end of the session.
EARLY_SIGNING = datetime.timedelta(minutes=15)


def minute_window(moment: datetime.datetime) -> int:
    """The number of the minute `moment` falls in (aware datetimes: independent of time zone)."""
    return int(moment.timestamp()) // WINDOW_SECONDS


def signing_code(secret: bytes, session_id: int, window: int) -> str:
    """Six digits for one session and one minute window (RFC 4226's dynamic truncation)."""
    digest = hmac.new(secret, f"{session_id}:{window}".encode(), hashlib.sha256).digest()
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{number % 10**DIGITS:0{DIGITS}d}"


def code_is_valid(secret: bytes, session_id: int, code: str, now: datetime.datetime) -> bool:
    """True when `code` is this session's code of the current or the previous minute."""
    code = (code or "").strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return False
    window = minute_window(now)
    return any(
        hmac.compare_digest(signing_code(secret, session_id, w), code) for w in (window, window - 1)
    )


def signing_refusal(
    now: datetime.datetime, start: datetime.datetime, end: datetime.datetime
) -> str | None:
    """Why a learner may not sign his presence at `now` (French), or None when he may."""
    if now < start - EARLY_SIGNING:
        return "La séance n'a pas encore commencé : la signature ouvre 15 minutes avant le début."
    if now > end:
        return "La séance est terminée : il n'est plus possible de signer sa présence."
    return None


def minutes_between(start: datetime.time, end: datetime.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def attended_minutes(planned: int, status: str, missed: int = 0) -> int:
    """Minutes attended of a session of `planned` minutes; `missed`: minutes late or left early."""
    if status not in STATUSES:
        raise ValueError(f"statut inconnu : {status}")
    if status == ABSENT:
        return 0
    if status == PRESENT:
        return planned
    return max(0, planned - max(0, missed))


@dataclass(frozen=True)
class Record:
    """One learner at one session, as the sums need it."""

    day: datetime.date
    module: str  # the module's label ("" without one)
    planned: int  # minutes
    status: str
    missed: int = 0
    justified: bool = False  # an absence (or lateness) the manager accepted
    excused: bool = False  # the learner was excused beforehand: not expected


@dataclass
class Hours:
    planned: int = 0
    attended: int = 0
    absent_justified: int = 0
    absent_unjustified: int = 0

    @property
    def absent(self) -> int:
        return self.absent_justified + self.absent_unjustified

    @property
    def rate(self) -> Fraction | None:
        """Share of planned minutes attended (None with nothing planned)."""
        return Fraction(self.attended, self.planned) if self.planned else None

    def add(self, r: Record) -> None:
        if r.excused:
            return
        done = attended_minutes(r.planned, r.status, r.missed)
        self.planned += r.planned
        self.attended += done
        if r.justified:
            self.absent_justified += r.planned - done
        else:
            self.absent_unjustified += r.planned - done


@dataclass
class Summary:
    total: Hours = field(default_factory=Hours)
    by_module: dict[str, Hours] = field(default_factory=dict)


def summarise(records: Iterable[Record]) -> Summary:
    """Hours planned, attended and absent (justified or not), in all and per module."""
    out = Summary()
    for r in records:
        out.total.add(r)
        out.by_module.setdefault(r.module, Hours()).add(r)
    return out


def absence_run(records: Iterable[Record]) -> int:
    """The learner's current run of consecutive unjustified absences (sessions in time order,
    excused sessions skipped): what raises a dropout alert."""
    run = 0
    for r in records:
        if r.excused:
            continue
        if r.status == ABSENT and not r.justified:
            run += 1
        else:
            run = 0
    return run


def alerts(summary: Summary, run: int, threshold_percent: int, run_limit: int) -> list[str]:
    """The learner's assiduity alerts (French): rate under the centre's threshold, or a run of
    consecutive absences at least the centre's limit."""
    out = []
    rate = summary.total.rate
    if rate is not None and threshold_percent and rate * 100 < threshold_percent:
        out.append(f"Assiduité {format_rate(rate)}, sous le seuil de {threshold_percent} %.")
    if run_limit and run >= run_limit:
        out.append(f"{run} absences consécutives non justifiées : risque de décrochage.")
    return out


def format_rate(rate: Fraction | None) -> str:
    if rate is None:
        return "—"
    tenths = (rate * 1000 + Fraction(1, 2)) // 1
    return f"{tenths // 10},{tenths % 10} %"


def format_minutes(minutes: int) -> str:
    """« 3 h 30 », « 45 min »."""
    h, m = divmod(minutes, 60)
    if not h:
        return f"{m} min"
    return f"{h} h {m:02d}" if m else f"{h} h"


def half_day(start: datetime.time) -> str:
    return "matin" if start < datetime.time(12, 30) else "après-midi"


@dataclass(frozen=True)
class Slot:
    """One row of the weekly pattern the manager types once."""

    weekday: int  # 0 = Monday
    start: datetime.time
    end: datetime.time
    key: object = None  # the caller's pattern row


def generate(
    days: Iterable[tuple[datetime.date, str]], slots: Iterable[Slot]
) -> list[tuple[datetime.date, Slot]]:
    """Sessions from the cohort's calendar (day, place C/E) and the weekly pattern: one per slot
    on each centre day of the slot's weekday."""
    slots = list(slots)
    return [
        (day, s) for day, place in days if place == "C" for s in slots if s.weekday == day.weekday()
    ]
