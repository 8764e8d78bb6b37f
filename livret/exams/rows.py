"""The deliberation table's rows as HTML, built in Python: 500 candidates × 8 units are 4,000
cells, and the template's per-cell lookups cost two thirds of the page. The candidate's URL is
reversed once per page. Every value is escaped (html.escape, as Django's escape does)."""

from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .graded import fmt as hundredths
from .templatetags.exam_tags import LABELS

BADGES = {"admis": "text-bg-success", "rattrapage": "text-bg-primary"}
_MARK = "222222222"


def label(decision) -> str:
    return LABELS.get(decision, decision)


class Rows:
    def __init__(self, session, units, optional_units):
        self.url = escape(reverse("exam_candidate", args=[session.pk, int(_MARK)]))
        self.units = [u.code for u in units]
        self.optional = [u.code for u in optional_units]

    def cell(self, r, code, dispensed) -> str:
        g = r.grades.get(code)
        if g is None:
            return (
                "<td>disp.</td>" if code in dispensed else '<td><span class="missing">—</span></td>'
            )
        css = f' class="mark-{escape(g.mark)}"' if g.mark else ' class=""'
        k = r.control.get(code)
        ctrl = f'<br><span class="muted">ctrl {escape(k.display)}</span>' if k else ""
        return f"<td{css}>{escape(g.display)}{ctrl}</td>"

    def __call__(self, r) -> SafeString:
        c = r.candidate
        dispensed = r.dispensed
        cells = "".join(self.cell(r, code, dispensed) for code in self.units)
        optional = "".join(
            f"{escape(code)} {escape(r.grades[code].display)} "
            for code in self.optional
            if code in r.grades
        )
        if r.outcome:
            o = r.outcome
            decision = (
                f'<span class="badge {BADGES.get(o.decision, "text-bg-danger")}">'
                f"{escape(label(o.decision))}{escape(f' — {o.mention}' if o.mention else '')}"
                "</span><br>"
                f'<span class="small">{escape(" ; ".join(o.reasons))}</span>'
            )
            average = hundredths(o.average)
        else:
            decision = f'<span class="small">Incomplet : {escape(r.problem)}</span>'
            average = ""
        jury = ""
        if r.jury_decision:
            jury = (
                f"<strong>{escape(label(r.jury_decision.decision))}</strong><br>"
                f'<span class="small">{escape(r.jury_decision.reason)}</span>'
            )
        return mark_safe(  # every value above is escaped or a number
            f'<tr class="decision-{escape(r.final or "incomplet")}"><th scope="row">'
            f'<a href="{self.url.replace(_MARK, str(c.pk))}">{escape(c.last_name.upper())} '
            f'{escape(c.first_name)}</a> <span class="muted">{escape(c.number)}</span></th>'
            f'{cells}<td>{optional}</td><td class="avg">{average}</td><td>{decision}</td>'
            f"<td>{jury}</td></tr>"
        )
