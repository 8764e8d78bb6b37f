from django.urls import path

from . import views

urlpatterns = [
    path("questionnaires/", views.surveys, name="surveys"),
    path("questionnaires/<int:pk>/", views.survey, name="survey"),
    path("questionnaires/<int:pk>/resultats.<slug:fmt>", views.survey_export, name="survey_export"),
    path("questionnaires/reponse/<int:pk>/", views.survey_answer, name="survey_answer"),
]
