"""The site's URLs plus one view that fails, to see the 500 page a user would see."""

from django.urls import path

from livret.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("secret detail: password=hunter2")


def forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied("internal reason")


urlpatterns = [path("boom/", boom), path("interdit/", forbidden), *urlpatterns]
