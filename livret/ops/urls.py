from django.urls import path

from . import views

urlpatterns = [
    path("livrets/<int:pk>/donnees.json", views.export, name="personal_data"),
    path("livrets/<int:pk>/anonymiser/", views.anonymise, name="anonymise"),
    path("imports/", views.imports, name="imports"),
    path(
        "imports/modele/<str:kind>-valeurs.csv",
        views.template_values,
        name="import_template_values",
    ),
    path("imports/modele/<str:kind>.csv", views.template, name="import_template"),
]
