"""The user's own API tokens: create (shown once), list, revoke."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from livret import access

from . import scopes, services


@require_http_methods(["GET", "POST"])
def tokens(request):
    access.require_role(request.user, access.uses_api_tokens)
    raw = None
    if request.method == "POST":
        name = (request.POST.get("name") or "").strip()[:100]
        if not name:
            messages.error(request, "Donnez un nom au jeton (l'outil qui l'utilisera).")
        else:
            _, raw = services.issue_token(request.user, name)
    return render(
        request,
        "api/tokens.html",
        {"tokens": scopes.visible_api_tokens(request.user).order_by("-created_at"), "raw": raw},
    )


@require_POST
def revoke(request, pk):
    access.require_role(request.user, access.uses_api_tokens)
    token = scopes.get_api_token_for_user(request.user, pk)
    services.revoke_token(token)
    messages.success(request, f"Jeton « {token.name} » révoqué.")
    return redirect("api_tokens")
