"""The VAE journey: sign-up, dossier, submission, recevabilité, livret 2, jury. Each step checks the status."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from livret.engine import vae_flow
from livret.engine.vae import coverage, fte_months
from livret.lifecycle import after_commit, check, step
from livret.notifications.services import notify
from livret.referentiels.models import Bloc

from .models import (
    AdmissibilityDecision,
    BlocNarrative,
    Candidacy,
    CandidacyEvent,
    Experience,
    GuideComment,
    JuryResult,
    VaeOffer,
    VaeProfile,
    ValidatedBloc,
)

SALT = "livret.vae.confirm"
CONFIRM_MAX_AGE = 3 * 24 * 3600


def _unconfirmed(user) -> bool:
    """An account made by the VAE sign-up whose address was never confirmed (an account an
    administrator deactivated, or one that ever logged in, is not)."""
    return (
        not user.is_active
        and user.last_login is None
        and VaeProfile.objects.filter(user=user).exists()
    )


def _send_link(user) -> None:
    """The confirmation link: the site's own address (SITE_URL, never a request's Host header) and
    the signed code after the « # », which a browser never sends — no access log, referrer or
    error report holds it; the page's script posts it."""
    token = signing.dumps({"u": user.pk}, salt=SALT)
    link = settings.SITE_URL.rstrip("/") + reverse("vae_confirm") + "#" + token
    send_mail(
        "Livret — confirmez votre adresse pour votre VAE",
        f"Bonjour {user.first_name},\n\nPour activer votre compte et commencer votre candidature, "
        f"ouvrez ce lien :\n{link}\n\n"
        f"Si la page ne reprend pas le code, saisissez-le : {token}\n\n"
        "Le lien est valable 3 jours. Rien n'est engageant : la décision finale, vous la prendrez "
        "avec le certificateur.",
        None,
        [user.email],
    )


@transaction.atomic
def sign_up(email: str, first_name: str, last_name: str, password: str) -> object:
    """An inactive account until the e-mail address is confirmed. Signing up again with the
    address of an account never confirmed sends a fresh link (no dead end after an expired
    one); the account keeps what was chosen first (`resent` is set on what is returned)."""
    user_model = get_user_model()
    email = email.strip().lower()
    existing = user_model.objects.filter(username=email).first()
    if existing is not None:
        if not _unconfirmed(existing):
            raise ValidationError("Un compte existe déjà pour cette adresse ; connectez-vous.")
        _send_link(existing)
        existing.resent = True
        return existing
    user = user_model.objects.create_user(
        email,
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        is_active=False,
    )
    VaeProfile.objects.create(user=user)
    _send_link(user)
    user.resent = False
    return user


@transaction.atomic
def confirm(token: str):
    """The account the link names, activated — once, and only while never confirmed: an old link
    does not wake an account an administrator has since deactivated. An expired genuine link
    raises code « expired » with the account's id in `params`, for a fresh link."""
    token, expired = token.strip(), False
    try:
        data = signing.loads(token, salt=SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:  # genuine but old: read again without the age limit
        data, expired = signing.loads(token, salt=SALT), True
    except signing.BadSignature:
        raise ValidationError("Lien de confirmation invalide.") from None
    user = get_user_model().objects.select_for_update().filter(pk=data.get("u")).first()
    if user is None or not _unconfirmed(user):
        raise ValidationError("Ce lien a déjà servi : connectez-vous.", code="spent")
    if expired:
        raise ValidationError(
            "Ce lien a expiré (il est valable 3 jours) : demandez-en un nouveau ci-dessous.",
            code="expired",
            params={"u": user.pk},
        )
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def resend_link(user_id) -> object:
    """A fresh link for the account of an expired (but genuine) link, if still unconfirmed."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not _unconfirmed(user):
        raise ValidationError("Ce compte est déjà confirmé : connectez-vous.")
    _send_link(user)
    return user


@dataclass
class Summary:
    months: float  # full-time equivalent, for information: no minimum since loi n° 2022-1598
    blocs: list  # (bloc, covered, missing, previously_validated, targeted)
    titles: dict | None = None  # competence code -> title, so that pages never show bare codes


def summary(candidacy: Candidacy, today: datetime.date | None = None) -> Summary:
    today = today or timezone.localdate()
    experiences = list(
        candidacy.experiences.prefetch_related("competences", "activities__competences")
    )
    months = fte_months(
        (e.start, e.end or today, e.part_time_percent if e.time == e.PART else 100)
        for e in experiences
    )
    covered = set()
    for e in experiences:
        covered |= {c.code for c in e.competences.all()}
        for a in e.activities.all():
            covered |= {c.code for c in a.competences.all()}
    blocs = list(
        Bloc.objects.filter(referentiel=candidacy.offer.referentiel)
        .prefetch_related("competences")
        .order_by("position")
    )
    held = set(
        ValidatedBloc.objects.filter(person=candidacy.candidate).values_list(
            "bloc__code", flat=True
        )
    )
    cov = coverage({b.code: [c.code for c in b.competences.all()] for b in blocs}, covered)
    targeted = {b.pk for b in candidacy.target_blocs.all()}
    return Summary(
        round(float(months), 1),
        [(b, *cov[b.code], b.code in held, not targeted or b.pk in targeted) for b in blocs],
        {c.code: c.title for b in blocs for c in b.competences.all()},
    )


def journey_words(referentiel) -> dict:
    """The journey in the words of the diploma's family: a titre professionnel's candidate writes
    a dossier professionnel and is judged CCP by CCP; the other diplomas' a livret 2, bloc by
    bloc. The evaluation the jury decides on comes from the file (certification.evaluation)."""
    cert = (referentiel.document or {}).get("certification") or {}
    if cert.get("family") == "titre_pro":
        return {
            "validation_title": "Dossier professionnel (DP)",
            "unit": "CCP",
            "jury_partial": "CCP acquis (validation partielle)",
            "validated": "CCP acquis",
            "evaluation": [e["title"] for e in cert.get("evaluation") or []],
            "note": "Le jury de professionnels décide CCP par CCP (arrêté du 22 décembre 2015) ; "
            "un CCP acquis le reste et compte à une session suivante.",
        }
    return {
        "validation_title": "Dossier de validation (livret 2)",
        "unit": "bloc",
        "jury_partial": "Blocs validés (validation partielle)",
        "validated": "Blocs validés",
        "evaluation": [],
        "note": "",
    }


@transaction.atomic
def choose_guide(candidacy: Candidacy, guide_id: str) -> None:
    """The candidate chooses his accompagnateur (or none) in the directory."""
    from .scopes import vae_guides

    _check(candidacy, "choose_guide")
    if not guide_id:
        candidacy.guide = None
    else:
        candidacy.guide = vae_guides().filter(pk=guide_id).first()
        if candidacy.guide is None:
            raise ValidationError("Accompagnateur inconnu.")
    candidacy.save(update_fields=["guide", "updated_at"])


@transaction.atomic
def comment(candidacy: Candidacy, author, text: str) -> GuideComment:
    text = text.strip()
    if not text:
        raise ValidationError("Le commentaire est vide.")
    if len(text) > 4000:
        raise ValidationError("4 000 caractères au plus.")
    note = GuideComment.objects.create(candidacy=candidacy, author=author, text=text)
    notify(
        [candidacy.candidate],
        "vae",
        f"Votre accompagnateur a commenté votre dossier — {candidacy.offer.referentiel.title}",
        text[:300],
        reverse("vae_dossier", args=[candidacy.pk]),
    )
    return note


@transaction.atomic
def set_target(candidacy: Candidacy, bloc_ids: list[str]) -> None:
    """The whole diploma (no bloc) or the chosen blocs, while the dossier is being written."""
    _check(candidacy, "edit")
    blocs = list(Bloc.objects.filter(referentiel=candidacy.offer.referentiel, pk__in=bloc_ids))
    if len(blocs) != len(set(bloc_ids)):
        raise ValidationError("Bloc inconnu pour ce diplôme.")
    held = set(
        ValidatedBloc.objects.filter(person=candidacy.candidate).values_list("bloc_id", flat=True)
    )
    already = [b.code for b in blocs if b.pk in held]
    if already:
        raise ValidationError(f"Bloc(s) déjà validé(s) : {', '.join(already)}.")
    candidacy.target_blocs.set(blocs)


def _move(candidacy: Candidacy, action: str, role: str, user) -> None:
    """One step of the journey: the state machine decides whether it may follow and who takes
    it; the step is dated and attributed, and the candidate is told of what others did."""
    target = step(vae_flow.MACHINE, candidacy.status, action, role)
    CandidacyEvent.objects.create(
        candidacy=candidacy,
        action=action,
        from_status=candidacy.status,
        to_status=target,
        actor=user,
    )
    candidacy.status = target
    candidacy.save()
    if user is None or user.pk != candidacy.candidate_id:  # None: the daily clocks
        notify(
            [candidacy.candidate],
            "vae",
            f"Votre dossier VAE : {vae_flow.STATE_LABELS[target]} — "
            f"{candidacy.offer.referentiel.title}",
            "",
            reverse("vae_dossier", args=[candidacy.pk]),
        )


def _check(candidacy: Candidacy, action: str, role: str = vae_flow.CANDIDATE) -> None:
    """Before anything else is read or written: may this step be taken on the file now
    (engine/vae_flow)? The file's row is locked, so two steps on it never cross."""
    status = (
        Candidacy.objects.select_for_update().filter(pk=candidacy.pk).values_list("status").get()
    )[0]
    candidacy.status = status
    check(vae_flow.MACHINE, status, action, role)


def _yearly_limit(candidacy: Candidacy, year: int) -> None:
    """Code du travail, art. R. 6412-3: in one calendar year, one feasibility file per
    certification and three for different certifications; files that aimed at blocs de
    compétences do not count."""
    earlier = (
        Candidacy.objects.filter(
            candidate_id=candidacy.candidate_id,
            events__action="submit",
            events__at__year=year,
            target_blocs__isnull=True,
        )
        .exclude(pk=candidacy.pk)
        .select_related("offer__referentiel")
        .distinct()
    )
    diplomas = {c.offer.referentiel.diploma_id for c in earlier}
    if candidacy.offer.referentiel.diploma_id in diplomas:
        raise ValidationError(
            "Vous avez déjà déposé cette année un dossier pour ce diplôme : un seul par année "
            "civile (Code du travail, art. R. 6412-3), sauf pour des blocs de compétences."
        )
    if len(diplomas) >= 3:
        raise ValidationError(
            "Vous avez déjà déposé cette année des dossiers pour trois diplômes différents : "
            "c'est la limite (Code du travail, art. R. 6412-3), sauf pour des blocs de compétences."
        )


@transaction.atomic
def submit(candidacy: Candidacy, user=None) -> Candidacy:
    """The candidate, or the accompagnateur he chose (R. 6412-3), deposits the feasibility file."""
    user = user or candidacy.candidate
    role = (
        vae_flow.GUIDE
        if user.pk == candidacy.guide_id and user.pk != candidacy.candidate_id
        else vae_flow.CANDIDATE
    )
    _check(candidacy, "submit", role)
    experiences = list(candidacy.experiences.prefetch_related("competences", "activities"))
    if not experiences:
        raise ValidationError("Ajoutez au moins une expérience avant de déposer votre dossier.")
    empty = [str(e) for e in experiences if not e.competences.all() and not e.activities.all()]
    if empty:
        raise ValidationError(
            "Reliez chaque expérience à des activités ou compétences du diplôme : "
            + ", ".join(empty)
            + "."
        )
    if candidacy.status == Candidacy.DRAFT:
        _yearly_limit(candidacy, timezone.localdate().year)
    candidacy.submitted_at = timezone.now()
    _move(candidacy, "submit", role, user)
    return candidacy


@transaction.atomic
def withdraw(candidacy: Candidacy) -> Candidacy:
    _check(candidacy, "withdraw")
    _move(candidacy, "withdraw", vae_flow.CANDIDATE, candidacy.candidate)
    return candidacy


@transaction.atomic
def decide_admissibility(
    candidacy: Candidacy, decision: str, reasons: str, user
) -> AdmissibilityDecision:
    action = {
        Candidacy.ADMISSIBLE: "admissible",
        Candidacy.INADMISSIBLE: "inadmissible",
        Candidacy.INCOMPLETE: "incomplete",
    }.get(decision)
    if action is None or decision not in dict(AdmissibilityDecision.CHOICES):
        raise ValidationError("Décision inconnue.")
    _check(candidacy, action, vae_flow.CERTIFIER)
    if decision != Candidacy.ADMISSIBLE and not reasons.strip():
        raise ValidationError("Une décision d'irrecevabilité ou d'incomplétude doit être motivée.")
    made = AdmissibilityDecision.objects.create(
        candidacy=candidacy, decision=decision, reasons=reasons.strip(), decided_by=user
    )
    if decision == Candidacy.ADMISSIBLE:
        candidacy.actualised_at = timezone.now()  # the actualisation's clock starts
    _move(candidacy, action, vae_flow.CERTIFIER, user)
    # The letter leaves once the decision is stored for good.
    after_commit(
        send_mail,
        "Livret — décision sur la recevabilité de votre VAE",
        f"Votre dossier « {candidacy.offer.referentiel.title} » est : {made.get_decision_display().lower()}.\n\n{made.reasons}",
        None,
        [candidacy.candidate.email],
    )
    return made


@transaction.atomic
def save_narrative(candidacy: Candidacy, bloc: Bloc, text: str) -> BlocNarrative:
    _check(candidacy, "write")
    obj, _ = BlocNarrative.objects.update_or_create(
        candidacy=candidacy, bloc=bloc, defaults={"text": text}
    )
    return obj


@transaction.atomic
def save_narratives(candidacy: Candidacy, texts: dict) -> list[BlocNarrative]:
    """Livret 2 saved as a whole (bloc id → text): saving one bloc keeps what was typed in the
    others."""
    _check(candidacy, "write")
    blocs = {
        b.pk: b
        for b in Bloc.objects.filter(referentiel=candidacy.offer.referentiel, pk__in=list(texts))
    }
    if len(blocs) != len(texts):
        raise ValidationError("Bloc inconnu pour ce diplôme.")
    return [
        BlocNarrative.objects.update_or_create(
            candidacy=candidacy, bloc=blocs[pk], defaults={"text": text.strip()}
        )[0]
        for pk, text in texts.items()
    ]


def empty_blocs(candidacy: Candidacy) -> list[Bloc]:
    """The blocs he aims at (not held already) that his livret 2 leaves without a word."""
    targeted = list(candidacy.target_blocs.all()) or list(
        Bloc.objects.filter(referentiel=candidacy.offer.referentiel, optional=False)
    )
    held = set(
        ValidatedBloc.objects.filter(person=candidacy.candidate).values_list("bloc_id", flat=True)
    )
    written = set(candidacy.narratives.exclude(text="").values_list("bloc_id", flat=True))
    return sorted(
        (b for b in targeted if b.pk not in held and b.pk not in written),
        key=lambda b: b.position,
    )


@transaction.atomic
def submit_validation(candidacy: Candidacy, confirm_empty: bool = False) -> Candidacy:
    """Sent once at least one bloc is described; blocs left empty are listed and the candidate
    confirms he sends without them (they will not be validated on this file)."""
    _check(candidacy, "send_validation")
    if not candidacy.narratives.exclude(text="").exists():
        raise ValidationError("Décrivez votre expérience pour au moins un bloc de compétences.")
    empty = empty_blocs(candidacy)
    if empty and not confirm_empty:
        raise ValidationError(
            "Ces blocs sont encore vides : "
            + ", ".join(b.code for b in empty)
            + ". Décrivez-les, ou cochez « J'envoie mon dossier sans décrire ces blocs » pour "
            "l'envoyer quand même (le jury ne pourra pas les valider).",
            code="empty_blocs",
        )
    candidacy.validation_sent_at = timezone.now()  # the jury's clock starts (R. 6412-5)
    _move(candidacy, "send_validation", vae_flow.CANDIDATE, candidacy.candidate)
    return candidacy


@transaction.atomic
def record_jury(
    candidacy: Candidacy,
    result: str,
    jury_date: datetime.date | None,
    blocs,
    comment: str,
    user,
    *,
    sat=(),
    casting_vote: bool = False,
    recommendations: dict | None = None,
) -> JuryResult:
    """The jury's decision, checked as a whole (livret.vae.jury.check_decision: who sat under
    D. 6412-6, no future date, a partial validation names its blocs, a préconisation for each
    bloc not validated), then recorded with who sat and whether the casting vote was used."""
    from . import jury

    _check(candidacy, "jury", vae_flow.CERTIFIER)
    checked = jury.check_decision(
        candidacy,
        result,
        jury_date,
        [getattr(b, "pk", b) for b in blocs],
        [getattr(m, "pk", m) for m in sat],
        casting_vote,
        recommendations or {},
    )
    made = jury.write_decision(candidacy, checked, comment, user)
    _move(candidacy, "jury", vae_flow.CERTIFIER, user)
    # Candidate and accompagnateur told at once (R. 6412-5: within fifteen days; vae/clocks.py).
    from .clocks import tell_result

    tell_result(made)
    return made


@transaction.atomic
def save_profile(form):
    return form.save()


@transaction.atomic
def start_candidacy(candidate, offer: VaeOffer) -> Candidacy:
    return Candidacy.objects.create(candidate=candidate, offer=offer)


@transaction.atomic
def save_experience(form, candidacy: Candidacy) -> Experience:
    _check(candidacy, "edit")
    experience = form.save(commit=False)
    experience.candidacy = candidacy
    experience.save()
    form.save_m2m()
    return experience


@transaction.atomic
def save_motivation(candidacy: Candidacy, text: str) -> Candidacy:
    _check(candidacy, "edit")
    candidacy.motivation = text
    candidacy.save()
    return candidacy
