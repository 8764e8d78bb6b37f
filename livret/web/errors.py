"""The pages of refusal, in French and inside the site (header, menu, a way back).

The rights model answers 404 for what one may not see, so the 404 page is the one users meet
most: it must not say more than « introuvable » (never that the object exists elsewhere).
"""

from __future__ import annotations

import logging

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string

log = logging.getLogger(__name__)

# When even the site's frame cannot be drawn (database down, a broken context processor), this
# page still answers: no template, no query.
BARE_500 = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Erreur du serveur — Livret</title></head><body>
<main style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>Une erreur s'est produite</h1>
<p>Le serveur n'a pas pu répondre. L'équipe technique en est informée ; rien de ce que vous aviez
enregistré avant n'est perdu. Réessayez dans quelques instants.</p>
<p><a href="/">Retourner à l'accueil</a></p></main></body></html>"""


def bad_request(request, exception=None):
    """400: names the field at fault when a view said which one (never the text of other
    exceptions, which may carry what the request should not echo)."""
    from livret.web.params import BadParameter

    message = exception.message if isinstance(exception, BadParameter) else None
    return render(request, "400.html", {"message": message}, status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # The frame (menu, user) needs the database; if drawing it fails too, the bare page answers.
    try:
        return render(request, "500.html", status=500)
    except Exception:
        log.exception("the 500 page could not be drawn with the site's frame")
        try:
            return HttpResponseServerError(render_to_string("500.html"))
        except Exception:
            return HttpResponseServerError(BARE_500)


def csrf_failure(request, reason=""):
    """A form sent from a stale page (session expired, page open for hours): say so, in French."""
    return render(request, "403_csrf.html", status=403)
