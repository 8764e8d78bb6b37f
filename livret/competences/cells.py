"""Grid cells as HTML, built in Python: a 120 × 82 grid has 9,840 of them, and a template include
per cell costs more than the rest of the page. `row` builds a learner's row for the grid page,
`cell` one cell for the HTMX answers; both write the same HTML (a test compares them). A cell's
button names only its address: the grid's table gives every cell its target (the panel) and its
parameter (cible=grille), which htmx inherits, 34 bytes less per cell."""

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
            f'<button type="button" class="cell-btn" hx-get="{escape(url)}" '
            f'aria-label="{escape(aria)}">{letter}</button>'
        )
    else:
        title = label + (f", acquise le {acquired}" if acquired else "")
        inner = f'<span title="{escape(title)}">{letter}</span>'
    return mark_safe(  # every value above is escaped, a number or a constant
        f'<td id="cell-{int(learner_id)}-{int(competence.pk)}" class="{css}"{swap}>{inner}</td>'
    )


def rows(learners, columns, statuses, can_evaluate) -> list[str]:
    """Each learner's cells, as `cell` writes them one by one: every part that repeats (a
    learner's name and address, a column's code, a level's words, a date) escaped and formatted
    once per row, column or value instead of once per cell (9,840 cells for 120 learners).
    statuses: learner id → competence id → status (level, acquired_on)."""
    pattern = evaluate_url_pattern()
    cols = [(int(c.pk), escape(c.code)) for c in columns]
    words: dict = {}  # (level, acquired_on) → (css, letter, the words after the name)
    out = []
    for learner in learners:
        learner_id = int(learner.pk)
        mine = statuses.get(learner_id, {})
        if can_evaluate:
            head, _, tail = pattern.replace("111111111", str(learner_id)).partition("222222222")
            head, tail, name = escape(head), escape(tail), escape(str(learner))
        html = []
        for pk, code in cols:
            status = mine.get(pk)
            key = (getattr(status, "level", None), getattr(status, "acquired_on", None))
            said = words.get(key)
            if said is None:
                said = words[key] = _words(*key, can_evaluate)
            css, letter, after = said
            if can_evaluate:
                inner = (
                    f'<button type="button" class="cell-btn" hx-get="{head}{pk}{tail}" '
                    f'aria-label="{code} — {name} : {after}">{letter}</button>'
                )
            else:
                inner = f'<span title="{after}">{letter}</span>'
            html.append(f'<td id="cell-{learner_id}-{pk}" class="{css}">{inner}</td>')
        out.append(mark_safe("".join(html)))  # every value above is escaped, a number or a constant
    return out


def _words(level, acquired_on, can_evaluate):
    letter, label = LETTERS.get(level, ("·", "Non évaluée"))
    when = f", acquise le {acquired_on.strftime('%d/%m/%Y')}" if acquired_on else ""
    after = f"{label}{when}. Évaluer" if can_evaluate else f"{label}{when}"
    return f"cell lvl-{escape(level or 'none')}", letter, escape(after)
