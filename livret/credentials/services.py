"""Issue, verify and revoke Open Badges 3.0 credentials for blocs de compétences."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from livret.competences.models import CompetenceStatus, Level
from livret.engine import badges

from .models import Credential, IssuerKey

RNCP_URL = "https://www.francecompetences.fr/recherche/rncp/{}/"


def issuer_key(organisation, base_url: str) -> IssuerKey:
    key = IssuerKey.objects.filter(organisation=organisation).first()
    if key is None:
        private, public = badges.new_key()
        key = IssuerKey.objects.create(
            organisation=organisation,
            kid=f"{base_url}/badges/emetteurs/{organisation.pk}#cle-1",
            private_pem=private,
            public_pem=public,
        )
    return key


def ground_for(learner, bloc) -> tuple[str, str] | None:
    """(kind, why) this learner may be issued a credential for this bloc, or None.

    Only the certifier's jury validates an RNCP bloc: a grade of 10 or more in the bloc's unit at
    an *official* session whose minutes are signed gives a bloc credential, naming the session and
    its jury's minutes. What the centre assessed itself — every competence of the bloc acquired in
    its livret — gives its own attestation of competences. A mock exam grounds neither."""
    from livret.exams.models import CcpResult, ExamSession, Grade

    if bloc.unit_id:
        grade = (
            Grade.objects.filter(
                candidate__learner=learner,
                unit=bloc.unit.code,
                control=False,
                hundredths__gte=1000,
                candidate__session__kind=ExamSession.OFFICIAL,
                candidate__session__deliberations__signed_at__isnull=False,
            )
            .select_related("candidate__session")
            .order_by("-hundredths")
            .first()
        )
        if grade:
            session = grade.candidate.session
            return (
                Credential.BLOC,
                f"unité {grade.unit} validée par le jury de la session officielle {session.name} "
                f"({grade.display}/20 ; {session.official_reference})",
            )
    # A titre professionnel's bloc is a CCP: the jury's « acquis » at a signed official session.
    ccp = (
        CcpResult.objects.filter(
            candidate__learner=learner,
            ccp=bloc.code,
            decision=CcpResult.ACQUIRED,
            earlier_session="",
            candidate__session__referentiel__diploma=bloc.referentiel.diploma_id,
            candidate__session__kind=ExamSession.OFFICIAL,
            candidate__session__deliberations__signed_at__isnull=False,
        )
        .select_related("candidate__session")
        .first()
    )
    if ccp:
        session = ccp.candidate.session
        return (
            Credential.BLOC,
            f"CCP {ccp.ccp} acquis par décision du jury de la session officielle {session.name} "
            f"({session.official_reference})",
        )
    comps = list(bloc.competences.values_list("pk", flat=True))
    if comps:
        acquired = CompetenceStatus.objects.filter(
            learner=learner, competence_id__in=comps, level=Level.ACQUIRED
        ).count()
        if acquired == len(comps):
            return (
                Credential.ATTESTATION,
                f"les {len(comps)} compétences du bloc évaluées acquises au livret par le centre "
                "de formation",
            )
    return None


def _name(credential: Credential) -> str:
    bloc = credential.bloc
    if credential.kind == Credential.BLOC:
        return f"{bloc.code} — {bloc.title}"
    return f"Attestation de compétences du centre — {bloc.title}"


def _achievement(credential: Credential, base_url: str) -> dict:
    bloc, ref = credential.bloc, credential.bloc.referentiel
    page = f"{base_url}/referentiels/{ref.diploma.slug}/blocs/"
    if credential.kind == Credential.BLOC:
        rncp = ref.rncp_code.replace("RNCP", "")
        return {
            "id": f"{page}#{bloc.code}",
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": bloc.title,
            "description": f"Bloc de compétences {bloc.code} du diplôme {ref.title}, validé par "
            "le jury de l'autorité certificatrice.",
            "criteria": {"narrative": credential.ground},
            "alignment": [
                {
                    "type": ["Alignment"],
                    "targetName": f"{ref.rncp_code or ref.title} — {bloc.code} {bloc.title}",
                    "targetUrl": RNCP_URL.format(rncp) if rncp else page,
                    "targetFramework": "RNCP",
                    "targetCode": bloc.code,
                }
            ],
        }
    # The centre's own assessment: typed and worded so that no reader takes it for a bloc
    # validation, and never aligned on the RNCP.
    return {
        "id": f"{page}#{bloc.code}-attestation-{credential.issuer_id}",
        "type": ["Achievement"],
        "achievementType": "Assessment",
        "name": f"Attestation de compétences du centre — {bloc.title}",
        "description": f"{credential.issuer.name} atteste que les compétences du bloc {bloc.code} "
        f"du diplôme {ref.title} ont été évaluées acquises en formation. Cette attestation ne "
        "vaut pas validation du bloc de compétences, qui relève du seul jury de l'autorité "
        "certificatrice.",
        "criteria": {"narrative": credential.ground},
    }


def credential_document(credential: Credential, base_url: str) -> dict:
    learner = credential.learner
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": f"urn:uuid:{credential.uid}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": f"{base_url}/badges/emetteurs/{credential.issuer_id}",
            "type": ["Profile"],
            "name": credential.issuer.name,
        },
        "validFrom": credential.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "name": _name(credential),
        "credentialSubject": {
            "id": f"urn:uuid:{learner.calendar_token}",
            "type": ["AchievementSubject"],
            "name": f"{learner.first_name} {learner.last_name}",
            "achievement": _achievement(credential, base_url),
        },
        "credentialStatus": {
            "id": f"{base_url}/badges/statut/{credential.uid}",
            "type": "1EdTechRevocationList",
        },
    }


@transaction.atomic
def issue(learner, bloc, user, base_url: str) -> Credential:
    found = ground_for(learner, bloc)
    if found is None:
        raise ValidationError(
            f"{learner} n'a pas acquis toutes les compétences du bloc {bloc.code}, et aucun jury "
            "officiel n'a validé son unité."
        )
    kind, ground = found
    existing = Credential.objects.filter(
        learner=learner, bloc=bloc, kind=kind, revoked_at__isnull=True
    ).first()
    if existing:
        return existing
    key = issuer_key(learner.centre, base_url)
    credential = Credential.objects.create(
        learner=learner,
        bloc=bloc,
        issuer=learner.centre,
        issued_by=user,
        kind=kind,
        ground=ground,
        jws="-",
    )
    credential.refresh_from_db()
    document = credential_document(credential, base_url)
    claims = {
        "vc": document,
        "iss": document["issuer"]["id"],
        "jti": document["id"],
        "sub": document["credentialSubject"]["id"],
        "nbf": int(credential.issued_at.timestamp()),
        "iat": int(credential.issued_at.timestamp()),
    }
    credential.jws = badges.sign(claims, key.private_pem, key.kid)
    credential.save(update_fields=["jws"])
    return credential


def verify(token: str) -> badges.Verdict:
    def public_key_for(kid):
        key = IssuerKey.objects.filter(kid=kid).first()
        return key.public_pem if key else None

    def is_revoked(jti):
        uid = jti.removeprefix("urn:uuid:")
        return (
            Credential.objects.filter(uid=uid, revoked_at__isnull=False).exists()
            if len(uid) == 36
            else False
        )

    return badges.verify(token, public_key_for, is_revoked)


@transaction.atomic
def revoke(credential: Credential, reason: str) -> Credential:
    if not reason.strip():
        raise ValidationError("La révocation d'un badge doit être motivée.")
    credential.revoked_at = timezone.now()
    credential.revocation_reason = reason.strip()
    credential.save()
    return credential
