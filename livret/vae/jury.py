"""The VAE jury as the certifier runs it: its members (Code du travail, art. D. 6412-6, rules in
livret.engine.vae_jury), the candidate's convocation, the decision checked as a whole, recorded
once confirmed, and corrected only by a reasoned, attributed new decision."""

from __future__ import annotations

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from livret.engine import vae_flow, vae_jury
from livret.lifecycle import after_commit
from livret.notifications.services import notify
from livret.referentiels.models import Bloc

from .models import (
    Candidacy,
    JuryConvocation,
    JuryDecisionDetail,
    JuryMember,
    JuryRecommendation,
    JuryResult,
    ValidatedBloc,
)


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(text.lower().split())


def accompanied_by(candidacy: Candidacy) -> list:
    """Everyone who is or was the candidate's accompagnateur on this file (its history)."""
    from django.contrib.auth import get_user_model

    ids = set(candidacy.history.exclude(guide_id=None).values_list("guide_id", flat=True)) | (
        {candidacy.guide_id} - {None}
    )
    return list(get_user_model().objects.filter(pk__in=ids))


def _accompanied(name: str, email: str, guides) -> bool:
    """A member is the accompagnateur when his address or his full name is the guide's."""
    for g in guides:
        if email and g.email and email.strip().lower() == g.email.lower():
            return True
        if _plain(name) and _plain(name) in {
            _plain(g.get_full_name()),
            _plain(f"{g.last_name} {g.first_name}"),
        }:
            return True
    return False


def as_rule(member: JuryMember, guides) -> vae_jury.Member:
    return vae_jury.Member(
        name=member.name,
        quality=member.quality,
        qualified=member.qualified,
        gender=member.gender,
        declared_no_link=member.declared_no_link_at is not None,
        accompanied=_accompanied(member.name, member.email, guides),
    )


def composition(candidacy: Candidacy, members=None) -> dict:
    """The jury as it stands: its members, what still refuses it, the balance of women and men."""
    members = list(candidacy.jury_members.all() if members is None else members)
    guides = accompanied_by(candidacy)
    rules = [as_rule(m, guides) for m in members]
    counts = vae_jury.balance(rules)
    return {
        "members": members,
        "problems": [text for _, text in vae_jury.problems(rules)],
        "women": counts[vae_jury.WOMAN],
        "men": counts[vae_jury.MAN],
        "unsaid": counts[vae_jury.UNSAID],
        "balanced": vae_jury.balanced(rules),
    }


def _lock(candidacy: Candidacy, action: str) -> None:
    from .services import _check

    _check(candidacy, action, vae_flow.CERTIFIER)


@transaction.atomic
def add_member(candidacy: Candidacy, data: dict, user) -> JuryMember:
    """data: name, email, quality, qualified, gender, declared_no_link (the form's cleaned data).
    Every refusal at once, each beside its field."""
    _lock(candidacy, "compose")
    errors: dict[str, list[str]] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors.setdefault("name", []).append("Indiquez le nom du membre.")
    rule = vae_jury.Member(
        name=name,
        quality=data.get("quality", ""),
        qualified=bool(data.get("qualified")),
        gender=data.get("gender", ""),
        declared_no_link=bool(data.get("declared_no_link")),
        accompanied=_accompanied(name, data.get("email", ""), accompanied_by(candidacy)),
    )
    for text in vae_jury.admissible_member(rule):
        field = "declared_no_link" if "déclaré" in text else "name"
        errors.setdefault(field, []).append(text)
    if (
        rule.quality == vae_jury.PRESIDENT
        and candidacy.jury_members.filter(quality=vae_jury.PRESIDENT).exists()
    ):
        errors.setdefault("quality", []).append(
            "Le jury a déjà un président : retirez-le d'abord, ou choisissez une autre qualité."
        )
    if errors:
        raise ValidationError(errors)
    return JuryMember.objects.create(
        candidacy=candidacy,
        name=name,
        email=(data.get("email") or "").strip().lower(),
        quality=rule.quality,
        qualified=rule.qualified,
        gender=rule.gender,
        declared_no_link_at=timezone.now(),
        added_by=user,
    )


@transaction.atomic
def remove_member(candidacy: Candidacy, member_id, user) -> None:
    _lock(candidacy, "compose")
    member = candidacy.jury_members.filter(pk=member_id).first()
    if member is None:
        raise ValidationError("Membre inconnu pour ce jury.")
    member.delete()


@transaction.atomic
def convene(
    candidacy: Candidacy,
    at: datetime.datetime,
    place: str,
    modalities: str,
    user,
    pdf_url: str = "",
) -> JuryConvocation:
    """The candidate's convocation (and the members'): refused while the jury may not sit."""
    _lock(candidacy, "compose")
    errors: dict[str, list[str]] = {}
    if at <= timezone.now():
        errors["at"] = ["Une convocation fixe une date à venir."]
    if not place.strip():
        errors["place"] = ["Indiquez le lieu du jury."]
    if not modalities.strip():
        errors["modalities"] = ["Indiquez les modalités (entretien, mise en situation, durée…)."]
    problems = composition(candidacy)["problems"]
    if problems:
        errors["__all__"] = ["Le jury ne peut pas encore siéger :", *problems]
    if errors:
        raise ValidationError(errors)
    made = JuryConvocation.objects.create(
        candidacy=candidacy, at=at, place=place.strip(), modalities=modalities.strip(), sent_by=user
    )
    when = timezone.localtime(at).strftime("%d/%m/%Y à %H:%M")
    title = candidacy.offer.referentiel.title
    body = (
        f"Jury de validation des acquis de l'expérience — {title}\n"
        f"Candidat : {candidacy.candidate.get_full_name()}\n\n"
        f"Date : {when}\nLieu : {made.place}\nModalités : {made.modalities}\n"
    )
    after_commit(
        send_mail,
        f"Livret — convocation à votre jury VAE le {when}",
        f"Bonjour {candidacy.candidate.first_name},\n\nVous êtes convoqué(e) devant le jury.\n\n"
        + body
        + (f"\nVotre convocation (PDF) : {pdf_url}\n" if pdf_url else ""),
        None,
        [candidacy.candidate.email],
    )
    members = [m.email for m in candidacy.jury_members.all() if m.email]
    if members:
        after_commit(
            send_mail,
            f"Livret — convocation au jury VAE du {when}",
            "Bonjour,\n\nVous êtes membre de ce jury de VAE.\n\n" + body,
            None,
            members,
        )
    notify(
        [candidacy.candidate],
        "vae",
        f"Convocation à votre jury VAE le {when} — {title}",
        f"{made.place}. {made.modalities}"[:300],
        reverse("vae_dossier", args=[candidacy.pk]),
    )
    return made


def check_decision(
    candidacy: Candidacy,
    result: str,
    jury_date: datetime.date | None,
    bloc_ids,
    sat_ids,
    casting_vote: bool,
    recommendations: dict,
    *,
    correction: bool = False,
    reason: str = "",
    today: datetime.date | None = None,
) -> dict:
    """The decision as a whole, before anything is written: every problem at once (a dict of
    field → messages, raised as one ValidationError), else what will be recorded.
    recommendations: bloc id → (kind, text) for the blocs not validated."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    all_blocs = list(
        Bloc.objects.filter(referentiel=candidacy.offer.referentiel, optional=False).order_by(
            "position"
        )
    )
    by_id = {b.pk: b for b in all_blocs}
    if result not in dict(JuryResult.CHOICES):
        errors["result"] = ["Choisissez le résultat du jury."]
    if jury_date is None:
        errors["jury_date"] = ["Indiquez la date du jury."]
    elif jury_date > today:
        errors["jury_date"] = [
            f"Le jury s'est tenu au plus tard aujourd'hui ({today:%d/%m/%Y}) : pas de date future."
        ]
    chosen = []
    for pk in bloc_ids:
        if int(pk) not in by_id:
            errors["blocs"] = ["Ces blocs n'appartiennent pas à ce diplôme."]
            break
        chosen.append(by_id[int(pk)])
    if result == JuryResult.TOTAL:
        chosen = all_blocs
    elif result == JuryResult.REFUSED:
        chosen = []
    elif result == JuryResult.PARTIAL:
        if not chosen:
            errors.setdefault("blocs", []).append(
                "Une validation partielle nomme les blocs validés : cochez-en au moins un."
            )
        elif len(chosen) == len(all_blocs):
            errors.setdefault("blocs", []).append(
                "Tous les blocs sont cochés : c'est une validation totale."
            )
    members = {m.pk: m for m in candidacy.jury_members.all()}
    sat = [members[int(pk)] for pk in sat_ids if int(pk) in members]
    if len(sat) != len(set(sat_ids)):
        errors["sat"] = ["Membre inconnu pour ce jury."]
    else:
        guides = accompanied_by(candidacy)
        problems = [text for _, text in vae_jury.problems(as_rule(m, guides) for m in sat)]
        if problems:
            errors["sat"] = problems
    if casting_vote and not any(m.quality == vae_jury.PRESIDENT for m in sat):
        errors.setdefault("casting_vote", []).append(
            "La voix prépondérante est celle du président : il doit avoir siégé."
        )
    targeted = {b.pk for b in candidacy.target_blocs.all()} or set(by_id)
    held = set(
        ValidatedBloc.objects.filter(person=candidacy.candidate)
        .exclude(source__candidacy=candidacy)
        .values_list("bloc_id", flat=True)
    )
    kinds = dict(vae_jury.RECOMMENDATIONS)
    recs = []
    if result in (JuryResult.PARTIAL, JuryResult.REFUSED):
        validated = {b.pk for b in chosen}
        for bloc in all_blocs:
            if bloc.pk in validated or bloc.pk not in targeted or bloc.pk in held:
                continue
            kind, text = recommendations.get(bloc.pk, ("", ""))
            if kind not in kinds:
                errors[f"rec_{bloc.pk}"] = [
                    f"Bloc {bloc.code} non validé : indiquez la préconisation du jury."
                ]
            else:
                recs.append((bloc, kind, (text or "").strip()))
    if correction and not reason.strip():
        errors["reason"] = ["Une décision corrigée dit pourquoi : indiquez le motif."]
    if errors:
        raise ValidationError(errors)
    return {
        "result": result,
        "result_label": dict(JuryResult.CHOICES)[result],
        "jury_date": jury_date,
        "blocs": chosen,
        "sat": sat,
        "casting_vote": casting_vote,
        "recommendations": [(b, kind, kinds[kind], text) for b, kind, text in recs],
        "reason": reason.strip(),
    }


def _snapshot(result: JuryResult) -> dict:
    """The decision as it stands, kept when a correction replaces it."""
    detail = result.details.last()
    return {
        "result": result.result,
        "jury_date": result.jury_date.isoformat(),
        "blocs": [b.code for b in result.blocs.order_by("position")],
        "comment": result.comment,
        "sat": [m.name for m in detail.sat.all()] if detail else [],
        "casting_vote": detail.casting_vote if detail else False,
        "recommendations": [
            [r.bloc.code, r.kind, r.text] for r in result.recommendations.select_related("bloc")
        ],
    }


def write_decision(candidacy: Candidacy, checked: dict, comment: str, user) -> JuryResult:
    """Called by services.record_jury (first decision) and correct (later ones), in their
    transaction, once the decision is checked."""
    result = JuryResult.objects.filter(candidacy=candidacy).first()
    replaces = None
    if result is None:
        result = JuryResult(candidacy=candidacy, decided_by=user)
    else:
        replaces = _snapshot(result)
        result.recommendations.all().delete()
    result.result = checked["result"]
    result.jury_date = checked["jury_date"]
    result.comment = comment.strip()
    result.decided_by = user
    result._history_user = user
    result.save()
    blocs = checked["blocs"]
    result.blocs.set(blocs)
    # A bloc this decision no longer grants leaves the record it gave; blocs held otherwise stay.
    ValidatedBloc.objects.filter(source=result).exclude(bloc__in=blocs).delete()
    for b in blocs:
        ValidatedBloc.objects.get_or_create(
            person=candidacy.candidate,
            bloc=b,
            defaults={"source": result, "validated_on": checked["jury_date"]},
        )
    for bloc, kind, _label, text in checked["recommendations"]:
        JuryRecommendation.objects.create(result=result, bloc=bloc, kind=kind, text=text)
    detail = JuryDecisionDetail.objects.create(
        result=result,
        casting_vote=checked["casting_vote"],
        replaces=replaces,
        reason=checked["reason"],
        decided_by=user,
    )
    detail.sat.set(checked["sat"])
    return result


@transaction.atomic
def correct(candidacy: Candidacy, checked_args: dict, comment: str, user) -> JuryResult:
    """A recorded decision is corrected only by a new one, reasoned and attributed; the one it
    replaces is kept beside it. The candidate and his accompagnateur are told."""
    _lock(candidacy, "correct_jury")
    checked = check_decision(candidacy, **checked_args, correction=True)
    made = write_decision(candidacy, checked, comment, user)
    # R. 6412-5: the result is told to the candidate and his accompagnateur; so is its correction.
    title = candidacy.offer.referentiel.title
    people = [candidacy.candidate] + ([candidacy.guide] if candidacy.guide_id else [])
    notify(
        people,
        "vae",
        f"La décision du jury VAE est corrigée — {candidacy.candidate.get_full_name()}, {title}",
        checked["reason"][:300],
        reverse("vae_dossier", args=[candidacy.pk]),
    )
    body = (
        f"La décision du jury « {title} » est corrigée : {checked['result_label'].lower()}."
        f"\n\nMotif : {checked['reason']}"
    )
    for person in people:
        if person.email:
            as_guide = (
                ""
                if person.pk == candidacy.candidate_id
                else f"\n(Vous recevez ce message comme accompagnateur de "
                f"{candidacy.candidate.get_full_name()}.)"
            )
            after_commit(
                send_mail,
                "Livret — décision corrigée de votre jury VAE",
                body + as_guide,
                None,
                [person.email],
            )
    return made
