"""VAE pages of the clocks' side: the certificate of participation for the VAE leave, the
certifier's settings of his deadlines."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from livret import access
from livret.web.forms import style
from livret.web.pdf import pdf_response

from . import clocks, scopes
from .models import VaeSettings


def leave_certificate_pdf(request, pk):
    """On the candidate's request (his own file only): the steps of his journey with their
    dates, for his employer (congé pour VAE, forty-eight hours: décret n° 2024-332)."""
    candidacy = scopes.get_candidacy_for_user(request.user, pk)
    access.require(request.user, "livret.edit_candidacy", candidacy)
    context = clocks.leave_certificate(candidacy, timezone.localdate())
    if not context["steps"]:
        messages.error(
            request, "L'attestation est disponible une fois le dossier de faisabilité envoyé."
        )
        return redirect("vae_dossier", candidacy.pk)
    return pdf_response(
        request, "vae/leave_certificate_pdf.html", context, f"attestation-vae-{candidacy.pk}.pdf"
    )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = VaeSettings
        fields = ["actualisation_months", "alert_days", "retention_years"]
        help_texts = {
            "actualisation_months": "Pratique du service public France VAE (aucun texte) : "
            "six mois. Sans actualisation dans ce délai, la candidature devient caduque.",
            "alert_days": "Une échéance plus proche est signalée « bientôt » dans la liste.",
            "retention_years": "Aucun texte trouvé ne fixe cette durée ; le candidat qui n'est "
            "pas apprenant est ensuite anonymisé (la décision du jury et les blocs validés "
            "restent).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def clean(self):
        data = super().clean()
        # Bounds that keep a deadline meaningful (a month at least, ten years at most).
        for name, low, high in (
            ("actualisation_months", 1, 24),
            ("alert_days", 1, 90),
            ("retention_years", 1, 30),
        ):
            value = data.get(name)
            if value is not None and not low <= value <= high:
                self.add_error(name, f"Entre {low} et {high}.")
        return data


@require_http_methods(["GET", "POST"])
def settings_page(request):
    """The certifier's own figures where the texts give none (his organisation's only)."""
    access.require_role(request.user, access.is_certifier)
    certifier_id = access.centre_id_of(request.user)
    form = SettingsForm(request.POST or None, instance=clocks.settings_for(certifier_id))
    if request.method == "POST" and form.is_valid():
        clocks.save_settings(form, request.user)
        messages.success(request, "Réglages VAE enregistrés.")
        return redirect("vae_certifier")
    return render(
        request,
        "vae/settings.html",
        {"form": form, "sources": clocks.SOURCES},
        status=400 if form.errors else 200,
    )
