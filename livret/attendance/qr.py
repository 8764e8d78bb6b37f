"""The signing code as a QR code: the address of the learner's « Signer ma présence » page with
the current code in it, so that a phone's camera opens the page ready to sign. Drawn as inline
SVG by segno (pure Python, BSD-3); it holds nothing more than the six digits shown beside it."""

from __future__ import annotations

import segno
from django.urls import reverse


def sign_url(request, session, code: str) -> str:
    return request.build_absolute_uri(
        reverse("attendance_sign", args=[session.pk]) + f"?code={code}"
    )


def svg(request, session, code: str) -> str:
    qr = segno.make(sign_url(request, session, code), error="m")
    return qr.svg_inline(
        scale=6,
        title="Code QR : ouvrir « Signer ma présence » avec le code de la séance",
        svgclass="attendance-qr",
    )
