from django import template

from livret.engine.marks import show_average, show_mark

register = template.Library()


@register.filter
def mark(value):
    """A stored mark as typed: 12,5 · ABS · DISP (empty when none)."""
    return show_mark(value)


@register.filter
def average(value):
    """An exact average cut to the hundredth, French comma (never rounded up to 10,00)."""
    return show_average(value)
