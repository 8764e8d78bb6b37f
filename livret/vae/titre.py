"""Titre professionnel by VAE: once recevable (for a titre professionnel, at the DREETS), the
candidate writes his Dossier Professionnel and sits the same mise en situation professionnelle
and entretiens as the trainees, before the titre session's jury of professionals, which decides
CCP by CCP (arrêté du 22 décembre 2015). He is registered to a session of the certifier's own
organisation (no other organisation's session is offered or accepted); the CCPs its jury grants
are his and carry to his VAE file, and so to his badges (ValidatedBloc)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from livret.engine import vae_flow
from livret.exams.lock import ensure_open
from livret.exams.models import Candidate, CcpResult, ExamSession
from livret.referentiels.models import Bloc

from .models import Candidacy, TitreRegistration, ValidatedBloc


def is_titre(candidacy: Candidacy) -> bool:
    cert = (candidacy.offer.referentiel.document or {}).get("certification") or {}
    return cert.get("family") == "titre_pro"


def sessions_for(candidacy: Candidacy):
    """The open sessions of this titre held by the certifier's organisation."""
    return ExamSession.objects.filter(
        organiser_id=candidacy.offer.certifier_id,
        referentiel__diploma_id=candidacy.offer.referentiel.diploma_id,
        closed_at=None,
    ).order_by("-year", "name")


@transaction.atomic
def register(candidacy: Candidacy, session_id, user) -> TitreRegistration:
    from .services import _check

    _check(candidacy, "titre_session", vae_flow.CERTIFIER)
    if not is_titre(candidacy):
        raise ValidationError(
            "Seul un titre professionnel se passe en session avec les stagiaires."
        )
    session = sessions_for(candidacy).filter(pk=session_id).first()
    if session is None:
        raise ValidationError("Session inconnue : choisissez une session ouverte de ce titre.")
    ensure_open(session)
    if TitreRegistration.objects.filter(
        candidacy=candidacy, exam_candidate__session=session
    ).exists():
        raise ValidationError("Le candidat est déjà inscrit à cette session.")
    person = candidacy.candidate
    codes = [s["code"] for s in session.referentiel.document.get("candidate_statuses") or []]
    exam_candidate = Candidate.objects.create(
        session=session,
        number=f"VAE{candidacy.pk:05d}",
        first_name=person.first_name,
        last_name=person.last_name,
        status="vae" if "vae" in codes else (codes[-1] if codes else Candidate.OTHER),
    )
    return TitreRegistration.objects.create(
        candidacy=candidacy, exam_candidate=exam_candidate, registered_by=user
    )


def granted(candidacy: Candidacy) -> list[tuple[TitreRegistration, list[CcpResult]]]:
    """Each registration with the CCPs its session's jury granted him."""
    return [
        (
            r,
            list(
                CcpResult.objects.filter(
                    candidate=r.exam_candidate, decision=CcpResult.ACQUIRED
                ).order_by("ccp")
            ),
        )
        for r in candidacy.titre_registrations.select_related("exam_candidate__session")
    ]


@transaction.atomic
def carry(candidacy: Candidacy, user) -> list[str]:
    """The CCPs granted at his sessions become his on the VAE file (ValidatedBloc: kept for
    good, counted when he comes back, issued as badges). Returns the codes newly carried."""
    from .services import _check

    _check(candidacy, "titre_session", vae_flow.CERTIFIER)
    blocs = {b.code: b for b in Bloc.objects.filter(referentiel=candidacy.offer.referentiel)}
    carried = []
    for _registration, results in granted(candidacy):
        for result in results:
            bloc = blocs.get(result.ccp)
            if bloc is None:
                continue
            _, made = ValidatedBloc.objects.get_or_create(
                person=candidacy.candidate,
                bloc=bloc,
                defaults={"validated_on": timezone.localdate(result.entered_at)},
            )
            if made:
                carried.append(bloc.code)
    if not carried:
        raise ValidationError("Aucun CCP acquis à reporter pour l'instant.")
    return carried
