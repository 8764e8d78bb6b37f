from django import template

from livret.engine.marks import SHORT, show_hundredths

register = template.Library()
LABELS = {"admis": "Admis", "ajourne": "Ajourné", "rattrapage": "Épreuves de contrôle"}


@register.filter
def ground_label(code):
    """A dispensation ground in the règlement's words, not its code."""
    from livret.exams.grounds import label

    return label(code)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def hundredths(value):
    if value is None or value == "":
        return ""
    return show_hundredths(int(value))


@register.filter
def decision_label(value):
    return LABELS.get(value, value)


@register.filter
def coef(value):
    """A coefficient kept in hundredths: 400 → 4, 150 → 1,5."""
    return show_hundredths(int(value), SHORT)


@register.filter
def minutes(value):
    """240 → 4 h, 50 → 50 min, 150 → 2 h 30."""
    hours, rest = divmod(int(value), 60)
    if hours and rest:
        return f"{hours} h {rest:02d}"
    return f"{hours} h" if hours else f"{rest} min"


@register.filter
def at(sequence, index):
    """sequence[index] for lists (get_item is for mappings)."""
    try:
        return sequence[int(index)]
    except (IndexError, TypeError, ValueError):
        return None


@register.filter
def split_csv(value):
    return [v.strip() for v in str(value).split(",")]


@register.filter
def percent_y(value, height=200):
    """The y of a percentage in a chart of the given height (SVG's y grows downwards)."""
    # A string: a float would be localised ("150,0") and break the SVG attribute.
    return f"{height - float(value) * height / 100:.1f}"
