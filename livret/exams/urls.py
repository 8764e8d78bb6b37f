from django.urls import path

from . import ccf_views, views

urlpatterns = [
    path("examens/", views.session_list, name="exam_sessions"),
    path("examens/nouvelle/", views.session_new, name="exam_session_new"),
    path("examens/<int:pk>/", views.deliberation, name="exam_deliberation"),
    path("examens/<int:pk>/modifier/", views.session_edit, name="exam_session_edit"),
    path("examens/<int:pk>/cloturer/", views.close, name="exam_close"),
    path("examens/<int:pk>/export.csv", views.export_csv, name="exam_csv"),
    path("examens/<int:pk>/import/", views.grades_import, name="exam_import"),
    path("examens/<int:pk>/notes/", views.grades_grid, name="exam_grades"),
    path("examens/<int:pk>/import/modele.csv", views.grades_template, name="exam_import_template"),
    path("examens/<int:pk>/signer/", views.sign, name="exam_sign"),
    path("examens/<int:pk>/inscrire/", views.register, name="exam_register"),
    path("examens/<int:pk>/nouvelle-deliberation/", views.reopen, name="exam_reopen"),
    path("examens/<int:pk>/pv.pdf", views.minutes_pdf, name="exam_pv"),
    path("examens/<int:pk>/documents/", views.session_documents, name="exam_documents"),
    path("examens/<int:pk>/pv/", views.minutes_job, name="exam_pv_job"),
    path("examens/<int:pk>/pv-<int:number>/", views.minutes_job, name="exam_pv_number_job"),
    path("examens/<int:pk>/pv-<int:number>.pdf", views.minutes_pdf, name="exam_pv_number"),
    path("examens/<int:pk>/candidats/<int:cid>/", views.candidate, name="exam_candidate"),
    path(
        "examens/<int:pk>/candidats/<int:cid>/modifier/",
        views.candidate_update,
        name="exam_candidate_update",
    ),
    path(
        "examens/<int:pk>/candidats/<int:cid>/releve.pdf",
        views.transcript_pdf,
        name="exam_transcript",
    ),
    path("examens/<int:pk>/ccf/", ccf_views.session_ccf, name="exam_ccf"),
    path("livrets/<int:pk>/ccf/", ccf_views.learner_ccf, name="learner_ccf"),
    path("ccf/<int:pk>/", ccf_views.situation, name="ccf_situation"),
    path("ccf/<int:pk>/convocation.pdf", ccf_views.convocation, name="ccf_convocation"),
    path(
        "examens/<int:pk>/candidats/<int:cid>/attestation-blocs.pdf",
        views.blocs_attestation_pdf,
        name="exam_blocs",
    ),
]
