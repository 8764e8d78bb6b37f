"""Issue, verify and revoke Open Badges 3.0 credentials for blocs de compétences.

Every credential is a VC-JWT signed with its centre's active key (EdDSA or RS256, chosen per
centre), its subject a random id of its own (and a salted hash of the e-mail), its revocation a bit
at a random index of the centre's Bitstring Status List. `verify` accepts only a credential the
platform issued: a valid signature on anything else reads « émis hors de cette plateforme ».
"""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from livret.competences.models import CompetenceStatus, Level
from livret.engine import badges

from . import keystore
from .models import Credential, IssuerKey

RNCP_URL = "https://www.francecompetences.fr/recherche/rncp/{}/"
OB_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


# --- URLs every verifier dereferences ----------------------------------------------------------


def base_url() -> str:
    """The platform's own address, the one root of every URL a badge carries (issuer, kid,
    status list, achievements). Never the request's Host header: a forged one would otherwise
    name a key or a list on another site, and the web and the CLI would issue different URLs."""
    return settings.SITE_URL.rstrip("/")


def profile_url(org_id: int) -> str:
    return f"{base_url()}/badges/emetteurs/{org_id}"


def jwks_url(org_id: int) -> str:
    return f"{profile_url(org_id)}/jwks.json"


def status_list_url(org_id: int) -> str:
    return f"{profile_url(org_id)}/statut/revocation"


# --- keys -------------------------------------------------------------------------------------


def _new_key(organisation, alg: str) -> IssuerKey:
    if alg not in badges.ALGORITHMS:
        raise ValidationError(f"Algorithme inconnu : {alg} (EdDSA ou RS256).")
    name = secrets.token_hex(12)
    kid = f"{profile_url(organisation.pk)}/cles/{name}"
    private, public = badges.new_key(alg)
    return IssuerKey.objects.create(
        organisation=organisation,
        name=name,
        kid=kid,
        alg=alg,
        public_pem=public,
        private_key_encrypted=keystore.encrypt(private, kid),
        active=True,
    )


def _retire(key: IssuerKey) -> None:
    # The private part is destroyed: the public one stays published for earlier badges.
    key.active = False
    key.private_key_encrypted = ""
    key.retired_at = timezone.now()
    key.save(update_fields=["active", "private_key_encrypted", "retired_at"])


@transaction.atomic
def active_key(organisation) -> IssuerKey:
    """The centre's signing key, created on first use with the algorithm of its last key (EdDSA
    for a new centre)."""
    key = (
        IssuerKey.objects.select_for_update().filter(organisation=organisation, active=True).first()
    )
    if key is not None and not key.retired:
        return key
    if key is not None:
        _retire(key)
    last = IssuerKey.objects.filter(organisation=organisation).order_by("-created_at", "-pk")
    alg = last.values_list("alg", flat=True).first() or badges.EDDSA
    return _new_key(organisation, alg)


# The name the rights matrix and older callers know.
issuer_key = active_key


@transaction.atomic
def rotate_key(organisation, alg: str | None = None) -> IssuerKey:
    """A new active key (same algorithm unless `alg` says otherwise); the previous one retired."""
    previous = (
        IssuerKey.objects.select_for_update().filter(organisation=organisation, active=True).first()
    )
    if alg is None:
        last = IssuerKey.objects.filter(organisation=organisation).order_by("-created_at", "-pk")
        alg = last.values_list("alg", flat=True).first() or badges.EDDSA
    if previous is not None:
        _retire(previous)
    forget_status_list(organisation)  # the next list is signed by the new key
    return _new_key(organisation, alg)


def sign_with(key: IssuerKey, claims: dict) -> str:
    if key.retired:
        raise ValidationError(f"La clé {key.kid} est retirée : elle ne signe plus.")
    private = keystore.decrypt(key.private_key_encrypted, key.kid)
    return badges.sign(claims, private, key.kid, key.alg)


def published_keys(organisation) -> list[IssuerKey]:
    """Every key of the centre, active and retired: earlier badges verify with theirs."""
    return list(IssuerKey.objects.filter(organisation=organisation).order_by("created_at", "pk"))


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


def _achievement(credential: Credential) -> dict:
    bloc, ref = credential.bloc, credential.bloc.referentiel
    page = f"{base_url()}/referentiels/{ref.diploma.slug}/blocs/"
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


def identity_hash(email: str, salt: str) -> str:
    """OB 3.0 IdentityHash: sha256 of the e-mail (trimmed, lower case) with its salt appended."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def _subject(credential: Credential) -> dict:
    learner = credential.learner
    subject = {
        # Random, this credential's own: it opens nothing and links to no other record.
        "id": f"urn:uuid:{credential.subject_uid}",
        "type": ["AchievementSubject"],
        "name": f"{learner.first_name} {learner.last_name}",
    }
    if credential.identity_salt and learner.email:
        subject["identifier"] = [
            {
                "type": "IdentityObject",
                "identityHash": identity_hash(learner.email, credential.identity_salt),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": credential.identity_salt,
            }
        ]
    subject["achievement"] = _achievement(credential)
    return subject


def credential_document(credential: Credential) -> dict:
    list_url = status_list_url(credential.issuer_id)
    return {
        "@context": OB_CONTEXT,
        "id": f"urn:uuid:{credential.uid}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": profile_url(credential.issuer_id),
            "type": ["Profile"],
            "name": credential.issuer.name,
        },
        "validFrom": credential.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "name": _name(credential),
        "credentialSubject": _subject(credential),
        "credentialStatus": {
            "id": f"{list_url}#{credential.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(credential.status_index),
            "statusListCredential": list_url,
        },
    }


def _create_with_free_index(**fields) -> Credential:
    """The credential, at a random index of its issuer's status list that no other one holds
    (random, so that the index tells nothing of the order of issue)."""
    issuer = fields["issuer"]
    used = set(
        Credential.objects.filter(issuer=issuer, status_index__isnull=False).values_list(
            "status_index", flat=True
        )
    )
    if len(used) >= badges.STATUS_LIST_BITS // 2:
        raise ValidationError("La liste de révocation de ce centre est pleine.")
    for _ in range(20):
        index = secrets.randbelow(badges.STATUS_LIST_BITS)
        if index in used:
            continue
        try:
            with transaction.atomic():
                return Credential.objects.create(status_index=index, **fields)
        except IntegrityError:  # taken meanwhile by a concurrent issue
            used.add(index)
    raise ValidationError("Aucun index libre dans la liste de révocation : réessayez.")


@transaction.atomic
def issue(learner, bloc, user) -> Credential:
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
    key = active_key(learner.centre)
    credential = _create_with_free_index(
        learner=learner,
        bloc=bloc,
        issuer=learner.centre,
        issued_by=user,
        kind=kind,
        ground=ground,
        jws="-",
        signed_with=key,
        subject_uid=uuid.uuid4(),
        identity_salt=secrets.token_hex(16) if learner.email else "",
    )
    credential.refresh_from_db()
    document = credential_document(credential)
    claims = badges.jwt_claims(document, int(credential.issued_at.timestamp()))
    credential.jws = sign_with(key, claims)
    credential.save(update_fields=["jws"])
    return credential


def _uid(jti: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(jti.removeprefix("urn:uuid:"))
    except ValueError:
        return None


def verify(token: str) -> badges.Verdict:
    def public_key_for(kid):
        key = IssuerKey.objects.filter(kid=kid).first()
        return (key.public_pem, key.alg) if key else None

    def is_issued(jti, token):
        # Issued here: its jti is one of ours and the very token we signed for it.
        uid = _uid(jti)
        stored = Credential.objects.filter(uid=uid).values_list("jws", flat=True).first()
        return uid is not None and stored is not None and secrets.compare_digest(stored, token)

    def is_revoked(jti):
        uid = _uid(jti)
        return (
            uid is not None
            and Credential.objects.filter(uid=uid, revoked_at__isnull=False).exists()
        )

    return badges.verify(token, public_key_for, is_issued, is_revoked)


@transaction.atomic
def revoke(credential: Credential, reason: str) -> Credential:
    if not reason.strip():
        raise ValidationError("La révocation d'un badge doit être motivée.")
    credential.revoked_at = timezone.now()
    credential.revocation_reason = reason.strip()
    credential.save()
    forget_status_list(credential.issuer)
    return credential


# --- published documents -----------------------------------------------------------------------


def status_list_document(organisation, now=None) -> dict:
    """The centre's W3C Bitstring Status List (purpose revocation), unsigned."""
    now = now or timezone.now()
    url = status_list_url(organisation.pk)
    revoked = Credential.objects.filter(
        issuer=organisation, revoked_at__isnull=False, status_index__isnull=False
    ).values_list("status_index", flat=True)
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": profile_url(organisation.pk),
        "validFrom": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": badges.encode_status_list(revoked),
        },
    }


def _status_list_cache_key(organisation) -> str:
    return f"credentials:status-list:{organisation.pk}"


def forget_status_list(organisation) -> None:
    """Drop the centre's signed list once the change is committed (the next read signs anew)."""
    transaction.on_commit(lambda: cache.delete(_status_list_cache_key(organisation)))


def signed_status_list(organisation) -> str:
    """The status list as a VC-JWT, signed once per state of the list and then served from the
    cache: an anonymous reader never makes the platform sign (RSA on demand) nor create a key.

    The cached token stands for as long as its content is the list's: the revoked indices and
    the base URL it was signed for (so a revocation through any path is never hidden, even if
    the cache was not told). Without a signing key (only retired keys: a restore, a migration
    without the KEK) the last list signed is served if it still says the truth; otherwise
    ImproperlyConfigured — the page answers 503."""
    revoked = sorted(
        Credential.objects.filter(
            issuer=organisation, revoked_at__isnull=False, status_index__isnull=False
        ).values_list("status_index", flat=True)
    )
    state = hashlib.sha256(f"{base_url()}|{revoked}".encode()).hexdigest()
    cache_key = _status_list_cache_key(organisation)
    cached = cache.get(cache_key)
    if isinstance(cached, dict) and cached.get("state") == state:
        return cached["token"]
    key = IssuerKey.objects.filter(organisation=organisation, active=True).first()
    if key is None or key.retired:
        # Never a key made for an anonymous reader: issuing or rotate-key makes one.
        raise ImproperlyConfigured(
            "Liste de révocation indisponible : ce centre n'a plus de clé de signature active "
            "(livret credential rotate-key)."
        )
    now = timezone.now()
    document = status_list_document(organisation, now)
    token = sign_with(key, badges.jwt_claims(document, int(now.timestamp())))
    cache.set(cache_key, {"state": state, "token": token}, timeout=None)
    return token


def issuer_profile(organisation) -> dict:
    """The centre's OB 3.0 Profile, with every key as JsonWebKey and, for Ed25519, Multikey."""
    profile = profile_url(organisation.pk)
    methods = []
    for key in published_keys(organisation):
        jwk = badges.public_jwk(key.public_pem, key.kid, key.alg)
        methods.append(
            {"id": key.kid, "type": "JsonWebKey", "controller": profile, "publicKeyJwk": jwk}
        )
        multibase = badges.multikey(key.public_pem)
        if multibase:
            methods.append(
                {
                    "id": f"{profile}#{key.name}",
                    "type": "Multikey",
                    "controller": profile,
                    "publicKeyMultibase": multibase,
                }
            )
    return {
        "@context": [*OB_CONTEXT, "https://w3id.org/security/data-integrity/v2"],
        "id": profile,
        "type": ["Profile"],
        "name": organisation.name,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
        "jwks_uri": jwks_url(organisation.pk),
    }


def jwks(organisation) -> dict:
    return {
        "keys": [
            badges.public_jwk(k.public_pem, k.kid, k.alg) for k in published_keys(organisation)
        ]
    }
