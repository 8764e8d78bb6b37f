from django.urls import path

from . import views

urlpatterns = [
    path("livrets/<int:pk>/fil/", views.thread, name="thread"),
    path("livrets/<int:pk>/fil/ecrire/", views.thread_post, name="thread_post"),
]
