from django.urls import path

from . import views

urlpatterns = [
    path("seances/", views.my_sessions, name="attendance_sessions"),
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
]
