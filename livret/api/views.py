"""The user's own API tokens: create (shown once), list, revoke."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from livret import access
from livret.web.forms import style

from . import scopes, services


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text="L'outil qui l'utilisera, par exemple « tableur de suivi ».",
        error_messages={"required": "Donnez un nom au jeton (l'outil qui l'utilisera)."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


@require_http_methods(["GET", "POST"])
def tokens(request):
    access.require_role(request.user, access.uses_api_tokens)
    raw = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _, raw = services.issue_token(request.user, form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "tokens": scopes.visible_api_tokens(request.user).order_by("-created_at"),
            "raw": raw,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def revoke(request, pk):
    access.require_role(request.user, access.uses_api_tokens)
    token = scopes.get_api_token_for_user(request.user, pk)
    services.revoke_token(token)
    messages.success(request, f"Jeton « {token.name} » révoqué.")
    return redirect("api_tokens")
