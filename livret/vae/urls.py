from django.urls import path

from . import clock_views, jury_views, views

urlpatterns = [
    path("vae/inscription/", views.sign_up, name="vae_signup"),
    path("vae/confirmer/", views.confirm, name="vae_confirm"),
    path("vae/confirmer/nouveau-lien/", views.confirm_resend, name="vae_confirm_resend"),
    path("vae/", views.home, name="vae_home"),
    path("vae/commencer/", views.start, name="vae_start"),
    path("vae/certificateur/", views.certifier, name="vae_certifier"),
    path("vae/dossiers/<int:pk>/", views.dossier, name="vae_dossier"),
    path("vae/dossiers/<int:pk>/action/", views.action, name="vae_action"),
    path(
        "vae/dossiers/<int:pk>/experiences/nouvelle/", views.experience, name="vae_experience_new"
    ),
    path("vae/dossiers/<int:pk>/experiences/<int:eid>/", views.experience, name="vae_experience"),
    path("vae/dossiers/<int:pk>/dossier.pdf", views.dossier_pdf, name="vae_dossier_pdf"),
    path("vae/dossiers/<int:pk>/decision.pdf", views.decision_pdf, name="vae_decision_pdf"),
    path("vae/certificateur/reglages/", clock_views.settings_page, name="vae_settings"),
    path(
        "vae/dossiers/<int:pk>/attestation-conge.pdf",
        clock_views.leave_certificate_pdf,
        name="vae_leave_certificate_pdf",
    ),
    path("vae/dossiers/<int:pk>/jury/", jury_views.jury_page, name="vae_jury"),
    path(
        "vae/dossiers/<int:pk>/jury/decision/", jury_views.decision_page, name="vae_jury_decision"
    ),
    path(
        "vae/dossiers/<int:pk>/jury/convocation.pdf",
        jury_views.convocation_pdf,
        name="vae_convocation_pdf",
    ),
]
