"""Open Badges 3.0 credentials issued by a centre for a bloc de compétences, and the centre's key."""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from livret.people.models import Learner, Organisation
from livret.referentiels.models import Bloc


class IssuerKey(models.Model):
    """One of a centre's signing keys. Its public half stays published for verifiers as long as
    the platform runs (earlier badges verify); its private half lives only encrypted under the
    instance's key-encryption key (livret.credentials.keystore). A key without a private part is
    retired: verification only."""

    EDDSA, RS256 = "EdDSA", "RS256"
    ALGORITHMS = [(EDDSA, "EdDSA (Ed25519)"), (RS256, "RS256 (RSA 2048, SHA-256)")]

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="issuer_keys"
    )
    # The key's name in its public URL: random, never reused, so a kid never repeats.
    name = models.CharField(max_length=40, unique=True)
    kid = models.CharField(max_length=300, unique=True)
    alg = models.CharField("algorithme", max_length=8, choices=ALGORITHMS, default=EDDSA)
    public_pem = models.TextField()
    private_key_encrypted = models.TextField(blank=True, editable=False)
    active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation_id", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(active=True),
                name="one_active_issuer_key",
            )
        ]

    def __str__(self):
        return self.kid

    @property
    def retired(self) -> bool:
        return not self.private_key_encrypted


class Credential(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="credentials")
    bloc = models.ForeignKey(Bloc, on_delete=models.PROTECT, related_name="+")
    issuer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="credentials_issued"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    # What grounds it: the certifier's jury at an official session validated the bloc (an RNCP
    # partial certification), or the centre itself assessed its competences (an attestation of
    # the centre, never aligned on the RNCP bloc).
    BLOC, ATTESTATION = "bloc", "attestation"
    KINDS = [
        (BLOC, "Bloc de compétences validé par le jury officiel"),
        (ATTESTATION, "Attestation de compétences du centre"),
    ]
    kind = models.CharField("nature", max_length=12, choices=KINDS, default=ATTESTATION)
    ground = models.CharField("fondement", max_length=300)
    jws = models.TextField()
    # The key that signed it (none for credentials issued before keys rotated).
    signed_with = models.ForeignKey(
        IssuerKey, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The subject's id in the badge: random, of this credential only (never a secret used
    # elsewhere); the salt of its hashed e-mail identity, when the learner has an e-mail.
    subject_uid = models.UUIDField(null=True, blank=True, editable=False)
    identity_salt = models.CharField(max_length=64, blank=True, editable=False)
    # Its bit in the issuer's Bitstring Status List: random, unused within that issuer.
    status_index = models.PositiveIntegerField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "status_index"], name="credential_status_index_per_issuer"
            )
        ]

    def __str__(self):
        return f"{self.bloc.code} — {self.learner}"
