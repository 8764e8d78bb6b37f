"""Login throttling that cannot be turned against users (django-axes, configured here).

- The client's address is read behind `TRUSTED_PROXIES` reverse proxies (X-Forwarded-For, counted
  from the right: entries further left are the client's to forge).
- Failures lock one account *from one address* (AXES_LOCKOUT_PARAMETERS): a class behind one
  address still logs in while somebody hammers a classmate's account.
- A browser where the account already logged in carries a signed device cookie (OWASP "device
  cookies"): failures from elsewhere do not lock it, so an attacker cannot keep an account locked.
  That browser has its own failure count, so a stolen or shared device is throttled too.
- A locked user reads a French message with a link to choose a new password by e-mail; doing so
  clears the lock on his account.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core import signing
from django.core.cache import cache
from django.shortcuts import render

from livret.web.forms import SetPasswordForm

DEVICE_COOKIE = "livret_device"
DEVICE_SALT = "livret.login.device"
DEVICE_MAX_AGE = 180 * 24 * 3600
MAX_ACCOUNTS_PER_DEVICE = 5


def client_ip(request) -> str:
    """The client's address, behind the configured number of trusted reverse proxies."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    if not hops:
        return remote
    # Each trusted proxy appends the address it received the request from; the last one's peer is
    # REMOTE_ADDR. The client is therefore the N-th address from the right.
    return hops[-min(proxies, len(hops))]


def _device(request) -> dict | None:
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        return signing.loads(raw, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return None


def _username(credentials) -> str:
    return ((credentials or {}).get("username") or "").strip().lower()


def _device_failures_key(device_id: str, username: str) -> str:
    return f"livret:login:device:{device_id}:{username}"


def _known_device_key(request, username: str) -> str | None:
    """The failure counter of this browser for `username`, if the account logged in here."""
    device = _device(request)
    if not device or not username or username not in device.get("accounts", []):
        return None
    return _device_failures_key(device["id"], username)


def device_locked(request, username: str) -> bool:
    """A known browser that reached its own failure limit for this account."""
    key = _known_device_key(request, (username or "").strip().lower())
    return key is not None and cache.get(key, 0) >= settings.AXES_FAILURE_LIMIT


def trusted_device(request, credentials=None) -> bool:
    """AXES_WHITELIST_CALLABLE: a known browser of this account, not itself hammered."""
    username = _username(credentials)
    return _known_device_key(request, username) is not None and not device_locked(request, username)


def count_device_failure(sender, credentials, request=None, **kwargs):
    """user_login_failed: a failure from a trusted browser counts against that browser."""
    key = _known_device_key(request, _username(credentials)) if request is not None else None
    if key is not None:
        cache.add(key, 0, timeout=int(settings.AXES_COOLOFF_TIME.total_seconds()))
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=int(settings.AXES_COOLOFF_TIME.total_seconds()))


def remember_device(sender, request, user, **kwargs):
    """user_logged_in: mark this browser as a known device of the account (cookie set below)."""
    if request is not None:
        request._livret_device_account = user.get_username().lower()


class DeviceCookieMiddleware:
    """Sets the device cookie on the response of a successful login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        account = getattr(request, "_livret_device_account", None)
        if account:
            device = _device(request) or {"id": secrets.token_hex(16), "accounts": []}
            accounts = [a for a in device.get("accounts", []) if a != account] + [account]
            device["accounts"] = accounts[-MAX_ACCOUNTS_PER_DEVICE:]
            cache.delete(_device_failures_key(device["id"], account))
            response.set_cookie(
                DEVICE_COOKIE,
                signing.dumps(device, salt=DEVICE_SALT),
                max_age=DEVICE_MAX_AGE,
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
        return response


class Login(auth_views.LoginView):
    template_name = "web/login.html"

    def post(self, request, *args, **kwargs):
        if device_locked(request, request.POST.get("username", "")):
            return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """Choosing a new password through the e-mailed link also lifts the lock on the account.
    A refused password shows the form again with status 400, each error beside its field."""

    form_class = SetPasswordForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form):
        from axes.utils import reset

        response = super().form_valid(form)
        username = self.user.get_username()
        reset(username=username)
        key = _known_device_key(self.request, username.lower())
        if key is not None:
            cache.delete(key)
        return response
