"""Personal-data rights over every app: export of everything held on a learner, anonymisation
after the retention period, and the nightly purge. Each app declares its tables (its
personal_data.py, read by livret.privacy.registry); the access log is livret.privacy.services."""

from __future__ import annotations

import datetime
import json
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from livret.personal_data import DELETE, SCRUB, scrub_value
from livret.privacy import registry
from livret.privacy.services import purge_access_logs


def _rows(qs, *fields):
    return [{f: _plain(getattr(obj, f)) for f in fields} for obj in qs]


def _plain(value):
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if hasattr(value, "pk") and not isinstance(value, str | int | float | bool):
        return str(value)
    return value


def _scoped(table, learner_id, user_id):
    """The declared table's rows about this person: by his learner record, else by his account."""
    model = registry.model_of(table)
    if table.learner and learner_id is not None:
        return model.objects.filter(**{table.learner: learner_id})
    if table.user and user_id is not None:
        return model.objects.filter(**{table.user: user_id})
    return None


def export_learner(learner) -> dict:
    """Everything the platform holds on one learner, machine-readable (RGPD art. 15 and 20), as
    each app declares it: never a password, a last login, a token or a key."""
    data = {"exported_at": timezone.now().isoformat()}
    for table in registry.tables().values():
        if not table.export_as:
            continue
        qs = _scoped(table, learner.pk, learner.user_id)
        if qs is None:
            data[table.export_as] = []
            continue
        related = [
            f
            for f in table.export
            if qs.model._meta.get_field(f).is_relation and qs.model._meta.get_field(f).many_to_one
        ]
        data[table.export_as] = _rows(qs.select_related(*related).order_by("pk"), *table.export)
    # His record's past versions (who changed his name or address, and when).
    data["history"] = _rows(
        learner.history.all(),
        "history_date",
        "history_type",
        "first_name",
        "last_name",
        "email",
        "status",
    )
    return json.loads(json.dumps(data, default=str))


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def retention_end(learner) -> datetime.date:
    cohort = learner.cohort
    end_of_training = datetime.date(cohort.start_year + cohort.duration_years, 8, 31)
    return _add_years(end_of_training, learner.centre.retention_years)


def _erase(learner_id, user_id, alias_pk) -> None:
    """Apply every app's declared anonymisation to one person's rows, then the named steps."""
    steps = []
    for table in registry.tables().values():
        qs = _scoped(table, learner_id, user_id)
        if qs is None:
            continue
        model = qs.model
        ids = list(qs.values_list("pk", flat=True))
        if not ids:
            continue
        for name in table.files:
            for obj in model._base_manager.filter(pk__in=ids).exclude(**{name: ""}):
                getattr(obj, name).delete(save=False)
        history = getattr(model, "history", None)
        history = history.model if history is not None else None
        values = {k: scrub_value(v, alias_pk) for k, v in table.scrub.items()}
        if table.delete:
            model._base_manager.filter(pk__in=ids).delete()
        elif values and table.raw:
            _raw_update(model, ids, values)
        elif values:
            model._base_manager.filter(pk__in=ids).update(**values)
        # After the rows: deleting one writes a last past version of it.
        if history is not None and table.history == DELETE:
            history.objects.filter(id__in=ids).delete()
        elif history is not None and table.history == SCRUB and values:
            history.objects.filter(id__in=ids).update(**values)
        if table.custom:
            steps.append((table.custom, ids))
    for name, ids in steps:
        _STEPS[name](ids, learner_id=learner_id, user_id=user_id, alias_pk=alias_pk)


def _raw_update(model, ids, values) -> None:
    # Facts are append-only for people; scrubbing what may name him is the one change the law
    # requires here.
    from django.db import connection

    meta = model._meta
    columns = ", ".join(f"{meta.get_field(k).column} = %s" for k in values)
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {meta.db_table} SET {columns} WHERE {meta.pk.column} IN ({marks})",
            [*values.values(), *ids],
        )


def _step_account(ids, **_) -> None:
    """No password works any more (sessions die with the old hash)."""
    from django.contrib.auth import get_user_model

    users = list(get_user_model().objects.filter(pk__in=ids))
    for user in users:
        user.set_unusable_password()
    get_user_model().objects.bulk_update(users, ["password"])


def _step_learner(ids, **_) -> None:
    from livret.people.models import Learner

    for learner in Learner.objects.filter(pk__in=ids):
        learner.fold_search_text()
        # A new calendar token: the old address, kept in some calendar, opens nothing any more.
        Learner.objects.filter(pk=learner.pk).update(
            search_text=learner.search_text, calendar_token=uuid.uuid4()
        )


def _step_visas(ids, *, user_id, alias_pk, **_) -> None:
    """His own signature's name goes; a trainer's or a tutor's stays."""
    from livret.competences.models import Visa

    if user_id is None:
        return
    mine = list(Visa.objects.filter(pk__in=ids, signer_id=user_id).values_list("pk", flat=True))
    if mine:
        _raw_update(Visa, mine, {"signer_name": f"Anonyme-{alias_pk}"})


def _step_minutes(ids, **_) -> None:
    """Done in anonymise(), which knows his names as they were (see _scrub_minutes)."""


_STEPS = {
    "account": _step_account,
    "learner": _step_learner,
    "visas": _step_visas,
    "minutes": _step_minutes,
}


def _scrub_minutes(candidates, alias) -> None:
    """The minutes (PV) of an official session once signed are the certifier's legal record:
    kept whole. A mock session's minutes, or unsigned ones, lose his name and the jury's words —
    in the snapshot and in the jury's decision row with its past versions."""
    from livret.exams.models import Deliberation, ExamSession, JuryDecision

    for candidate_id, number, session in candidates:
        for d in Deliberation.objects.filter(session=session):
            if session.kind == ExamSession.OFFICIAL and d.signed_at is not None:
                continue
            decisions = JuryDecision.objects.filter(deliberation=d, candidate_id=candidate_id)
            ids = list(decisions.values_list("pk", flat=True))
            if ids:
                decisions.update(reason="")
                JuryDecision.history.filter(id__in=ids).update(reason="")
            changed = False
            for row in d.snapshot:
                # By his candidate number only: a namesake in the same session keeps his row.
                if row.get("number") == number:
                    row["name"] = alias
                    if isinstance(row.get("jury"), dict):
                        row["jury"] = {**row["jury"], "reason": ""}
                    if row.get("comments"):
                        row["comments"] = {}
                    changed = True
            if changed:
                Deliberation.objects.filter(pk=d.pk).update(snapshot=d.snapshot)


@transaction.atomic
def anonymise(learner, today: datetime.date | None = None):
    """Nothing identifies him afterwards; his evaluations stay countable in statistics, and the
    signed minutes of an official session stay as the certifier signed them."""
    from livret.exams.models import Candidate

    today = today or timezone.localdate()
    if today < retention_end(learner):
        raise ValidationError(
            f"Durée de conservation non écoulée : anonymisation possible à partir du {retention_end(learner):%d/%m/%Y}."
        )
    candidates = [
        (c.pk, c.number, c.session)
        for c in Candidate.objects.filter(learner=learner).select_related("session")
    ]
    usernames = [learner.user.username] if learner.user_id else []
    _erase(learner.pk, learner.user_id, learner.pk)
    _scrub_minutes(candidates, f"Anonyme-{learner.pk}")
    _forget_logins(learner.user_id, usernames)
    learner.refresh_from_db()
    return learner


def _forget_logins(user_id, usernames) -> None:
    """His sessions, and the login throttle's records (username, address, browser, times) go:
    they name him and nothing needs them once his account is closed."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.sessions.models import Session

    if usernames:
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__in=usernames).delete()
    if user_id is not None:
        # Sessions are signed blobs: find his by decoding (only the still-valid ones exist).
        doomed = [
            s.pk
            for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
            if str(s.get_decoded().get("_auth_user_id")) == str(user_id)
        ]
        Session.objects.filter(pk__in=doomed).delete()


def is_anonymised(learner) -> bool:
    return learner.user_id is None and learner.first_name == "Anonyme"


# --- VAE candidates who are not learners ------------------------------------------------------
# No text found fixing how long a certifier keeps a VAE dossier: the certifier's own setting
# (vae.VaeSettings.retention_years, 5 years by default) runs from the end of the candidacy.
# What stays afterwards is the certifier's record: the jury's decision, its date and the blocs
# validated (vae/personal_data.py keeps them; only the words about the person go).
# A candidacy with no change for this long has lapsed (the recevabilité of the Éducation
# nationale's diplomas is valid three years: arrêté du 4 juillet 2007).
VAE_LAPSE_YEARS = 3


def candidacy_end(candidacy, today: datetime.date) -> datetime.date | None:
    """When a candidacy ended: the jury's decision, its withdrawal or refusal, or its lapse after
    VAE_LAPSE_YEARS without a change; None while it is alive."""
    from livret.vae.models import Candidacy

    last_change = timezone.localtime(candidacy.updated_at).date()
    if candidacy.status == Candidacy.JURY_DONE:
        result = getattr(candidacy, "jury_result", None)
        return result.jury_date if result is not None else last_change
    if candidacy.status in (Candidacy.WITHDRAWN, Candidacy.INADMISSIBLE, Candidacy.LAPSED):
        return last_change
    lapse = _add_years(last_change, VAE_LAPSE_YEARS)
    return lapse if lapse <= today else None


def vae_retention_end(user, today: datetime.date | None = None) -> datetime.date | None:
    """The day a VAE candidate who is not a learner may be anonymised: his certifiers'
    retention after his last candidacy ended; None while one is alive."""
    from livret.vae.models import Candidacy, VaeSettings

    today = today or timezone.localdate()
    ends = []
    candidacies = list(
        Candidacy.objects.filter(candidate=user).select_related("offer", "jury_result")
    )
    years = dict(
        VaeSettings.objects.filter(
            certifier_id__in={c.offer.certifier_id for c in candidacies}
        ).values_list("certifier_id", "retention_years")
    )
    for candidacy in candidacies:
        end = candidacy_end(candidacy, today)
        if end is None:
            return None
        default = VaeSettings._meta.get_field("retention_years").default
        ends.append(_add_years(end, years.get(candidacy.offer.certifier_id, default)))
    return max(ends) if ends else None


@transaction.atomic
def anonymise_vae_candidate(user, today: datetime.date | None = None):
    from livret.people.models import Learner

    today = today or timezone.localdate()
    if Learner.objects.filter(user=user).exists():
        raise ValidationError("Ce candidat est aussi apprenant : il suit la durée de son centre.")
    end = vae_retention_end(user, today)
    if end is None or today < end:
        raise ValidationError(
            "Durée de conservation non écoulée"
            + (f" : anonymisation possible à partir du {end:%d/%m/%Y}." if end else ".")
        )
    username = user.username
    _erase(None, user.pk, f"vae-{user.pk}")
    _forget_logins(user.pk, [username])
    user.refresh_from_db()
    return user


def purge(today: datetime.date | None = None) -> dict:
    """What `livret privacy purge` does each night: old consultations, expired job files, and
    the learners and VAE candidates whose retention has run out, anonymised."""
    from django.contrib.auth import get_user_model

    from livret.jobs.services import purge_files
    from livret.people.models import Learner

    today = today or timezone.localdate()
    done = {"consultations": purge_access_logs(), "fichiers": purge_files()}
    learners = 0
    for learner in Learner.objects.select_related("cohort", "centre").exclude(
        first_name="Anonyme", user=None
    ):
        if not is_anonymised(learner) and retention_end(learner) <= today:
            anonymise(learner, today)
            learners += 1
    candidates = 0
    users = (
        get_user_model()
        .objects.filter(candidacies__isnull=False, learner__isnull=True)
        .exclude(username__startswith="anonyme-")
        .distinct()
    )
    for user in users:
        end = vae_retention_end(user, today)
        if end is not None and end <= today:
            anonymise_vae_candidate(user, today)
            candidates += 1
    done["apprenants"], done["candidats_vae"] = learners, candidates
    return done
