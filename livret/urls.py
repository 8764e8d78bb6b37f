from django.contrib import admin
from django.urls import include, path

from livret.api import views as api_views
from livret.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("compte/jetons/", api_views.tokens, name="api_tokens"),
    path("compte/jetons/<int:pk>/revoquer/", api_views.revoke, name="api_token_revoke"),
    path("", include("livret.web.urls")),
    path("", include("livret.competences.urls")),
    path("", include("livret.periods.urls")),
    path("", include("livret.exams.urls")),
    path("", include("livret.vae.urls")),
    path("", include("livret.credentials.urls")),
    path("", include("livret.privacy.urls")),
]
