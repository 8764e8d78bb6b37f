"""A big export of France compétences read in the background (livret.jobs): the worker finds
the fiche, its progress bar follows the bytes read, and the preview (the document the import
would create) is stored on the job; confirming writes the draft from that preview, without
reading the file again. Small files are previewed within the request (views.import_fiche)."""

from __future__ import annotations

from django.conf import settings

from livret.people.models import Organisation
from livret.referentiels import imports, rncp
from livret.referentiels import services as ref_services


def inline_limit() -> int:
    """Above this size (bytes) the file is read by the worker: WORKSHOP_IMPORT_INLINE_BYTES."""
    return int(getattr(settings, "WORKSHOP_IMPORT_INLINE_BYTES", 2_000_000))


class CountingReader:
    """A binary file that reports how far it has been read (zip readers seek: the furthest)."""

    def __init__(self, raw, size: int, progress):
        self.raw, self.size, self.progress, self.furthest = raw, max(size, 1), progress, 0

    def _seen(self) -> None:
        position = self.raw.tell()
        if position > self.furthest:
            self.furthest = position
            self.progress(min(position, self.size), self.size)

    def read(self, n=-1):
        data = self.raw.read(n)
        self._seen()
        return data

    def read1(self, n=-1):
        return self.read(n)

    def readinto(self, buffer):
        count = self.raw.readinto(buffer)
        self._seen()
        return count

    def seek(self, *args):
        return self.raw.seek(*args)

    def tell(self):
        return self.raw.tell()

    def seekable(self):
        return True

    def readable(self):
        return True

    def __getattr__(self, name):
        return getattr(self.raw, name)


def preview_job(job, progress) -> None:
    from livret.jobs.runner import JobFailed

    p = job.params
    owner = Organisation.objects.filter(pk=p["owner"]).first() if p.get("owner") else None
    if p.get("owner") and owner is None:
        raise JobFailed("Ce centre n'existe plus : rien n'a été chargé.")
    job.upload.open("rb")
    try:
        size = job.upload.size
        progress(0, size, force=True)
        stream = CountingReader(job.upload.file, size, progress)
        doc, base = imports.preview(stream, p["filename"], p["fiche"], owner)
    except rncp.RncpError as exc:
        raise JobFailed(f"{str(exc).rstrip('.')}. Rien n'a été chargé.") from None
    finally:
        job.upload.close()
    job.result = {"doc": ref_services.jsonable(doc), "base": base.pk if base else None}
    progress(size, size, force=True)
