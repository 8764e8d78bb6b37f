from django.urls import path

from . import views

urlpatterns = [
    path("livrets/<int:pk>/periodes/", views.learner_periods, name="learner_periods"),
    path("promotions/<int:pk>/calendrier/", views.cohort_calendar, name="cohort_calendar"),
    path("calendrier/<uuid:token>.ics", views.learner_ics, name="learner_ics"),
]
