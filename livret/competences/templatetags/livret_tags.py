from django import template
from django.utils.safestring import mark_safe

from livret.competences.rows import LEVELS, badge

register = template.Library()


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def level_badge(status, short=False):
    return mark_safe(badge(status, short))  # rows.badge escapes every value


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
