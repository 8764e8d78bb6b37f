from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.middleware.gzip import GZipMiddleware


class LoginRequired(LoginRequiredMiddleware):
    """Every page needs a session, except the API, which has its own token authentication."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class ContentSecurityPolicy(CSPMiddleware):
    """The strict policy of settings.CONTENT_SECURITY_POLICY on every page (no inline script);
    the API's Swagger UI, a third-party page, alone may use inline style attributes."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith("/api/v1/docs"):
            parts.update = {**(parts.update or {}), "style-src": [SELF, UNSAFE_INLINE]}
        return parts


class CompressPages(GZipMiddleware):
    """Django's gzip for text only (pages, CSV, JSON, calendars): a PDF, a ZIP, an image or an
    XLSX is compressed already, and compressing its stream would only drop its Content-Length."""

    TEXT = ("text/", "application/json", "application/xml", "application/javascript")

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(self.TEXT):
            return response
        return super().process_response(request, response)
