"""One livret row as HTML, built in Python: a livret has 82 of them, and a template include per
row (with its two URLs and its badge) cost three quarters of the page. The livret page and the
HTMX answer after an evaluation share this builder; its URLs are reversed once per page.

Plain f-strings with every value escaped (html.escape, as Django's escape does): format_html
alone cost a fifth of the page at 7 calls per row."""

from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

# level → (label, badge colour, grid letter): the livret rows and the templates' tags read it.
LEVELS = {
    "acquired": ("Acquise", "text-bg-success", "A"),
    "in_progress": ("En cours d'acquisition", "text-bg-primary", "E"),
    "not_acquired": ("Non acquise", "text-bg-danger", "N"),
}
_MARK = "222222222"


def badge(status, short: bool = False) -> str:
    """The level as a badge, with the date it was acquired unless short."""
    level = getattr(status, "level", None)
    label, css, _ = LEVELS.get(level, ("Non évaluée", "text-bg-light border", "·"))
    html = f'<p class="badge {css} level level-{escape(level or "none")}">{escape(label)}</p>'
    acquired_on = getattr(status, "acquired_on", None)
    if acquired_on and not short:
        html += f' <span class="acquired-on">acquise le {acquired_on:%d/%m/%Y}</span>'
    return html


def tutor_view(appraisal, status) -> str:
    """The tutor's latest appraisal under the trainer's level; marked when they differ."""
    if appraisal is None:
        return ""
    label = LEVELS[appraisal.level][0]
    differs = status is None or status.level != appraisal.level
    mark = ' <span class="badge text-bg-warning">avis différent</span>' if differs else ""
    return (
        f'<p class="small mb-0 tutor-view">Tuteur : {escape(label.lower())} '
        f"le {appraisal.observed_on:%d/%m/%Y}{mark}</p>"
    )


class Rows:
    def __init__(self, learner, can_evaluate: bool, can_appraise=False, appraisals=None):
        self.learner_pk, self.can_evaluate = learner.pk, can_evaluate
        self.can_appraise, self.appraisals = can_appraise, appraisals or {}
        self.history = escape(reverse("history", args=[learner.pk, int(_MARK)]))
        self.evaluate = escape(reverse("evaluate", args=[learner.pk, int(_MARK)]))
        self.appraise = escape(reverse("appraise", args=[learner.pk, int(_MARK)]))

    def __call__(self, c, status, situations: int = 0, oob: bool = False) -> SafeString:
        lp, cp = self.learner_pk, c.pk
        who = ""
        if status is not None and status.latest is not None:
            latest = status.latest
            name = latest.evaluator.get_full_name() or latest.evaluator.username
            who = f'<span class="muted">{escape(name)}, {latest.observed_on:%d/%m/%Y}</span>'
        actions = []
        if status is not None:
            url = self.history.replace(_MARK, str(cp))
            actions.append(
                f'<a class="small" href="{url}" hx-get="{url}" hx-target="#hist-{lp}-{cp}" '
                f'hx-swap="innerHTML">Historique ({int(status.evaluations)})</a>'
            )
        if situations:
            actions.append(
                '<span class="badge rounded-pill text-bg-light border" title="Situations en '
                f'entreprise qui la mobilisent">{int(situations)} situation'
                f"{'s' if situations > 1 else ''}</span>"
            )
        if self.can_appraise:
            url = self.appraise.replace(_MARK, str(cp))
            actions.append(
                f'<a class="btn btn-outline-primary btn-sm" href="{url}">Apprécier'
                f'<span class="visually-hidden"> {escape(c.code)}</span></a>'
            )
        if self.can_evaluate:
            url = self.evaluate.replace(_MARK, str(cp))
            actions.append(
                f'<a class="btn btn-outline-primary btn-sm eval-btn" href="{url}" hx-get="{url}" '
                'hx-target="#panel" hx-swap="innerHTML">Évaluer</a>'
            )
        swap = ' hx-swap-oob="true"' if oob else ""
        row = (
            f'<tr id="row-{lp}-{cp}"{swap}><th scope="row"><span class="code">{escape(c.code)}'
            f'</span> {escape(c.title)}</th><td class="level-cell">{badge(status)}'
            f"{tutor_view(self.appraisals.get(cp), status)}</td>"
            f'<td class="who">{who}</td><td class="actions">{" ".join(actions)}</td></tr>'
        )
        if not oob:
            row += f'<tr class="history-row"><td colspan="4" id="hist-{lp}-{cp}"></td></tr>'
        return mark_safe(row)  # every value above is escaped or a number
