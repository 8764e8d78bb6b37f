"""One person, one address: the account's `user.email`. Every place that writes an address — the
centre's forms, the import, « Mon compte » — checks and normalises it here, so an address one of
them refuses is refused by all."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

_VALIDATOR = EmailValidator(message="Adresse électronique invalide.")


def normalise_email(value: str | None) -> str:
    """The address as stored: no surrounding spaces, its domain in lower case (the part before
    the « @ » is the mailbox owner's and kept as typed). Empty stays empty; anything that is not an
    address raises ValidationError with a French message naming it."""
    value = (value or "").strip()
    if not value:
        return ""
    local, at, domain = value.rpartition("@")
    if at:
        value = f"{local}@{domain.lower()}"
    try:
        _VALIDATOR(value)
    except ValidationError:
        raise ValidationError(
            f"« {value} » n'est pas une adresse électronique valide.", code="invalid"
        ) from None
    return value


def same_address(a: str | None, b: str | None) -> bool:
    """Two addresses are one when they differ only by case (mail servers treat them so)."""
    return (a or "").strip().lower() == (b or "").strip().lower()
