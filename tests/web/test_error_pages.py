"""Pages of refusal: in French, inside the site (header and menu), a way back, no stack trace."""

import pytest
from django.test import Client

ENGLISH = ("Not Found", "Forbidden", "Server Error", "Bad Request", "CSRF verification failed")


def _assert_french_page(response, status, title):
    html = response.content.decode()
    assert response.status_code == status
    assert title in html
    assert "Retourner à l'accueil" in html or "retournez à l'accueil" in html
    for word in ENGLISH:
        assert word not in html


def test_unknown_page_is_french_404_with_the_menu(logged_client):
    response = logged_client.get("/pas-une-page/")
    _assert_french_page(response, 404, "Page introuvable")
    html = response.content.decode()
    assert "Se déconnecter" in html  # the header with the account menu
    assert "Référentiels" in html  # and the main menu


def test_anonymous_404_offers_to_log_in(client, db):
    response = client.get("/pas-une-page/")
    _assert_french_page(response, 404, "Page introuvable")
    assert "Se connecter" in response.content.decode()


@pytest.mark.urls("tests.web.error_urls")
def test_refusal_is_french_403_and_does_not_echo_the_reason(logged_client):
    response = logged_client.get("/interdit/")
    _assert_french_page(response, 403, "Accès refusé")
    assert "internal reason" not in response.content.decode()


@pytest.mark.urls("tests.web.error_urls")
def test_failure_is_french_500_without_the_exception(logged_client):
    logged_client.raise_request_exception = False
    response = logged_client.get("/boom/")
    _assert_french_page(response, 500, "Une erreur s'est produite")
    html = response.content.decode()
    assert "hunter2" not in html and "Traceback" not in html and "RuntimeError" not in html
    assert "Se déconnecter" in html


@pytest.mark.urls("tests.web.error_urls")
def test_500_still_answers_when_the_frame_cannot_be_drawn(logged_client, monkeypatch):
    # The header's unread count needs the database; if that fails too, a bare page answers.
    from livret.web import context

    def broken(user):
        raise RuntimeError("database is down")

    monkeypatch.setattr(context, "_unread", broken)
    logged_client.raise_request_exception = False
    response = logged_client.get("/boom/")
    assert response.status_code == 500
    assert "Une erreur s'est produite" in response.content.decode()


def test_stale_form_is_french_page(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/deconnexion/")
    _assert_french_page(response, 403, "Le formulaire a expiré")


def test_unread_count_is_read_aloud_in_plural(logged_client, user):
    from livret.notifications.models import Notification

    for i in range(7):
        Notification.objects.create(recipient=user, kind="evaluation", title=f"n{i}")
    html = logged_client.get("/referentiels/").content.decode()
    assert '7<span class="visually-hidden"> non lues</span>' in html
