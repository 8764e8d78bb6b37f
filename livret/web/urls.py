from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("referentiels/", views.diploma_list, name="diploma_list"),
    path("referentiels/recherche/", views.search, name="search"),
    path("referentiels/<slug:slug>/", views.tree, name="tree"),
    path("referentiels/<slug:slug>/blocs/", views.blocs, name="blocs"),
    path("referentiels/<slug:slug>/epreuves/", views.exams, name="exams"),
    path("referentiels/<slug:slug>/competences/<str:code>/", views.competence, name="competence"),
]
