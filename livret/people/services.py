"""Writing the centre's own records: one function per action, in one transaction, attributed
(simple_history records who changed what, and when)."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import EmailChange, Learner, Organisation, Profile


def password_link(user, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url + reverse("password_reset_confirm", args=[uid, token])


def send_welcome(user, centre: Organisation, base_url: str) -> None:
    send_mail(
        f"Votre accès à Livret — {centre.name}",
        f"Bonjour {user.get_full_name()},\n\n"
        f"{centre.name} vous a ouvert un accès à Livret avec l'identifiant « {user.username} ».\n"
        f"Choisissez votre mot de passe (12 caractères au moins) à cette adresse :\n\n"
        f"{password_link(user, base_url)}\n\n"
        "Ce lien ne sert qu'une fois et expire dans trois jours.\n",
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )


@transaction.atomic
def save_centre_record(kind: str, form, centre: Organisation, base_url: str):
    """Save one record of the centre from its validated form; the centre is set here, never read
    from the form, so no record can be moved to another organisation."""
    obj = form.save(commit=False)
    new = obj.pk is None
    if kind in ("equipe", "tuteurs"):
        if new:
            obj.set_unusable_password()
        obj.save()
        values = form.profile_values()
        values.setdefault("organisation", centre)
        Profile.objects.update_or_create(user=obj, defaults=values)
        if new and obj.email:
            transaction.on_commit(lambda: send_welcome(obj, centre, base_url))
        return obj
    if kind == "entreprises":
        obj.kind = Organisation.COMPANY
        obj.centre = centre
    elif kind in ("promotions", "apprenants"):
        obj.centre = centre
    if kind == "apprenants" and form.cleaned_data.get("username") and not obj.user_id:
        obj.user = _learner_account(obj, form.cleaned_data["username"], centre, base_url)
    obj.save()
    form.save_m2m()
    if kind == "apprenants" and obj.user_id:
        sync_account_email(obj)
    return obj


def sync_account_email(learner) -> None:
    """The learner's account carries his address (the mailer reads `user.email`): the record's
    copy is written to it, so both say the same."""
    user = learner.user
    if user.email != learner.email:
        user.email = learner.email
        user.save(update_fields=["email"])


@transaction.atomic
def set_email(user, address: str) -> None:
    """A person's one address, changed: his account, and his learner record if he has one."""
    from .emails import normalise_email

    address = normalise_email(address)
    user.email = address
    user.save(update_fields=["email"])
    learner = Learner.objects.filter(user=user).first()
    if learner is not None and learner.email != address:
        learner.email = address
        learner.save(update_fields=["email"])


EMAIL_CHANGE_AGE = datetime.timedelta(days=2)  # the link is good for two days


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def request_email_change(user, address: str) -> str:
    """A new address, pending: the random token its link carries (returned once, stored only as
    its hash). An earlier pending change of the account is replaced: only the last link works."""
    raw = secrets.token_urlsafe(32)
    EmailChange.objects.filter(user=user).delete()
    EmailChange.objects.create(user=user, address=address, token_hash=_digest(raw))
    return raw


@transaction.atomic
def confirm_email_change(user, raw: str) -> str | None:
    """The account's address changed to the pending one if `raw` is this account's link, under two
    days old; the pending change is spent. None (and nothing changed) otherwise."""
    change = (
        EmailChange.objects.select_for_update()
        .filter(user=user, token_hash=_digest((raw or "").strip()))
        .first()
    )
    if change is None:
        return None
    change.delete()
    if timezone.now() - change.created_at > EMAIL_CHANGE_AGE:
        return None
    set_email(user, change.address)
    return change.address


@transaction.atomic
def set_name(user, first_name: str, last_name: str) -> None:
    """The name an account shows. A learner's is not his to change here: it is the centre's
    record, printed on his attestations and the jury's minutes."""
    if Learner.objects.filter(user=user).exists():
        raise ValueError("le nom d'un apprenant est tenu par son centre")
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.save(update_fields=["first_name", "last_name"])


def _learner_account(learner, username: str, centre: Organisation, base_url: str):
    """A login for the learner; he chooses his password from the link e-mailed to him."""
    from django.contrib.auth import get_user_model

    user = get_user_model()(
        username=username,
        first_name=learner.first_name,
        last_name=learner.last_name,
        email=learner.email,
    )
    user.set_unusable_password()
    user.save()
    Profile.objects.create(user=user, role=Profile.LEARNER, organisation=centre)
    transaction.on_commit(lambda: send_welcome(user, centre, base_url))
    return user


@transaction.atomic
def save_centre_settings(form) -> Organisation:
    return form.save()


# Code du travail R6223-6: two apprentices at once per maître d'apprentissage, plus one whose
# training is prolonged after failing the exam (L6222-11).
MAX_APPRENTICES = 2


def tutor_warning(tutor) -> str:
    """The R6223-6 warning for a maître d'apprentissage past two apprentices ("" if none)."""
    if tutor is None:
        return ""
    n = Learner.objects.filter(tutor=tutor, status=Learner.APPRENTICE).count()
    name = tutor.get_full_name() or tutor.username
    if n <= MAX_APPRENTICES:
        return ""
    if n == MAX_APPRENTICES + 1:
        return (
            f"{name} suit {n} apprentis : au-delà de deux, seul un apprenti dont la formation est "
            "prolongée après un échec à l'examen peut s'y ajouter (Code du travail, art. R6223-6). "
            "Vérifiez que l'un d'eux est dans ce cas."
        )
    return (
        f"{name} suit {n} apprentis : un maître d'apprentissage en accueille au plus deux, plus "
        "un apprenti dont la formation est prolongée après un échec à l'examen (Code du travail, "
        "art. R6223-6)."
    )
