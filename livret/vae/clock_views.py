"""VAE pages of the clocks' side: the certificate of participation for the VAE leave."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone

from livret import access
from livret.web.pdf import pdf_response

from . import clocks, scopes


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
