"""The words of a page follow the learner's status (engine/wording.py decides them):

{% load wording %}
{{ learner|word:"learner" }}          → élève / apprenti / …
{% group_words learners as w %}{{ w.learners|capfirst }}   → for several learners
"""

from django import template

from livret.engine import wording

register = template.Library()


def _status(obj):
    return obj if isinstance(obj, str) or obj is None else getattr(obj, "status", None)


@register.filter
def word(learner, key: str) -> str:
    """The word `key` (learner, learners, the_learner, period, periods, the_period,
    periods_title, tutor) for this learner, or for this status."""
    return wording.word(_status(learner), key)


@register.simple_tag
def group_words(learners) -> dict:
    """The words for several learners (theirs if they share a status, else the neutral ones)."""
    return wording.words_for_all(_status(lr) for lr in learners)
