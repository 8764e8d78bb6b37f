"""Posted actions dispatched from a table instead of an if/elif chain.

Each action name maps to the rule that authorises it (checked by access.require on the object,
or on what `on` picks from it), and to `run`, which reads the form, calls one service and returns
the success message — or a response of its own (a form shown again with its errors). A refused
step (ValidationError, lifecycle.Refused among them) becomes the page's error message, as does an
unknown action; the caller then redirects: nothing here answers 500."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from livret import access


def _same(obj):
    return obj


@dataclass(frozen=True)
class Action:
    run: Callable[[HttpRequest, Any], str | HttpResponse | None]
    rule: str | None = None  # None: fetching the object for this user was the right
    on: Callable[[Any], Any] = _same


def perform(
    request: HttpRequest, actions: Mapping[str, Action], name: str | None, obj
) -> HttpResponse | None:
    """Authorise and run the posted action; its messages are set. Returns the response the
    action built, if any, else None (the caller redirects to the object's page)."""
    action = actions.get(name or "")
    if action is None:
        messages.error(request, "Action inconnue.")
        return None
    if action.rule:
        access.require(request.user, action.rule, action.on(obj))
    try:
        done = action.run(request, obj)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    if isinstance(done, HttpResponse):
        return done
    if done:
        messages.success(request, done)
    return None
