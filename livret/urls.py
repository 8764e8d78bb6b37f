from django.contrib import admin
from django.urls import include, path

from livret.api import views as api_views
from livret.api.api import api
from livret.web import jobs as job_views
from livret.web import notifications as notification_views

# Refusals in French inside the site; a malformed request names the field (livret.web.params).
handler400 = "livret.web.errors.bad_request"
handler403 = "livret.web.errors.permission_denied"
handler404 = "livret.web.errors.page_not_found"
handler500 = "livret.web.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("compte/jetons/", api_views.tokens, name="api_tokens"),
    path("compte/jetons/<int:pk>/revoquer/", api_views.revoke, name="api_token_revoke"),
    path("", include("livret.centre.urls")),
    path("notifications/", notification_views.inbox, name="notifications"),
    path("notifications/tout-lu/", notification_views.read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/", notification_views.open_one, name="notification_open"),
    path(
        "notifications/preferences/",
        notification_views.preferences,
        name="notification_preferences",
    ),
    path("taches/", job_views.mine, name="jobs"),
    path("taches/<uuid:pk>/", job_views.page, name="job"),
    path("taches/<uuid:pk>/etat/", job_views.state, name="job_state"),
    path("taches/<uuid:pk>/fichier/", job_views.download, name="job_file"),
    path("", include("livret.web.urls")),
    path("", include("livret.competences.urls")),
    path("", include("livret.periods.urls")),
    path("", include("livret.exams.urls")),
    path("", include("livret.vae.urls")),
    path("", include("livret.credentials.urls")),
    path("", include("livret.ops.urls")),
    path("", include("livret.bulletins.urls")),
    path("", include("livret.surveys.urls")),
    path("", include("livret.threads.urls")),
    path("", include("livret.attendance.urls")),
    path("", include("livret.workshop.urls")),
]
