from django.contrib.auth import views as auth_views
from django.urls import path

from . import account, login_security, views
from .forms import PasswordResetForm

urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", login_security.Login.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    # Forgotten password, and the link a new account receives to choose its password.
    path(
        "mot-de-passe/oublie/",
        auth_views.PasswordResetView.as_view(
            template_name="web/password_reset.html",
            form_class=PasswordResetForm,
            email_template_name="web/password_reset_email.txt",
            subject_template_name="web/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="web/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        login_security.PasswordResetConfirm.as_view(
            template_name="web/password_reset_confirm.html", post_reset_login=False
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/change/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="web/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    # « Mon compte », every role's own.
    path("compte/", account.account, name="account"),
    path("compte/courriel/", account.email_change, name="account_email"),
    path("compte/courriel/confirmer/", account.email_confirm, name="account_email_confirm"),
    path("compte/mot-de-passe/", account.PasswordChange.as_view(), name="account_password"),
    path("referentiels/", views.diploma_list, name="diploma_list"),
    path("referentiels/recherche/", views.search, name="search"),
    path("referentiels/<slug:slug>/", views.tree, name="tree"),
    path("referentiels/<slug:slug>/blocs/", views.blocs, name="blocs"),
    path("referentiels/<slug:slug>/epreuves/", views.exams, name="exams"),
    path("referentiels/<slug:slug>/competences/<str:code>/", views.competence, name="competence"),
]
