from django import template

from livret.engine import surveys as engine

register = template.Library()


@register.filter
def choice_label(choice, kind):
    if kind == engine.SCALE:
        return f"{choice} ({engine.SCALE_LABELS[choice].lower()})"
    return engine.YES_NO_LABELS.get(choice, choice)


@register.filter
def mean(value):
    return engine.show_mean(value)
