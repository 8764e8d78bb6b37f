"""The user's own API tokens: create (shown once), list, revoke."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .models import ApiToken


@require_http_methods(["GET", "POST"])
def tokens(request):
    raw = None
    if request.method == "POST":
        name = (request.POST.get("name") or "").strip()[:100]
        if not name:
            messages.error(request, "Donnez un nom au jeton (l'outil qui l'utilisera).")
        else:
            _, raw = ApiToken.issue(request.user, name)
    return render(
        request,
        "api/tokens.html",
        {"tokens": request.user.api_tokens.order_by("-created_at"), "raw": raw},
    )


@require_POST
def revoke(request, pk):
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    token.revoked = True
    token.save(update_fields=["revoked"])
    messages.success(request, f"Jeton « {token.name} » révoqué.")
    return redirect("api_tokens")
