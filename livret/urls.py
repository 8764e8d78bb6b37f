from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("livret.web.urls")),
    path("", include("livret.competences.urls")),
    path("", include("livret.periods.urls")),
    path("", include("livret.exams.urls")),
    path("", include("livret.vae.urls")),
]
