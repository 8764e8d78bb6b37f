"""A small fixed-window limiter for pages that cost something (sending mail, verifying
signatures) or guard a short code: per account, or per client address (read as the login throttle reads it, behind trusted proxies)
and per page, in the shared cache. Over the limit the page answers 429 with a French message."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from .login_security import client_ip

# page → (requests allowed, window in seconds); settings.PUBLIC_THROTTLES overrides one.
DEFAULTS = {
    "vae_signup": (5, 3600),  # each sign-up may send a mail
    "vae_confirm_resend": (5, 3600),
    "badge_verify": (30, 600),
    # Six digits guessed by a learner who is not in the room: ten tries in ten minutes, counted
    # per account (he could change address, not account).
    "attendance_sign": (10, 600),
}


def allowed(request, page: str, who: str = "") -> bool:
    """Count this request; False once the client (the client address, or `who` when given) went
    over the page's limit in its window."""
    limit, window = {**DEFAULTS, **getattr(settings, "PUBLIC_THROTTLES", {})}[page]
    key = f"livret:throttle:{page}:{who or client_ip(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


# Why the wait, said on the refusal page.
REASONS = {
    "attendance_sign": (
        "Ce délai empêche de deviner le code affiché dans la salle. Si vous êtes présent, "
        "demandez au formateur de vous faire signer sur son appareil."
    ),
}
DEFAULT_REASON = (
    "Ce délai protège les adresses électroniques et le service contre les envois en masse."
)


def refused(request, page: str):
    _, window = {**DEFAULTS, **getattr(settings, "PUBLIC_THROTTLES", {})}[page]
    minutes = max(1, window // 60)
    reason = REASONS.get(page, DEFAULT_REASON)
    response = render(
        request, "web/throttled.html", {"minutes": minutes, "reason": reason}, status=429
    )
    response["Retry-After"] = str(window)
    return response
