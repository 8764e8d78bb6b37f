from django.urls import path

from . import homes, views

urlpatterns = [
    path("promotions/", homes.cohort_list, name="cohort_list"),
    path("tableau-de-bord/", homes.dashboard, name="dashboard"),
    path("centre/", views.centre_home, name="centre_home"),
    path("centre/logo/", views.centre_logo, name="centre_logo"),
    path("centre/archive/", views.centre_archive, name="centre_archive"),
    path(
        "centre/contacts-financeurs/<int:pk>/effacer/",
        views.funder_contact_forget,
        name="funder_contact_forget",
    ),
    path("centre/<slug:kind>/", views.centre_records, name="centre_records"),
    path("centre/<slug:kind>/nouveau/", views.centre_record, name="centre_record_new"),
    path("centre/<slug:kind>/<int:pk>/", views.centre_record, name="centre_record"),
]
