from django.urls import path

from . import views

urlpatterns = [
    path("livrets/<int:pk>/badges/", views.learner_badges, name="learner_badges"),
    path("livrets/<int:pk>/badges/<int:bloc_id>/emettre/", views.issue, name="badge_issue"),
    path("badges/<uuid:uid>/telecharger/", views.download, name="badge_download"),
    path("badges/<uuid:uid>/revoquer/", views.revoke, name="badge_revoke"),
    path("badges/verifier/", views.verify_page, name="badge_verify"),
    path("badges/emetteurs/<int:org_id>", views.issuer_profile, name="badge_issuer"),
    path("badges/emetteurs/<int:org_id>/jwks.json", views.jwks, name="badge_jwks"),
    path("badges/emetteurs/<int:org_id>/cles/<slug:name>", views.key, name="badge_key"),
    path(
        "badges/emetteurs/<int:org_id>/statut/revocation",
        views.status_list,
        name="badge_status_list",
    ),
]
