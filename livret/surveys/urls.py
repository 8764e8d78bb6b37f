from django.urls import path

from . import links, views

urlpatterns = [
    path("questionnaires/", views.surveys, name="surveys"),
    path("questionnaires/<int:pk>/", views.survey, name="survey"),
    path("questionnaires/<int:pk>/resultats.<slug:fmt>", views.survey_export, name="survey_export"),
    path("questionnaires/reponse/<int:pk>/", views.survey_answer, name="survey_answer"),
    # A funder's contact, without an account: the code travels after the « # », never in a URL.
    path("questionnaires/lien/", links.survey_link, name="survey_link"),
    path("questionnaires/lien/reponse/", links.survey_link_answer, name="survey_link_answer"),
    path("questionnaires/ne-plus-recevoir/", links.survey_optout, name="survey_optout"),
]
