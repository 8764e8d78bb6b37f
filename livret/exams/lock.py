"""The lock every write of a session checks first: signed minutes freeze its grades and decisions."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from .models import ExamSession


class Locked(ValidationError):
    pass


def ensure_open(session: ExamSession) -> None:
    if session.locked:
        raise Locked(
            "Le procès-verbal est signé : les notes sont verrouillées. Ouvrez une nouvelle délibération motivée pour les modifier."
        )
