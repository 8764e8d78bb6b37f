from django import template

from livret.engine.marks import show_mark

register = template.Library()


@register.filter
def mark(value):
    """A stored mark as typed: 12,5 · ABS · DISP (empty when none)."""
    return show_mark(value)
