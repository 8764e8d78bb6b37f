"""A centre's data as one JSON archive, and its restoration into an empty database.

The archive holds every row the centre owns — each app declares its tables and the lookup from a
row to its centre (its personal_data.py) — and every row those point at (companies, the
référentiels), in dependency order, with their primary keys: restoring into a freshly migrated
database gives back the same records.

It carries data, never credentials: no password hash, no last login, no session, no API token,
no private key, no calendar token (each app names what never leaves). People outside the centre
(platform administrators, other centres' people) are never rows: a key to one of them is written
as a neutral account (« administrateur de la plateforme », « personne extérieure au centre »), and
who changed a past version, when an outsider, is left blank. Restored accounts choose a password
through an e-mailed link (invite_restored_accounts).

Also: online backups of the whole database (SQLite backup API, or pg_dump) — the operator's,
with every secret in it: written readable by the owner only, optionally encrypted.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from collections import defaultdict

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import FieldError, ObjectDoesNotExist, ValidationError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from livret.privacy import registry

FORMAT = "livret-archive/2"
READABLE = ("livret-archive/1", FORMAT)  # an archive of the first format restores too

PLATFORM_LABEL = "administrateur de la plateforme"
OUTSIDER_LABEL = "personne extérieure au centre"
# Neutral accounts standing for outsiders: no real name, e-mail or password, never active.
PLACEHOLDERS = {
    "platform": ("administrateur-plateforme", PLATFORM_LABEL),
    "outsider": ("personne-exterieure", OUTSIDER_LABEL),
}


def _by_lookups(qs, lookups, centre_id):
    condition = Q()
    for lookup in lookups:
        condition |= Q(**{lookup: centre_id})
    return qs.filter(condition).distinct()


def _seeds(centre) -> list:
    from livret.referentiels import models as rm

    seeds = [
        _by_lookups(registry.model_of(t).objects.all(), t.centre, centre.pk)
        for t in registry.tables().values()
        if t.centre
    ]
    for path in registry.archive_functions():  # apps that choose their rows themselves
        seeds += list(registry.load(path)(centre))
    # Référentiels are public data, and every livret points into them: take them whole.
    seeds += [
        rm.Diploma.objects.all(),
        rm.Referentiel.objects.all(),
        rm.Pole.objects.all(),
        rm.Activity.objects.all(),
        rm.Task.objects.all(),
        rm.Knowledge.objects.all(),
        rm.Unit.objects.all(),
        rm.Competence.objects.all(),
        rm.Bloc.objects.all(),
        rm.Exam.objects.all(),
    ]
    return seeds


def insiders(centre) -> set:
    """The centre's people: the accounts its declaration of auth.User scopes to it."""
    table = registry.tables()["auth.User"]
    users = _by_lookups(get_user_model().objects.all(), table.centre, centre.pk)
    return set(users.values_list("pk", flat=True))


def _history_model(model):
    """simple_history's table of past versions for `model`, if it keeps one."""
    from simple_history.models import registered_models

    if model._meta.db_table not in registered_models:
        return None
    return model.history.model


def _history_rows(centre, seeds, found) -> list:
    """Every past version of what the archive holds, including versions of rows since deleted
    (a grade removed, then entered again): who changed what, and when, moves with the centre."""
    rows = []
    for model, objects in list(found.items()):
        history = _history_model(model)
        if history is not None:
            rows += list(history.objects.filter(id__in=list(objects)))
    for qs in seeds:
        history = _history_model(qs.model)
        if history is not None:
            kept = list(found.get(qs.model, {}))
            rows += list(_scoped_history(history, qs.model, centre).exclude(id__in=kept))
    return rows


def _scoped_history(history, model, centre):
    """Past versions of the centre's rows deleted since, found by the same declared lookups
    (those a past version can follow: it keeps its keys, not the reverse relations)."""
    table = registry.tables().get(model._meta.label)
    if table is None:
        return history.objects.none()
    condition = Q()
    for lookup in table.centre:
        try:
            history.objects.filter(**{lookup: centre.pk}).query  # noqa: B018 — resolves or not
        except FieldError:
            continue
        condition |= Q(**{lookup: centre.pk})
    if not condition:
        return history.objects.none()
    return history.objects.filter(condition)


class _Walk:
    """The seeds closed over foreign keys and many-to-many targets, stopping at people outside
    the centre (kept as ids only, to be written as a neutral label)."""

    def __init__(self, centre):
        self.user_model = get_user_model()
        self.insiders = insiders(centre)
        self.outsiders: set = set()
        self.found = defaultdict(dict)

    def _outside(self, model, pk) -> bool:
        if model is self.user_model and pk not in self.insiders:
            self.outsiders.add(pk)
            return True
        return False

    def close(self, queue) -> None:
        found = self.found
        while queue:
            obj = queue.pop()
            model = obj._meta.concrete_model
            if obj.pk in found[model]:
                continue
            found[model][obj.pk] = obj
            for f in model._meta.concrete_fields:
                if not (f.is_relation and (f.many_to_one or f.one_to_one)):
                    continue
                pk = getattr(obj, f.attname)
                if pk is None or self._outside(f.related_model, pk):
                    continue
                try:
                    target = getattr(obj, f.name, None)
                except ObjectDoesNotExist:
                    continue  # a past version may point at a row deleted since
                if target is not None and target.pk not in found[target._meta.concrete_model]:
                    queue.append(target)
            for f in model._meta.many_to_many:
                for t in getattr(obj, f.name).all():
                    if self._outside(f.related_model, t.pk):
                        continue
                    if t.pk not in found[t._meta.concrete_model]:
                        queue.append(t)


def _collect(centre) -> _Walk:
    """The seeds, closed over their keys, then the past versions of all of it."""
    walk = _Walk(centre)
    seeds = _seeds(centre)
    walk.close([obj for qs in seeds for obj in qs])
    walk.close(_history_rows(centre, seeds, walk.found))
    return walk


def _encode(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()  # datetimes keep their microseconds
    return str(value)  # Decimal, UUID


class _Neutral:
    """Outsiders' ids → the neutral accounts that stand for them in the archive."""

    def __init__(self, outsiders: set, first_free_pk: int):
        platform = set(
            get_user_model()
            .objects.filter(pk__in=outsiders)
            .filter(Q(is_superuser=True) | Q(is_staff=True))
            .values_list("pk", flat=True)
        )
        self.kind = {pk: "platform" if pk in platform else "outsider" for pk in outsiders}
        self.pks = {"platform": first_free_pk, "outsider": first_free_pk + 1}
        self.used: set = set()

    def stand_in(self, pk):
        kind = self.kind[pk]
        self.used.add(kind)
        return self.pks[kind]

    def label(self, pk) -> str:
        return PLACEHOLDERS[self.kind[pk]][1]

    def records(self) -> list:
        now = timezone.now().isoformat()
        return [
            {
                "model": "auth.user",
                "pk": self.pks[kind],
                "fields": {
                    "username": PLACEHOLDERS[kind][0],
                    "first_name": PLACEHOLDERS[kind][1],
                    "last_name": "",
                    "email": "",
                    "is_active": False,
                    "date_joined": now,
                },
            }
            for kind in ("platform", "outsider")
            if kind in self.used
        ]


def _clean(record: dict, model, neutral: _Neutral, user_model) -> dict:
    """What never leaves is dropped; keys to outsiders point at the neutral accounts."""
    fields = record["fields"]
    table = registry.declared_for(model)
    for name in table.archive_omit if table else ():
        fields.pop(name, None)
    for f in model._meta.concrete_fields:
        if f.related_model is not user_model or fields.get(f.name) not in neutral.kind:
            continue
        pk = fields[f.name]
        if table:
            for text, key in table.archive_names.items():
                if key == f.name and text in fields:
                    fields[text] = neutral.label(pk)
        # Who changed a past version: blank when an outsider (the row stays, the name goes).
        fields[f.name] = None if f.name == "history_user" else neutral.stand_in(pk)
    for f in model._meta.many_to_many:
        if f.related_model is user_model and f.name in fields:
            ids = [neutral.stand_in(pk) if pk in neutral.kind else pk for pk in fields[f.name]]
            fields[f.name] = list(dict.fromkeys(ids))
    return record


def export_archive(centre) -> dict:
    walk = _collect(centre)
    found, user_model = walk.found, walk.user_model
    app_list = defaultdict(list)
    for model in found:
        app_list[model._meta.app_config].append(model)
    ordered = serializers.sort_dependencies(app_list.items())
    user_pks = [*found.get(user_model, {}), *walk.outsiders, 0]
    neutral = _Neutral(walk.outsiders, max(user_pks) + 1)
    records = []
    for model in ordered:
        rows = sorted(found[model].values(), key=lambda o: str(o.pk))
        records += [
            _clean(r, model, neutral, user_model) for r in serializers.serialize("python", rows)
        ]
    records = neutral.records() + records
    # Full precision: Django's JSON encoder would cut datetimes to the millisecond.
    records = json.loads(json.dumps(records, default=_encode))
    return {"format": FORMAT, "centre": centre.name, "records": records}


def archive_job(job, progress) -> None:
    """Background job: the centre's archive as a JSON file; every learner's access log says so."""
    from django.utils.text import slugify

    from livret import access
    from livret.jobs.runner import JobFailed, save_file
    from livret.people.models import Learner
    from livret.privacy.models import AccessLog

    user = job.requested_by
    if not access.is_manager(user) or access.centre_id_of(user) != job.centre_id:
        raise JobFailed("Vous ne gérez plus ce centre : aucune archive préparée.")
    progress(0, 2, force=True)
    archive = export_archive(job.centre)
    progress(1, 2, force=True)
    content = json.dumps(archive, ensure_ascii=False).encode()
    name = user.get_full_name() or user.username
    AccessLog.objects.bulk_create(
        AccessLog(learner_id=pk, viewer=user, viewer_name=name, what="archive du centre exportée")
        for pk in Learner.objects.filter(centre=job.centre).values_list("pk", flat=True)
    )
    save_file(job, f"archive-{slugify(job.centre.name) or job.centre.pk}.json", content)
    progress(2, 2, force=True)


def _without_secrets(record: dict) -> dict:
    """What never leaves never comes in either (an archive written before, or edited by hand)."""
    try:
        model = apps.get_model(record["model"])
    except (LookupError, ValueError):
        return record  # the deserializer names it
    table = registry.declared_for(model)
    for name in table.archive_omit if table else ():
        record.get("fields", {}).pop(name, None)
    return record


def restore_archive(archive: dict) -> int:
    """Load an archive into an empty (freshly migrated) database, all or nothing. No restored
    account can log in until its owner chooses a password (invite_restored_accounts)."""
    if archive.get("format") not in READABLE:
        raise ValidationError(f"format d'archive inconnu (attendu : {FORMAT})")
    from livret.people.models import Organisation
    from livret.referentiels.models import Referentiel

    if Organisation.objects.exists() or Referentiel.objects.exists():
        raise ValidationError(
            "la base n'est pas vide : restaurez dans une base neuve (manage.py migrate seulement)"
        )
    records = [
        _without_secrets(dict(r, fields=dict(r.get("fields", {})))) for r in archive["records"]
    ]
    n = 0
    with transaction.atomic():
        for obj in serializers.deserialize("python", records, ignorenonexistent=True):
            obj.save()
            n += 1
        _reset_sequences({apps.get_model(r["model"]) for r in records})
        users = list(get_user_model().objects.all())
        for user in users:
            user.set_unusable_password()
        get_user_model().objects.bulk_update(users, ["password"])
        # Stored alerts are not carried (they are derived): computed again as the restore commits
        # (periods.alerts, up to INLINE learners), else by the scheduler's next run.
        from livret.people.models import Learner

        Learner.objects.update(alerts_on=None)
    return n


def invite_restored_accounts(base_url: str) -> tuple[int, list[str]]:
    """Each active account with an e-mail receives a link to choose its password; the others
    (usernames) are returned, for the operator to reach another way."""
    from django.conf import settings
    from django.core.mail import send_mail

    from livret.people.services import password_link

    sent, without = 0, []
    for user in get_user_model().objects.filter(is_active=True).order_by("username"):
        if not user.email:
            without.append(user.username)
            continue
        send_mail(
            "Livret — choisissez votre mot de passe",
            f"Bonjour {user.get_full_name() or user.username},\n\n"
            "Les données de votre centre ont été transférées sur une nouvelle installation de "
            f"Livret. Votre identifiant reste « {user.username} », mais aucun mot de passe n'a "
            "été transféré : choisissez le vôtre (12 caractères au moins) à cette adresse :\n\n"
            f"{password_link(user, base_url)}\n\n"
            "Ce lien ne sert qu'une fois et expire dans trois jours ; passé ce délai, "
            "demandez-en un autre avec « Mot de passe oublié ? » sur la page de connexion.\n",
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
        sent += 1
    return sent, without


def _reset_sequences(models) -> None:
    """PostgreSQL: move each id sequence past the restored primary keys."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cur:
        for sql in statements:
            cur.execute(sql)


# --- whole-database backups (the operator's: every secret is in them) -------------------------
BACKUP_MAGIC = b"LIVRET-BACKUP-AESGCM-1\n"
_CHUNK = 1 << 20


def _private_file(path: str) -> None:
    """Create (or truncate) the file readable and writable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def backup_key(environ=os.environ) -> bytes | None:
    """LIVRET_BACKUP_KEY: 32 bytes in base64 (e.g. `python -c "import os, base64;
    print(base64.urlsafe_b64encode(os.urandom(32)).decode())"`); absent, no encryption."""
    import base64
    import binascii

    raw = environ.get("LIVRET_BACKUP_KEY", "").strip()
    if not raw:
        return None
    try:
        key = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise RuntimeError("LIVRET_BACKUP_KEY doit être 32 octets encodés en base64")
    return key


def _encrypt_file(path: str, key: bytes) -> None:
    """AES-256-GCM, streamed: magic, 12-byte nonce, ciphertext, 16-byte tag."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(BACKUP_MAGIC)
    tmp = path + ".chiffre"
    _private_file(tmp)
    with open(path, "rb") as src, open(tmp, "wb") as dst:
        dst.write(BACKUP_MAGIC + nonce)
        while chunk := src.read(_CHUNK):
            dst.write(encryptor.update(chunk))
        dst.write(encryptor.finalize() + encryptor.tag)
    os.replace(tmp, path)


def decrypt_backup(source: str, destination: str, key: bytes) -> str:
    """The clear backup again (written 0600); refuses a wrong key or a changed file."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    size = os.path.getsize(source)
    with open(source, "rb") as src:
        if src.read(len(BACKUP_MAGIC)) != BACKUP_MAGIC:
            raise RuntimeError("ce fichier n'est pas une sauvegarde chiffrée de Livret")
        nonce = src.read(12)
        src.seek(size - 16)
        tag = src.read(16)
        src.seek(len(BACKUP_MAGIC) + 12)
        left = size - len(BACKUP_MAGIC) - 12 - 16
        decryptor = Cipher(algorithms.AES(key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(BACKUP_MAGIC)
        tmp = destination + ".partiel"
        _private_file(tmp)
        with open(tmp, "wb") as dst:
            while left > 0:
                chunk = src.read(min(_CHUNK, left))
                left -= len(chunk)
                dst.write(decryptor.update(chunk))
            try:
                dst.write(decryptor.finalize())
            except InvalidTag:
                dst.close()
                os.remove(tmp)
                raise RuntimeError(
                    "clé incorrecte ou fichier modifié : rien n'a été déchiffré"
                ) from None
    os.replace(tmp, destination)
    return destination


def backup(destination: str, key: bytes | None = None) -> str:
    """An online backup of the whole database: SQLite's backup API, or pg_dump (custom format).
    Readable by its owner only; encrypted with AES-256-GCM when a key is given."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        if connection.in_atomic_block:
            # Transactions begin IMMEDIATE (settings): ours would hold the write lock that
            # SQLite's backup waits for, for ever.
            raise RuntimeError("sauvegarde SQLite impossible dans une transaction en cours")
        connection.ensure_connection()
        _private_file(destination)
        target = sqlite3.connect(destination)
        with target:
            connection.connection.backup(target)
        target.close()
    elif connection.vendor == "postgresql":
        if shutil.which("pg_dump") is None:
            raise RuntimeError(
                "pg_dump introuvable : installez le client PostgreSQL (paquet postgresql-client)"
            )
        _private_file(destination)
        env = {"PGPASSWORD": settings_dict.get("PASSWORD") or ""}
        cmd = [
            "pg_dump",
            "--format=custom",
            "--file",
            destination,
            "--host",
            settings_dict.get("HOST") or "localhost",
            "--port",
            str(settings_dict.get("PORT") or 5432),
            "--username",
            settings_dict.get("USER") or "postgres",
            settings_dict["NAME"],
        ]
        subprocess.run(
            cmd, check=True, env={**os.environ, **env}, capture_output=True, timeout=3600
        )
    else:
        raise RuntimeError(f"sauvegarde non prise en charge pour {connection.vendor}")
    os.chmod(destination, 0o600)
    if key is not None:
        _encrypt_file(destination, key)
    return destination
