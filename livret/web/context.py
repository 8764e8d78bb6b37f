from django.utils.functional import SimpleLazyObject

from livret.access import centre_of, role_of


def role(request):
    user = getattr(request, "user", None)
    return {
        "role": role_of(user) if user is not None else None,
        # Evaluated only if a template asks: the centre's name and logo in the header.
        "centre": SimpleLazyObject(lambda: centre_of(user) if user is not None else None),
        # One COUNT on each page that shows the header to a logged-in user.
        "unread": SimpleLazyObject(lambda: _unread(user)),
    }


def _unread(user) -> int:
    from livret.notifications.services import unread_count

    return unread_count(user) if user is not None and user.is_authenticated else 0
