from django import template

register = template.Library()

LEVELS = {
    "acquired": ("Acquise", "text-bg-success", "A"),
    "in_progress": ("En cours d'acquisition", "text-bg-primary", "E"),
    "not_acquired": ("Non acquise", "text-bg-danger", "N"),
}


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.inclusion_tag("livret/_level.html")
def level_badge(status, short=False):
    label, css, letter = LEVELS.get(
        getattr(status, "level", None), ("Non évaluée", "text-bg-light border", "·")
    )
    return {"status": status, "label": label, "css": css, "letter": letter, "short": short}


@register.simple_tag
def level_letter(status):
    return LEVELS.get(getattr(status, "level", None), ("", "", "·"))[2]


@register.simple_tag
def level_label(status):
    return LEVELS.get(getattr(status, "level", None), ("Non évaluée", "", ""))[0]


@register.simple_tag
def grid_cell(learner_id, learner_name, competence, status, can_evaluate=True, oob=False):
    from livret.competences.cells import cell

    return cell(learner_id, str(learner_name), competence, status, can_evaluate, oob=oob)
