"""The contacts box and the thread link with its unread count, for the livret page and the role
homes: `{% load threads %}{% thread_contacts learner %}`, `{% apprentices_threads apprentices %}`.
A fixed number of queries (two) whatever the number of apprentices."""

from django import template
from django.urls import reverse

from livret import access
from livret.threads import queries

register = template.Library()


@register.inclusion_tag("threads/_contacts.html", takes_context=True)
def thread_contacts(context, learner):
    user = context["request"].user
    trainers = queries.trainers_by_cohort([learner.cohort_id]).get(learner.cohort_id, [])
    if getattr(learner, "_trainer_ids", None) is None:
        learner._trainer_ids = {t.pk for t in trainers}
    may_read = access.can(user, "livret.read_thread", learner)
    return {
        "learner": learner,
        "trainers": trainers,
        "mine": learner.user_id == user.pk,
        "may_read": may_read,
        "can_write": may_read and access.can(user, "livret.write_thread", learner),
        "unread": queries.unread_counts(user, [learner.pk]).get(learner.pk, 0) if may_read else 0,
    }


@register.inclusion_tag("threads/_apprentices.html", takes_context=True)
def apprentices_threads(context, apprentices):
    """A tutor's apprentices (the rows of his home, or learners): each one's trainers and
    thread."""
    user = context["request"].user
    learners = [a["learner"] if isinstance(a, dict) else a for a in apprentices]
    trainers = queries.trainers_by_cohort({lr.cohort_id for lr in learners}) if learners else {}
    unread = queries.unread_counts(user, [lr.pk for lr in learners]) if learners else {}
    for lr in learners:
        if getattr(lr, "_trainer_ids", None) is None:
            lr._trainer_ids = {t.pk for t in trainers.get(lr.cohort_id, [])}
    return {
        "rows": [
            {
                "learner": lr,
                "trainers": trainers.get(lr.cohort_id, []),
                "unread": unread.get(lr.pk, 0),
            }
            for lr in learners
            if access.can(user, "livret.read_thread", lr)
        ]
    }


@register.inclusion_tag("threads/_write_about.html", takes_context=True)
def write_about(context, learner, kind, obj):
    """« Écrire à ce sujet »: the thread's form with this competence, situation or period
    already chosen as its subject (?sujet=kind:id), for those who write in the thread only."""
    user = context["request"].user
    if not access.can(user, "livret.write_thread", learner):
        return {"url": ""}
    url = f"{reverse('thread', args=[learner.pk])}?sujet={kind}:{int(obj.pk)}#ecrire"
    return {"url": url}
