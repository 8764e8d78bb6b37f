from django.urls import path

from . import views

urlpatterns = [
    path("livrets/<int:pk>/periodes/", views.learner_periods, name="learner_periods"),
    path("livrets/<int:pk>/periodes/nouvelle/", views.period_edit, name="period_new"),
    path("livrets/<int:pk>/periodes/<int:period_id>/", views.period_edit, name="period_edit"),
    path(
        "livrets/<int:pk>/periodes/<int:period_id>/bilan/",
        views.period_review,
        name="period_review",
    ),
    path("contrats/<int:pk>/rupture/", views.contract_rupture, name="contract_rupture"),
    path("ruptures/", views.rupture_rates, name="rupture_rates"),
    path(
        "livrets/<int:pk>/periodes/<int:period_id>/contacts/",
        views.period_contacts,
        name="period_contacts",
    ),
    path("promotions/<int:pk>/calendrier/", views.cohort_calendar, name="cohort_calendar"),
    path("livrets/<int:pk>/suivi/", views.follow_ups, name="follow_ups"),
    path("suivi/<int:pk>/", views.follow_up, name="follow_up"),
    path("calendrier/<uuid:token>.ics", views.learner_ics, name="learner_ics"),
    path(
        "livrets/<int:pk>/periodes/agenda/renouveler/",
        views.renew_calendar,
        name="calendar_renew",
    ),
]
