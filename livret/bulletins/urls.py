from django.urls import path

from . import views

urlpatterns = [
    path("promotions/<int:pk>/modules/", views.cohort_modules, name="cohort_modules"),
    path("promotions/<int:pk>/attestation-intermediaire/", views.cohort_ari, name="cohort_ari"),
    path(
        "promotions/<int:pk>/attestation-intermediaire/liste.pdf",
        views.cohort_ari_pdf,
        name="cohort_ari_pdf",
    ),
    path("modules/<int:pk>/", views.module_grid, name="module_grid"),
    path("modules/<int:pk>/modifier/", views.module_edit, name="module_edit"),
    path("modules/<int:pk>/evaluations/nouvelle/", views.assessment_form, name="assessment_new"),
    path(
        "modules/<int:pk>/evaluations/<int:assessment_id>/",
        views.assessment_form,
        name="assessment_edit",
    ),
    path("modules/<int:pk>/appreciations/", views.appreciations, name="module_appreciations"),
    path("livrets/<int:pk>/bulletin/", views.bulletin, name="bulletin"),
    path("livrets/<int:pk>/bulletin/pdf/", views.bulletin_pdf, name="bulletin_pdf"),
]
