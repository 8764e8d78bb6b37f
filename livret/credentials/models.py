"""Open Badges 3.0 credentials issued by a centre for a bloc de compétences, and the centre's key."""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from livret.people.models import Learner, Organisation
from livret.referentiels.models import Bloc


class IssuerKey(models.Model):
    """The centre's Ed25519 signing key. Its public half is published for verifiers."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="issuer_key"
    )
    kid = models.CharField(max_length=200, unique=True)
    private_pem = models.TextField()
    public_pem = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.kid


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
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self):
        return f"{self.bloc.code} — {self.learner}"
