"""Open Badges 3.0 credentials as VC-JWT (JWS compact). Pure Python + `cryptography`.

Signing: header {"alg": "EdDSA" | "RS256", "typ": "vc+jwt", "kid": URL of the public JWK}, payload
= the credential itself (VCDM 2.0, no `vc` wrapper) plus the JWT claims OB 3.0 §8.2 maps onto it
(iss, jti, sub, nbf, iat). Verification answers one of: valid, foreign (well signed by a key of
ours but not a credential we issued), tampered (signature does not match), unknown issuer (no key
for that kid), revoked, malformed.

Keys are published as JWK (RFC 7517) and, for Ed25519, as Multikey (ed25519-pub multicodec, base58btc
multibase). Revocation is a W3C Bitstring Status List v1.0: GZIP'd bits, multibase base64url.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

EDDSA, RS256 = "EdDSA", "RS256"
ALGORITHMS = (EDDSA, RS256)
# VC-JOSE-COSE §3.1.1: a VC secured as a JWS is typed application/vc+jwt.
TYP = "vc+jwt"
STATUS_LIST_TYP = "vc+jwt"

VALID, FOREIGN, TAMPERED, UNKNOWN_ISSUER, REVOKED, MALFORMED = (
    "valid",
    "foreign",
    "tampered",
    "unknown_issuer",
    "revoked",
    "malformed",
)
LABELS = {
    VALID: "Badge authentique et en vigueur",
    FOREIGN: "Signature valide, émis hors de cette plateforme : Livret n'a pas délivré ce badge",
    TAMPERED: "Badge falsifié : la signature ne correspond pas au contenu",
    UNKNOWN_ISSUER: "Émetteur inconnu : aucune clé publique connue pour ce badge",
    REVOKED: "Badge révoqué par son émetteur",
    MALFORMED: "Ce n'est pas un badge lisible (JWS compact attendu)",
}

# W3C Bitstring Status List v1.0 §6.1: at least 16 KB of bits, so one index hides among many.
STATUS_LIST_BITS = 131_072


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- keys ------------------------------------------------------------------------------------


def new_key(alg: str = EDDSA) -> tuple[str, str]:
    """(private PEM, public PEM) of a new key for `alg`."""
    if alg == EDDSA:
        key = Ed25519PrivateKey.generate()
    elif alg == RS256:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    else:
        raise ValueError(f"algorithme inconnu : {alg}")
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def public_jwk(public_pem: str, kid: str, alg: str) -> dict:
    """The public key as a JWK (never a private member)."""
    key = serialization.load_pem_public_key(public_pem.encode())
    if isinstance(key, Ed25519PublicKey):
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}
    elif isinstance(key, rsa.RSAPublicKey):
        numbers = key.public_numbers()
        jwk = {"kty": "RSA", "n": _int_b64(numbers.n), "e": _int_b64(numbers.e)}
    else:
        raise ValueError("type de clé non pris en charge")
    return {**jwk, "kid": kid, "alg": alg, "use": "sig"}


def _int_b64(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58btc(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = _B58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def multikey(public_pem: str) -> str | None:
    """publicKeyMultibase of an Ed25519 key: 'z' + base58btc(0xed01 ‖ 32 bytes); None for RSA."""
    key = serialization.load_pem_public_key(public_pem.encode())
    if not isinstance(key, Ed25519PublicKey):
        return None
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58btc(b"\xed\x01" + raw)


# --- signing and verifying -------------------------------------------------------------------


def sign(claims: dict, private_pem: str, kid: str, alg: str = EDDSA, typ: str = TYP) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    header = b64url(
        json.dumps({"alg": alg, "typ": typ, "kid": kid}, separators=(",", ":")).encode()
    )
    payload = b64url(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
    signing_input = f"{header}.{payload}".encode()
    if alg == EDDSA and isinstance(key, Ed25519PrivateKey):
        signature = key.sign(signing_input)
    elif alg == RS256 and isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    else:
        raise ValueError(f"la clé ne signe pas en {alg}")
    return f"{header}.{payload}.{b64url(signature)}"


def jwt_claims(document: dict, issued_at: int) -> dict:
    """OB 3.0 §8.2.4 (VCDM 2.0): the credential is the claims set, plus the registered claims
    that mirror it."""
    claims = dict(document)
    issuer = document["issuer"]
    claims["iss"] = issuer["id"] if isinstance(issuer, dict) else issuer
    claims["jti"] = document["id"]
    subject = document["credentialSubject"]
    if subject.get("id"):
        claims["sub"] = subject["id"]
    claims["nbf"] = issued_at
    claims["iat"] = issued_at
    return claims


def _signature_ok(alg: str, public_pem: str, signature: bytes, signing_input: bytes) -> bool:
    key = serialization.load_pem_public_key(public_pem.encode())
    try:
        if alg == EDDSA and isinstance(key, Ed25519PublicKey):
            key.verify(signature, signing_input)
        elif alg == RS256 and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
        else:
            # An algorithm that is not the key's own (alg confusion) proves nothing.
            return False
    except InvalidSignature:
        return False
    return True


@dataclass
class Verdict:
    status: str
    claims: dict | None = None

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def credential(self) -> dict | None:
        """The credential the claims carry (VCDM 2.0 claims set; older tokens wrap it in `vc`)."""
        if not self.claims:
            return None
        vc = self.claims.get("vc")
        return vc if isinstance(vc, dict) else self.claims


def verify(
    token: str,
    public_key_for: Callable[[str], tuple[str, str] | None],
    is_issued: Callable[[str, str], bool],
    is_revoked: Callable[[str], bool],
) -> Verdict:
    """public_key_for(kid) → (public PEM, alg) or None; is_issued(jti, token): the platform
    issued this very token; is_revoked(jti)."""
    token = token.strip()
    parts = token.split(".")
    if len(parts) != 3:
        return Verdict(MALFORMED)
    try:
        header = json.loads(unb64url(parts[0]))
        claims = json.loads(unb64url(parts[1]))
        signature = unb64url(parts[2])
    except (ValueError, UnicodeDecodeError, RecursionError):
        # RecursionError: JSON nested deeper than the parser's stack (a public page's input).
        return Verdict(MALFORMED)
    if (
        not isinstance(header, dict)
        or header.get("alg") not in ALGORITHMS
        or not isinstance(claims, dict)
    ):
        return Verdict(MALFORMED)
    found = public_key_for(str(header.get("kid", "")))
    if found is None:
        return Verdict(UNKNOWN_ISSUER, claims)
    public_pem, key_alg = found
    if header["alg"] != key_alg or not _signature_ok(
        key_alg, public_pem, signature, f"{parts[0]}.{parts[1]}".encode()
    ):
        return Verdict(TAMPERED, claims)
    jti = str(claims.get("jti", ""))
    if not is_issued(jti, token):
        return Verdict(FOREIGN, claims)
    if is_revoked(jti):
        return Verdict(REVOKED, claims)
    return Verdict(VALID, claims)


# --- Bitstring Status List v1.0 --------------------------------------------------------------


def encode_status_list(set_bits, size: int = STATUS_LIST_BITS) -> str:
    """encodedList: multibase base64url ('u') of the GZIP'd bitstring; index 0 is the left-most
    bit of the first byte (§4.2)."""
    bits = bytearray(size // 8)
    for index in set_bits:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + b64url(gzip.compress(bytes(bits), mtime=0))


def status_list_bit(encoded: str, index: int) -> bool:
    if not encoded.startswith("u"):
        raise ValueError("encodedList : multibase base64url ('u') attendu")
    bits = gzip.decompress(unb64url(encoded[1:]))
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
