"""Uploaded files (evidence, attestations, logos): size and type limits, the type read from the
content (never from the name). Low-level: the models of several apps read it."""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError

# What a livret needs as proof: PDF, images, office documents.
ALLOWED = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/msword": ".doc",
}
ALLOWED_LABEL = "PDF, PNG, JPEG, WebP, Word, Excel, PowerPoint, OpenDocument"


def sniff(head: bytes, file) -> str | None:
    """The content type from the first bytes (and, for zip-based office files, the archive's parts)."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/msword"
    if head.startswith(b"PK\x03\x04"):
        try:
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    declared = archive.read("mimetype").decode("ascii", "replace").strip()
                    return declared if declared in ALLOWED else None
                if "[Content_Types].xml" in names:
                    if any(n.startswith("word/") for n in names):
                        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    if any(n.startswith("xl/") for n in names):
                        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    if any(n.startswith("ppt/") for n in names):
                        return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        except (zipfile.BadZipFile, OSError, UnicodeDecodeError):
            return None
    return None


def check(upload) -> str:
    """Return the sniffed content type, or raise a ValidationError that says what is wrong."""
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"Fichier trop volumineux ({upload.size // 1024} Ko) : {limit // (1024 * 1024)} Mo au maximum."
        )
    if upload.size == 0:
        raise ValidationError("Le fichier est vide.")
    upload.seek(0)
    head = upload.read(16)
    kind = sniff(head, upload)
    upload.seek(0)
    if kind is None:
        raise ValidationError(
            f"Type de fichier non accepté : seuls {ALLOWED_LABEL} sont acceptés (contenu vérifié)."
        )
    return kind


def suffix_for(content_type: str) -> str:
    """The file suffix for a content type read from the content (".bin" if unknown)."""
    return ALLOWED.get(content_type, ".bin")


def type_for_name(name: str) -> str:
    """The content type of a file stored under a suffix chosen by `suffix_for`."""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    return next((kind for kind, s in ALLOWED.items() if s == suffix), "application/octet-stream")


def suffix_from_content(fieldfile) -> str:
    """Read the type of an uploaded file from its first bytes; its name is never trusted."""
    try:
        fieldfile.seek(0)
        head = fieldfile.read(16)
        kind = sniff(head, fieldfile)
        fieldfile.seek(0)
    except (OSError, ValueError):
        return ".bin"
    return suffix_for(kind or "")


def download_name(uploaded: str, content_type: str) -> str:
    """The name a download is saved under: the uploaded name's stem, with the suffix of the type
    read from the content. A PDF uploaded as `x.html` is saved as `x.pdf`, so opening the saved
    file never hands a crafted document to the browser as a page."""
    base = uploaded.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base[: base.rfind(".")] if "." in base else base
    stem = stem.strip(". ") or "preuve"
    return f"{stem}{suffix_for(content_type)}"
