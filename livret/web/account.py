"""« Mon compte », for every role: his name, his address (changed through a link sent to the new
one), his password, the notifications that concern his role, and — for the roles that use the API
— his tokens. Everything here is the logged-in user's own: no other account can be named."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from livret import access
from livret.people import services
from livret.people.emails import normalise_email, same_address
from livret.web.forms import EmailedCodeForm, style

REFUSED = (
    "Ce lien n'est pas valable : il a expiré (deux jours), il a déjà servi, un lien plus récent "
    "l'a remplacé, ou il a été demandé depuis un autre compte. Votre adresse n'a pas changé."
)


class NameForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class EmailForm(forms.Form):
    email = forms.CharField(
        label="Nouvelle adresse électronique",
        max_length=254,
        help_text="Un lien de confirmation y est envoyé ; l'adresse change quand vous l'ouvrez.",
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        style(self)

    def clean_email(self):
        address = normalise_email(self.cleaned_data["email"])
        if same_address(address, self.user.email):
            raise ValidationError("C'est déjà l'adresse de votre compte.")
        return address


def _is_learner(user) -> bool:
    return access.is_learner(user)


def _page(request, name_form=None, email_form=None, status=200):
    user = request.user
    return render(
        request,
        "web/account.html",
        {
            "name_form": name_form or NameForm(initial=_names(user)),
            "email_form": email_form or EmailForm(user=user),
            "learner": _is_learner(user),
            "tokens": access.uses_api_tokens(user),
            "role": access.role_of(user),
        },
        status=status,
    )


def _names(user):
    return {"first_name": user.first_name, "last_name": user.last_name}


@require_http_methods(["GET", "POST"])
def account(request):
    if request.method == "POST":
        if _is_learner(request.user):  # his name is the centre's record
            raise Http404
        form = NameForm(request.POST)
        if not form.is_valid():
            return _page(request, name_form=form, status=400)
        services.set_name(
            request.user, form.cleaned_data["first_name"], form.cleaned_data["last_name"]
        )
        messages.success(request, "Votre nom est enregistré.")
        return redirect("account")
    return _page(request)


@require_POST
def email_change(request):
    form = EmailForm(request.POST, user=request.user)
    if not form.is_valid():
        return _page(request, email_form=form, status=400)
    address = form.cleaned_data["email"]
    code = services.request_email_change(request.user, address)
    # The site's own address (SITE_URL), never the request's Host header; the code after the « # »,
    # which a browser never sends: no access log, referrer or login redirection holds it.
    link = settings.SITE_URL.rstrip("/") + reverse("account_email_confirm") + "#" + code
    send_mail(
        "Confirmez votre nouvelle adresse — Livret",
        f"Bonjour {request.user.get_full_name() or request.user.username},\n\n"
        "Vous avez demandé que les courriels de Livret vous parviennent à cette adresse.\n"
        "Pour la confirmer, ouvrez ce lien en étant connecté à votre compte :\n\n"
        f"{link}\n\n"
        f"Si la page ne reprend pas le code, saisissez-le : {code}\n\n"
        "Le lien est valable deux jours et ne sert qu'une fois. Si vous n'avez rien demandé, "
        "ignorez ce message : rien ne change.\n",
        settings.DEFAULT_FROM_EMAIL,
        [address],
    )
    messages.success(
        request,
        f"Un lien de confirmation est envoyé à {address}. Votre adresse change quand vous "
        "l'ouvrez.",
    )
    return redirect("account")


@never_cache
@require_http_methods(["GET", "POST"])
def email_confirm(request):
    """The page the e-mailed link opens: its script posts the code from after the « # »."""
    form = EmailedCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = services.confirm_email_change(request.user, form.cleaned_data["code"])
        if address is not None:
            messages.success(request, f"Votre adresse est désormais {address}.")
            return redirect("account")
        form.add_error("code", REFUSED)
    return render(
        request,
        "web/account_email_confirm.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


class PasswordChange(auth_views.PasswordChangeView):
    """Django's view: the old password asked, the project's validators (12 characters at least,
    CNIL), the session kept (update_session_auth_hash)."""

    template_name = "web/account_password.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Votre mot de passe est changé.")
        return response
