"""One grid cell as HTML, built in Python: a 30 × 82 grid has 2,460 of them, and a template include
per cell costs more than the rest of the page. The grid and the HTMX answers share this function."""

from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils.safestring import mark_safe

LETTERS = {
    "acquired": ("A", "Acquise"),
    "in_progress": ("E", "En cours d'acquisition"),
    "not_acquired": ("N", "Non acquise"),
}


def evaluate_url_pattern() -> str:
    return reverse("evaluate", args=[111111111, 222222222])


def cell(
    learner_id, learner_name, competence, status, can_evaluate, oob=False, pattern=None
) -> str:
    # f-strings with every value escaped (html.escape, as Django's escape does): format_html,
    # twice per cell, was a third of a 30 × 82 grid.
    level = getattr(status, "level", None)
    letter, label = LETTERS.get(level, ("·", "Non évaluée"))
    acquired = (
        status.acquired_on.strftime("%d/%m/%Y") if getattr(status, "acquired_on", None) else ""
    )
    css = f"cell lvl-{escape(level or 'none')}"
    swap = ' hx-swap-oob="true"' if oob else ""
    if can_evaluate:
        url = (
            (pattern or evaluate_url_pattern())
            .replace("111111111", str(learner_id))
            .replace("222222222", str(competence.pk))
        )
        aria = (
            f"{competence.code} — {learner_name} : {label}"
            + (f", acquise le {acquired}" if acquired else "")
            + ". Évaluer"
        )
        inner = (
            f'<button type="button" class="cell-btn" hx-get="{escape(url)}?cible=grille" '
            f'hx-target="#panel" aria-label="{escape(aria)}">{letter}</button>'
        )
    else:
        title = label + (f", acquise le {acquired}" if acquired else "")
        inner = f'<span title="{escape(title)}">{letter}</span>'
    return mark_safe(  # every value above is escaped, a number or a constant
        f'<td id="cell-{int(learner_id)}-{int(competence.pk)}" class="{css}"{swap}>{inner}</td>'
    )
