"""The Django admin is the platform operators' tool only (superusers).

Centre managers do their work in the application's own pages (livret.people.manage), which go
through livret.access like every other page. A admin that every centre's manager could open would
have to scope every list, choice, filter, history and revert page of every model — any one forgotten
is a leak between centres — so it is closed instead: anyone else gets a 404, as for an object he
may not see.
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import Http404


class PlatformAdminSite(admin.AdminSite):
    site_header = "Livret — administration de la plateforme"
    site_title = "Livret (plateforme)"
    index_title = "Administration de la plateforme"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def _refuse(self, request):
        if request.user.is_authenticated and not self.has_permission(request):
            raise Http404

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def wrapper(request, *args, **kwargs):
            self._refuse(request)
            return inner(request, *args, **kwargs)

        return update_wrapper(wrapper, view)

    def login(self, request, extra_context=None):
        self._refuse(request)
        return super().login(request, extra_context)


class PlatformAdminConfig(AdminConfig):
    default_site = "livret.web.admin_site.PlatformAdminSite"
