"""Open Badges 3.0 credentials as VC-JWT (JWS compact, EdDSA / Ed25519). Pure Python + `cryptography`.

Signing: header {"alg": "EdDSA", "typ": "JWT", "kid": issuer#key}, payload = the OB 3.0 claims
(vc, iss, jti, sub, nbf, iat). Verification answers one of: valid, tampered (signature does not
match), unknown issuer (no key for that kid), revoked (the issuer revoked it), malformed.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

VALID, TAMPERED, UNKNOWN_ISSUER, REVOKED, MALFORMED = (
    "valid",
    "tampered",
    "unknown_issuer",
    "revoked",
    "malformed",
)
LABELS = {
    VALID: "Badge authentique et en vigueur",
    TAMPERED: "Badge falsifié : la signature ne correspond pas au contenu",
    UNKNOWN_ISSUER: "Émetteur inconnu : aucune clé publique connue pour ce badge",
    REVOKED: "Badge révoqué par son émetteur",
    MALFORMED: "Ce n'est pas un badge lisible (JWS compact attendu)",
}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_key() -> tuple[str, str]:
    """(private PEM, public PEM)."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def sign(claims: dict, private_pem: str, kid: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    header = b64url(
        json.dumps({"alg": "EdDSA", "typ": "JWT", "kid": kid}, separators=(",", ":")).encode()
    )
    payload = b64url(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
    signature = key.sign(f"{header}.{payload}".encode())
    return f"{header}.{payload}.{b64url(signature)}"


@dataclass
class Verdict:
    status: str
    claims: dict | None = None

    @property
    def label(self) -> str:
        return LABELS[self.status]


def verify(
    token: str, public_key_for: Callable[[str], str | None], is_revoked: Callable[[str], bool]
) -> Verdict:
    parts = token.strip().split(".")
    if len(parts) != 3:
        return Verdict(MALFORMED)
    try:
        header = json.loads(unb64url(parts[0]))
        claims = json.loads(unb64url(parts[1]))
        signature = unb64url(parts[2])
    except (ValueError, UnicodeDecodeError):
        return Verdict(MALFORMED)
    if not isinstance(header, dict) or header.get("alg") != "EdDSA" or not isinstance(claims, dict):
        return Verdict(MALFORMED)
    public_pem = public_key_for(str(header.get("kid", "")))
    if public_pem is None:
        return Verdict(UNKNOWN_ISSUER, claims)
    key = serialization.load_pem_public_key(public_pem.encode())
    if not isinstance(key, Ed25519PublicKey):
        return Verdict(UNKNOWN_ISSUER, claims)
    try:
        key.verify(signature, f"{parts[0]}.{parts[1]}".encode())
    except InvalidSignature:
        return Verdict(TAMPERED, claims)
    if is_revoked(str(claims.get("jti", ""))):
        return Verdict(REVOKED, claims)
    return Verdict(VALID, claims)
