"""The lock every write of a session checks first: signed minutes freeze its grades and decisions."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from livret.engine import deliberation_flow

from .models import ExamSession


class Locked(ValidationError):
    pass


def ensure_open(session: ExamSession) -> None:
    """Grades change only while the session's minutes are unsigned (engine/deliberation_flow)."""
    if session.closed_at is not None:
        raise Locked(deliberation_flow.CLOSED_MESSAGE)
    if session.locked:
        raise Locked(deliberation_flow.LOCKED)
