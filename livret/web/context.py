from django.utils.functional import SimpleLazyObject, cached_property

from livret.access import centre_of, role_of


def role(request):
    user = getattr(request, "user", None)
    return {
        "role": role_of(user) if user is not None else None,
        # Evaluated only if a template asks: the centre's name and logo in the header.
        "centre": SimpleLazyObject(lambda: centre_of(user) if user is not None else None),
        # One COUNT on each page that shows the header to a logged-in user.
        "unread": LazyCount(lambda: _unread(user)),
        # A tutor's menu names his learners as their status does (élèves for a PFMP tutor):
        # one small query, only on the pages that print it.
        "tutor_words": SimpleLazyObject(lambda: tutor_words_of(user)),
    }


def tutor_words_of(user) -> dict:
    from livret.engine import wording
    from livret.people.models import Learner

    if user is None or not user.is_authenticated:
        return wording.words_for_all([])
    statuses = Learner.objects.filter(tutor=user).values_list("status", flat=True).distinct()
    return wording.words_for_all(statuses.order_by())


class LazyCount:
    """A count computed on first use that templates can test, print and `pluralize` (a
    SimpleLazyObject has no __float__, so `pluralize` gave « 7 non lue »)."""

    def __init__(self, compute):
        self._compute = compute

    @cached_property
    def value(self) -> int:
        return self._compute()

    def __int__(self):
        return self.value

    def __float__(self):
        return float(self.value)

    def __bool__(self):
        return bool(self.value)

    def __str__(self):
        return str(self.value)

    def __eq__(self, other):
        return self.value == other

    __hash__ = None


def _unread(user) -> int:
    from livret.notifications.services import unread_count

    return unread_count(user) if user is not None and user.is_authenticated else 0
