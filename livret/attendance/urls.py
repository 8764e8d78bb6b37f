from django.urls import path

from . import views

urlpatterns = [
    path("seances/", views.my_sessions, name="attendance_sessions"),
    path("seances/agenda/<uuid:token>.ics", views.sessions_ics, name="attendance_ics"),
    path("seances/agenda/renouveler/", views.renew_feed, name="attendance_ics_renew"),
    path("seances/<int:pk>/appel/", views.roll_call, name="attendance_roll_call"),
    path("seances/<int:pk>/code/", views.session_code, name="attendance_code"),
    path("seances/<int:pk>/code.json", views.session_code_json, name="attendance_code_json"),
    path("seances/<int:pk>/signer/", views.sign_presence, name="attendance_sign"),
    path("assiduite/<int:pk>/", views.learner_attendance, name="attendance_learner"),
    path("seances/<int:pk>/emargement.pdf", views.sheet_pdf, name="attendance_sheet_pdf"),
    path(
        "assiduite/<int:pk>/attestation.pdf", views.certificate_pdf, name="attendance_certificate"
    ),
    path(
        "promotions/<int:pk>/assiduite.<str:fmt>",
        views.cohort_month,
        name="attendance_cohort_month",
    ),
    # The manager's pages (a trainer of the centre reads the timetable and the attendance).
    path(
        "promotions/<int:pk>/semaine-type/",
        views.cohort_pattern,
        name="attendance_cohort_pattern",
    ),
    path(
        "promotions/<int:pk>/seances/",
        views.cohort_timetable,
        name="attendance_cohort_timetable",
    ),
    path("promotions/<int:pk>/seances/nouvelle/", views.session_new, name="attendance_session_new"),
    path("seances/<int:pk>/modifier/", views.session_edit, name="attendance_session_edit"),
    path(
        "promotions/<int:pk>/assiduite/",
        views.cohort_attendance,
        name="attendance_cohort",
    ),
    path("assiduite/justificatifs/", views.justifications, name="attendance_justifications"),
    path(
        "assiduite/justificatifs/<int:pk>/fichier",
        views.justification_file,
        name="attendance_justification_file",
    ),
    path(
        "assiduite/<int:pk>/justificatif/",
        views.justification_send,
        name="attendance_justification_send",
    ),
    path("assiduite/reglages/", views.centre_settings, name="attendance_settings"),
    path("assiduite/fin-de-mois/", views.month_end, name="attendance_month_end"),
]
