from django.urls import path

from . import views

urlpatterns = [
    path("atelier/", views.home, name="workshop"),
    path("atelier/import/", views.import_fiche, name="workshop_import"),
    path("atelier/versions/<int:pk>/", views.version, name="workshop_version"),
    path("atelier/versions/<int:pk>/verifier/", views.validate, name="workshop_validate"),
    path("atelier/versions/<int:pk>/copier/", views.copy_version, name="workshop_copy"),
    path("atelier/versions/<int:pk>/publier/", views.publish, name="workshop_publish"),
    path("atelier/versions/<int:pk>/yaml/", views.export_yaml, name="workshop_export"),
    path("atelier/versions/<int:pk>/comparer/", views.compare_versions, name="workshop_compare"),
    path("atelier/promotions/<int:pk>/version/", views.move_cohort, name="workshop_move"),
]
