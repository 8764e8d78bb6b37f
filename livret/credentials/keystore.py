"""The centres' badge-signing private keys, encrypted at rest.

A private key is stored only as AES-256-GCM ciphertext under a key derived (HKDF-SHA256) from the
instance's key-encryption key, `settings.KEY_ENCRYPTION_KEY` (env LIVRET_KEY_ENCRYPTION_KEY or the
file LIVRET_KEY_ENCRYPTION_KEY_FILE names; never the database). The key's `kid` is the associated
data: a ciphertext copied onto another key's row does not decrypt. Whoever reads the database, a
backup or an export without the KEK holds nothing that signs.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from livret.instance_keys import kek_problem

VERSION = "v1"
_INFO = b"livret/credentials/issuer-key/v1"


def _wrapping_key() -> bytes:
    kek = (getattr(settings, "KEY_ENCRYPTION_KEY", None) or "").strip()
    problem = kek_problem(kek)
    if problem:
        # Never a silent fallback: without the KEK no badge is signed.
        raise ImproperlyConfigured(f"Impossible de signer un badge : {problem}.")
    raw = base64.urlsafe_b64decode(kek + "=" * (-len(kek) % 4))
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(raw)


def available() -> bool:
    """Whether a usable KEK is configured (a migration without one retires the keys)."""
    try:
        _wrapping_key()
    except ImproperlyConfigured:
        return False
    return True


def encrypt(private_pem: str, kid: str) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(_wrapping_key()).encrypt(nonce, private_pem.encode(), kid.encode())
    return f"{VERSION}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(blob: str, kid: str) -> str:
    version, _, data = blob.partition(":")
    if version != VERSION or not data:
        raise ImproperlyConfigured(f"Clé de signature {kid} : format chiffré inconnu.")
    raw = base64.urlsafe_b64decode(data)
    try:
        return AESGCM(_wrapping_key()).decrypt(raw[:12], raw[12:], kid.encode()).decode()
    except InvalidTag:
        raise ImproperlyConfigured(
            f"Impossible de signer un badge : la clé de chiffrement des clés "
            f"(LIVRET_KEY_ENCRYPTION_KEY) ne déchiffre pas la clé {kid} ; ce n'est pas celle "
            "qui l'a chiffrée."
        ) from None
