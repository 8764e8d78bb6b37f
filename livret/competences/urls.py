from django.urls import path

from . import views

urlpatterns = [
    path("accueil/", views.home, name="role_home"),
    path("mon-livret/", views.learner_home, name="learner_home"),
    path("tuteur/", views.tutor_home, name="tutor_home"),
    path("personnes/", views.people_search, name="people_search"),
    path("promotions/<int:pk>/grille/", views.grid, name="grid"),
    path("promotions/<int:pk>/livret.xlsx", views.grid_xlsx, name="grid_xlsx"),
    path("promotions/<int:pk>/livrets-pdf/", views.cohort_livrets, name="cohort_livrets"),
    path(
        "promotions/<int:pk>/competences/<int:competence_id>/evaluer/",
        views.evaluate_column,
        name="evaluate_column",
    ),
    path("livrets/<int:pk>/", views.livret, name="livret"),
    path("livrets/<int:pk>/pdf/", views.livret_pdf, name="livret_pdf"),
    path("livrets/<int:pk>/viser/", views.sign_livret, name="sign_livret"),
    path(
        "livrets/<int:pk>/competences/<int:competence_id>/historique/",
        views.history,
        name="history",
    ),
    path(
        "livrets/<int:pk>/competences/<int:competence_id>/evaluer/", views.evaluate, name="evaluate"
    ),
    path(
        "livrets/<int:pk>/competences/<int:competence_id>/apprecier/",
        views.appraise,
        name="appraise",
    ),
    path("livrets/<int:pk>/situations/nouvelle/", views.situation_new, name="situation_new"),
    path("situations/<int:pk>/", views.situation_detail, name="situation_detail"),
    path("situations/<int:pk>/valider/", views.situation_validate, name="situation_validate"),
    path("situations/<int:pk>/modifier/", views.situation_edit, name="situation_edit"),
    path("situations/<int:pk>/evaluer/", views.situation_evaluate, name="situation_evaluate"),
    path(
        "situations/<int:pk>/competences/",
        views.situation_competences,
        name="situation_competences",
    ),
    path("preuves/<int:evaluation_id>/", views.evidence, name="evidence"),
]
