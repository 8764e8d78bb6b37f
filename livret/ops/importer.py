"""Import companies, tutors, cohorts, learners and past evaluations from CSV/XLSX.

Each kind has a documented template (its columns, in French); another layout is mapped column by
column. `preview` reads every row and reports every error (line, column, what is wrong) and what
each row would do (nouveau / modifié / inchangé) without saving; `apply` does it all in one
transaction or nothing. Rows are matched on a natural key, so importing the same file twice
changes nothing and a changed row updates its record.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from livret.centre.kinds import KINDS as RECORDS
from livret.people.emails import normalise_email
from livret.people.models import Cohort, Learner, Organisation, Profile
from livret.tables import ImportError_, normalize_header, read_table

NEW, CHANGED, SAME = "nouveau", "modifié", "inchangé"


class RowError(ValueError):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column


class RowErrors(ValueError):
    """Every problem of one row, reported together (not only the first one)."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def _checked(problems: list, fn, *args):
    """Run one independent check; record its RowError and go on with the others."""
    try:
        return fn(*args)
    except RowError as exc:
        problems.append(exc)
        return None


def _email(value: str, column: str = "courriel") -> str:
    """The same check as the centre's forms and « Mon compte » (livret.people.emails)."""
    try:
        return normalise_email(value)
    except ValidationError as exc:
        raise RowError(column, exc.messages[0]) from None


def _date(value: str, column: str):
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise RowError(column, f"date illisible « {value} » (JJ/MM/AAAA ou AAAA-MM-JJ)")


STATUSES = {
    "apprenti": Learner.APPRENTICE,
    "apprentice": Learner.APPRENTICE,
    "contrat de professionnalisation": Learner.PROFESSIONALISATION,
    "professionnalisation": Learner.PROFESSIONALISATION,
    "scolaire": Learner.SCHOOL,
    "school": Learner.SCHOOL,
    "formation continue": Learner.CONTINUING,
    "continuing": Learner.CONTINUING,
}
LEVELS = {
    "acquise": "acquired",
    "a": "acquired",
    "en cours": "in_progress",
    "en cours d'acquisition": "in_progress",
    "e": "in_progress",
    "non acquise": "not_acquired",
    "n": "not_acquired",
}


@dataclass
class Kind:
    label: str
    columns: list[tuple[str, str, bool]]  # (field, French header, required)
    plan: Callable  # (centre, row dict, line) -> (key, action callable, description dict)


@dataclass
class PreviewRow:
    line: int
    values: dict
    outcome: str = ""
    errors: list[str] = field(default_factory=list)
    apply: Callable | None = None
    warnings: list[str] = field(default_factory=list)  # worth a look, not a refusal


@dataclass
class Preview:
    kind: str
    headers: list[str]
    mapping: dict[str, int]
    rows: list[PreviewRow]
    errors: list[str]
    sample: list[str] = field(default_factory=list)  # the file's first data row, for the mapping
    plan: list | None = None  # learners: what confirm writes, decided once by the preview
    skipped: list[str] = field(default_factory=list)  # the template's example line, left out

    @property
    def warnings(self):
        return [w for r in self.rows for w in r.warnings]

    @property
    def error_count(self):
        return len(self.errors) + sum(len(r.errors) for r in self.rows)

    @property
    def ok(self):
        return not self.error_count and bool(self.rows)

    def counts(self):
        return {k: sum(1 for r in self.rows if r.outcome == k) for k in (NEW, CHANGED, SAME)}

    def mapping_rows(self, columns):
        """One line per Livret field: the file's column chosen for it and a sample value."""
        out = []
        for f, header, required in columns:
            index = self.mapping.get(f)
            out.append(
                {
                    "field": f,
                    "header": header,
                    "required": required,
                    "index": index,
                    "sample": self.sample[index]
                    if index is not None and index < len(self.sample)
                    else "",
                    "missing": required and index is None,
                }
            )
        return out


def _diff(obj, values: dict) -> str:
    if obj is None:
        return NEW
    return SAME if all(getattr(obj, k) == v for k, v in values.items()) else CHANGED


def _save(model, lookup: dict, values: dict):
    def run():
        obj, created = model.objects.get_or_create(**lookup, defaults=values)
        if not created:
            for k, v in values.items():
                setattr(obj, k, v)
            obj.save()
        return obj

    return run


def _is_centre_tutor(user, centre) -> bool:
    profile = getattr(user, "profile", None)
    return (
        profile is not None
        and profile.role == Profile.TUTOR
        and Organisation.objects.filter(pk=profile.organisation_id, centre=centre).exists()
    )


# --- kinds -----------------------------------------------------------------------------------------
def plan_company(centre, row, cache):
    name = row["name"]
    if not name:
        raise RowError("nom", "nom de l'entreprise vide")
    siret = row.get("siret", "")
    if siret and (not siret.isdigit() or len(siret) != 14):
        raise RowError("siret", f"SIRET « {siret} » : 14 chiffres attendus")
    # Natural keys are looked up within the importing centre only: another centre's record of
    # the same firm is never read nor changed.
    lookup = (
        {"siret": siret, "kind": Organisation.COMPANY, "centre": centre}
        if siret
        else {"name": name, "kind": Organisation.COMPANY, "centre": centre}
    )
    values = {"name": name, "city": row.get("city", "")}
    existing = Organisation.objects.filter(**lookup).first()
    cache.setdefault("companies", set()).add(name)
    return ("company", siret or name), _diff(existing, values), _save(Organisation, lookup, values)


def plan_tutor(centre, row, cache):
    username = row["username"].lower()
    if not username:
        raise RowError("identifiant", "identifiant vide")
    company = Organisation.objects.filter(
        kind=Organisation.COMPANY, centre=centre, name=row["company"]
    ).first()
    if company is None and row["company"] not in cache.get("companies", set()):
        raise RowError(
            "entreprise",
            f"entreprise « {row['company']} » inconnue (importez d'abord les entreprises)",
        )
    values = {
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "email": _email(row.get("email", "")),
    }
    user_model = get_user_model()
    existing = user_model.objects.filter(username=username).select_related("profile").first()
    if existing is not None and not _is_centre_tutor(existing, centre):
        # Usernames are unique on the whole instance: an account of another centre (or of
        # another role) is never taken over by an import.
        raise RowError(
            "identifiant", f"identifiant « {username} » déjà utilisé par un autre compte"
        )

    def run():
        user, _ = user_model.objects.update_or_create(username=username, defaults=values)
        if not user.has_usable_password():
            user.set_unusable_password()
        org = company or Organisation.objects.get(
            kind=Organisation.COMPANY, centre=centre, name=row["company"]
        )
        Profile.objects.update_or_create(
            user=user, defaults={"role": Profile.TUTOR, "organisation": org}
        )
        return user

    cache.setdefault("tutors", set()).add(username)
    return ("tutor", username), _diff(existing, values), run


def plan_cohort(centre, row, cache):
    from livret.referentiels.models import Referentiel

    ref = (
        Referentiel.objects.offered(centre)
        .filter(diploma__slug=row["diploma"])
        .order_by("-version")
        .first()
    )
    if ref is None:
        raise RowError("diplome", f"diplôme « {row['diploma']} » inconnu (ex. bts-mos)")
    try:
        start_year = int(row["start_year"])
        duration = int(row.get("duration") or 2)
    except ValueError:
        raise RowError("annee_debut", "année et durée : des nombres entiers") from None
    if not 2000 <= start_year <= 2100:
        raise RowError("annee_debut", f"année {start_year} hors de 2000–2100")
    lookup = {"centre": centre, "name": row["name"]}
    values = {"referentiel": ref, "start_year": start_year, "duration_years": duration}
    existing = Cohort.objects.filter(**lookup).first()
    cache.setdefault("cohorts", set()).add(row["name"])
    return ("cohort", row["name"]), _diff(existing, values), _save(Cohort, lookup, values)


def _learner_lookups(centre, cache):
    """Everything a learner row is checked against, read once for the whole file."""
    if "cohort_by_name" in cache:
        return
    cache["cohort_by_name"] = {
        c.name: c.pk for c in Cohort.objects.filter(centre=centre).only("pk", "name")
    }
    cache["company_by_name"] = {
        o.name: o.pk
        for o in Organisation.objects.filter(kind=Organisation.COMPANY, centre=centre).only(
            "pk", "name"
        )
    }
    tutors = (
        get_user_model()
        .objects.filter(profile__role=Profile.TUTOR, profile__organisation__centre=centre)
        .values_list("username", "pk", "first_name", "last_name", "profile__organisation__name")
    )
    cache["tutor_by_username"] = {username: pk for username, pk, *_ in tutors}
    # A learner's tutor works in his company: each tutor's name and company, for the message.
    cache["tutor_company"] = {pk: (f"{f} {ln}".strip(), org) for _, pk, f, ln, org in tutors}
    by_email, by_identity, namesakes = {}, {}, {}
    for learner in Learner.objects.filter(centre=centre).only(*LEARNER_FIELDS, "pk", "centre"):
        if learner.email:
            by_email[learner.email.lower()] = learner
        by_identity[(learner.last_name, learner.first_name, learner.birth_date)] = learner
        if learner.birth_date:
            namesakes.setdefault(
                _namesake(learner.last_name, learner.first_name, learner.birth_date), []
            ).append(learner)
    cache["learner_by_email"], cache["learner_by_identity"] = by_email, by_identity
    cache["namesakes"] = namesakes


def _namesake(last_name: str, first_name: str, birth) -> tuple:
    """Same last name, first name and birth date, whatever the case: most often one person."""
    return (last_name.strip().lower(), first_name.strip().lower(), birth)


LEARNER_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "birth_date",
    "status",
    "cohort_id",
    "company_id",
    "tutor_id",
    "contract_start",
    "contract_end",
)


def plan_learner(centre, row, cache):
    problems: list[RowError] = []
    _learner_lookups(centre, cache)
    status = STATUSES.get(row["status"].lower())
    if status is None:
        problems.append(
            RowError(
                "statut",
                f"statut « {row['status']} » inconnu (apprenti, contrat de professionnalisation, scolaire, formation continue)",
            )
        )
    cohort = cache["cohort_by_name"].get(row["cohort"])
    if cohort is None:
        problems.append(
            RowError("promotion", f"promotion « {row['cohort']} » inconnue dans ce centre")
        )
    company = cache["company_by_name"].get(row["company"]) if row.get("company") else None
    if row.get("company") and company is None:
        problems.append(RowError("entreprise", f"entreprise « {row['company']} » inconnue"))
    tutor = cache["tutor_by_username"].get(row["tutor"].lower()) if row.get("tutor") else None
    if row.get("tutor") and tutor is None:
        problems.append(RowError("tuteur", f"tuteur « {row['tutor']} » inconnu"))
    if tutor is not None and (company is not None or not row.get("company")):
        name, works_at = cache["tutor_company"][tutor]
        if not row.get("company"):
            problems.append(
                RowError("entreprise", f"entreprise manquante : {name} est tuteur chez {works_at}")
            )
        elif works_at != row["company"]:
            problems.append(
                RowError("tuteur", f"{name} est tuteur chez {works_at}, pas chez {row['company']}")
            )
    birth = _checked(problems, _date, row.get("birth_date", ""), "date_naissance")
    start, end = (
        _checked(problems, _date, row.get("contract_start", ""), "debut_contrat"),
        _checked(problems, _date, row.get("contract_end", ""), "fin_contrat"),
    )
    if start and end and end < start:
        problems.append(RowError("fin_contrat", "la fin du contrat précède son début"))
    email = _checked(problems, _email, row.get("email", "")) or ""
    if problems:
        raise RowErrors(problems)
    identity = (row["last_name"], row["first_name"], birth)
    existing = cache["learner_by_email"].get(email.lower()) if email else None
    if existing is None:
        # A learner first imported without an address is found by his name and birth date.
        known = cache["learner_by_identity"].get(identity)
        if known is not None and not (email and known.email):
            existing = known
    if existing is not None and not email:
        email = existing.email  # an empty cell does not erase the address he has
    warnings = []
    if birth:
        key = _namesake(row["last_name"], row["first_name"], birth)
        for other in cache["namesakes"].get(key, []):
            if existing is None or other.pk != existing.pk:
                warnings.append(
                    f"même nom et même date de naissance que {other.full_name}, déjà dans le "
                    "centre : vérifiez qu'il ne s'agit pas de la même personne"
                )
        for line in cache.setdefault("namesake_lines", {}).get(key, []):
            warnings.append(f"même nom et même date de naissance qu'à la ligne {line}")
        cache["namesake_lines"].setdefault(key, []).append(cache.get("line"))
    cache["warnings"] = warnings
    values = {
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "email": email,
        "birth_date": birth,
        "status": status,
        "cohort_id": cohort,
        "company_id": company,
        "tutor_id": tutor,
        "contract_start": start,
        "contract_end": end,
    }
    outcome = _diff(existing, values)
    # What confirm needs, kept with the preview: no second reading of the file.
    cache.setdefault("plan", []).append(
        {
            "pk": existing.pk if existing else None,
            "outcome": outcome,
            "values": {
                k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()
            },
        }
    )
    lookup = (
        {"centre": centre, "email": email}
        if email
        else {
            "centre": centre,
            **dict(zip(("last_name", "first_name", "birth_date"), identity, strict=True)),
        }
    )
    if existing is not None:
        lookup = {"centre": centre, "pk": existing.pk}
    elif email:
        lookup = {"centre": centre, "email__iexact": email}
    save = _save(Learner, lookup, values)

    def run():
        learner = save()
        if learner.user_id:
            from livret.people.services import sync_account_email

            sync_account_email(learner)
        return learner

    return ("learner", (email or "").lower() or identity), outcome, run


def plan_evaluation(centre, row, cache):
    from livret.competences.models import CompetenceEvaluation
    from livret.competences.services import record_evaluation
    from livret.referentiels.models import Competence

    problems: list[RowError] = []
    learner = (
        Learner.objects.filter(centre=centre, email=row["learner"].lower())
        .select_related("cohort__referentiel")
        .first()
    )
    competence = None
    if learner is None:
        problems.append(RowError("apprenant", f"apprenant « {row['learner']} » inconnu (courriel)"))
    else:
        competence = Competence.objects.filter(
            referentiel=learner.cohort.referentiel, code=row["competence"]
        ).first()
        if competence is None:
            problems.append(
                RowError(
                    "competence", f"compétence « {row['competence']} » inconnue pour ce diplôme"
                )
            )
    level = LEVELS.get(row["level"].lower())
    if level is None:
        problems.append(
            RowError(
                "niveau", f"niveau « {row['level']} » inconnu (acquise, en cours, non acquise)"
            )
        )
    day = _checked(problems, _date, row["date"], "date")
    unreadable = any(p.column == "date" for p in problems)
    if (day is None or day > datetime.date.today()) and not unreadable:
        problems.append(RowError("date", "date de l'observation manquante ou dans le futur"))
    # The evaluator is one of this centre's own team, never another centre's account.
    evaluator = (
        get_user_model()
        .objects.filter(
            username=row["evaluator"].lower(),
            profile__organisation=centre,
            profile__role__in=(Profile.TRAINER, Profile.MANAGER),
        )
        .first()
    )
    if evaluator is None:
        problems.append(
            RowError("evaluateur", f"évaluateur « {row['evaluator']} » inconnu dans ce centre")
        )
    if problems:
        raise RowErrors(problems)
    exists = CompetenceEvaluation.objects.filter(
        learner=learner, competence=competence, observed_on=day, level=level
    ).exists()

    def run():
        if not CompetenceEvaluation.objects.filter(
            learner=learner, competence=competence, observed_on=day, level=level
        ).exists():
            record_evaluation(
                learner=learner,
                competence=competence,
                level=level,
                observed_on=day,
                evaluator=evaluator,
                comment="Importé d'un outil précédent",
            )

    return ("evaluation", learner.pk, competence.pk, day, level), SAME if exists else NEW, run


# Which centre records a file can bring, with their columns: the registry of « Mon centre »
# (livret.centre.kinds); how a row is written is said here. Companies first: tutors name them.
PLANS = {
    "entreprises": plan_company,
    "tuteurs": plan_tutor,
    "promotions": plan_cohort,
    "apprenants": plan_learner,
}
KINDS = {
    slug: Kind(RECORDS[slug].imports.label, list(RECORDS[slug].imports.columns), plan)
    for slug, plan in PLANS.items()
}
# Past evaluations from a previous tool: facts of the livret, not records of the centre.
KINDS["evaluations"] = Kind(
    "Évaluations (outil précédent)",
    [
        ("learner", "apprenant", True),
        ("competence", "competence", True),
        ("level", "niveau", True),
        ("date", "date", True),
        ("evaluator", "evaluateur", True),
    ],
    plan_evaluation,
)


# One example line per template, recognisably an example (the reserved .example domain, a
# company and names nobody has). A file that still carries it imports the same: the line equal to
# the published example is left out and the preview says so.
EXAMPLES = {
    "entreprises": {"name": "Exemple Travaux SARL", "city": "Lyon", "siret": "12345678900011"},
    "tuteurs": {
        "username": "exemple.tuteur",
        "first_name": "Paul",
        "last_name": "Exemple",
        "email": "paul.exemple@entreprise.example",
        "company": "Exemple Travaux SARL",
    },
    "promotions": {
        "name": "Exemple BTS MOS 2026",
        "diploma": "bts-mos",
        "start_year": "2026",
        "duration": "2",
    },
    "apprenants": {
        "last_name": "Exemple",
        "first_name": "Léa",
        "email": "lea.exemple@apprenant.example",
        "birth_date": "14/03/2007",
        "status": "apprenti",
        "cohort": "Exemple BTS MOS 2026",
        "company": "Exemple Travaux SARL",
        "tutor": "exemple.tuteur",
        "contract_start": "01/09/2026",
        "contract_end": "31/08/2028",
    },
    "evaluations": {
        "learner": "lea.exemple@apprenant.example",
        "competence": "C1",
        "level": "acquise",
        "date": "15/01/2027",
        "evaluator": "exemple.formateur",
    },
}

# What each column accepts, for the second file of a template.
_FORMAT_DATE = "JJ/MM/AAAA (ou AAAA-MM-JJ)"
ALLOWED = {
    "birth_date": _FORMAT_DATE,
    "contract_start": _FORMAT_DATE,
    "contract_end": _FORMAT_DATE,
    "date": _FORMAT_DATE + ", pas dans le futur",
    "status": "apprenti, contrat de professionnalisation, scolaire, formation continue",
    "level": "acquise, en cours, non acquise (ou A, E, N)",
    "email": "une adresse électronique (nom@domaine.fr)",
    "siret": "14 chiffres",
    "start_year": "une année, de 2000 à 2100",
    "duration": "un nombre d'années (2 si vide)",
    "diploma": "le code du diplôme, ex. bts-mos",
    "cohort": "le nom d'une promotion du centre (importée avant)",
    "company": "le nom d'une entreprise du centre (importée avant)",
    "tutor": "l'identifiant d'un tuteur de cette entreprise",
    "learner": "le courriel de l'apprenant",
    "evaluator": "l'identifiant d'un formateur du centre",
    "username": "en minuscules, unique sur la plateforme",
}


def template_csv(kind: str) -> str:
    """The columns, then one example line (left out if imported as it is)."""
    from livret.exports import csv_text

    columns = KINDS[kind].columns
    example = EXAMPLES.get(kind, {})
    return csv_text(
        [[header for _, header, _ in columns], [example.get(f, "") for f, _, _ in columns]]
    )


def values_csv(kind: str) -> str:
    """The template's second file: for each column, whether it is required and what it takes."""
    from livret.exports import csv_text

    rows = [["colonne", "obligatoire", "valeurs admises", "exemple"]]
    example = EXAMPLES.get(kind, {})
    for f, header, required in KINDS[kind].columns:
        rows.append(
            [
                header,
                "oui" if required else "non",
                ALLOWED.get(f, "texte libre"),
                example.get(f, ""),
            ]
        )
    return csv_text(rows)


def is_example(kind: str, data: dict) -> bool:
    """The row is the template's example line, as published."""
    example = EXAMPLES.get(kind)
    return bool(example) and all(
        data.get(f, "") == example.get(f, "") for f, _, _ in KINDS[kind].columns
    )


def guess_mapping(kind: str, headers: list[str]) -> dict[str, int]:
    normalized = [normalize_header(h) for h in headers]
    return {f: normalized.index(h) for f, h, _ in KINDS[kind].columns if h in normalized}


def preview(
    centre, kind: str, raw: bytes, filename: str, mapping: dict[str, int] | None = None
) -> Preview:
    spec = KINDS[kind]
    try:
        table = read_table(raw, filename)
    except ImportError_ as exc:
        return Preview(kind, [], {}, [], [str(exc)])
    if not table:
        return Preview(kind, [], {}, [], ["fichier vide"])
    headers = table[0]
    sample = [str(v) for v in table[1]] if len(table) > 1 else []
    mapping = mapping if mapping is not None else guess_mapping(kind, headers)
    errors = [
        f"colonne « {h} » absente (ou non associée)"
        for f, h, required in spec.columns
        if required and f not in mapping
    ]
    if errors:
        return Preview(kind, headers, mapping, [], errors, sample)
    rows, keys, cache, skipped = [], {}, {}, []
    for line, values in enumerate(table[1:], start=2):
        if not any(str(v).strip() for v in values):
            continue
        data = {f: (str(values[i]).strip() if i < len(values) else "") for f, i in mapping.items()}
        for f, _, _ in spec.columns:
            data.setdefault(f, "")
        if is_example(kind, data):
            skipped.append(f"ligne {line} : la ligne d'exemple du modèle, ignorée")
            continue
        row = PreviewRow(line, data)
        # Every problem of the row at once: the missing values, then what the plan finds in
        # the others (a column already said missing is not reported twice).
        problems = [
            RowError(header, "valeur obligatoire manquante")
            for f, header, required in spec.columns
            if required and not data[f]
        ]
        cache["line"], cache["warnings"] = line, []
        try:
            key, row.outcome, row.apply = spec.plan(centre, data, cache)
            if key in keys:
                raise RowError("", f"même enregistrement que la ligne {keys[key]}")
            keys[key] = line
        except (RowError, RowErrors) as exc:
            said = {p.column for p in problems}
            problems += [
                p
                for p in (exc.errors if isinstance(exc, RowErrors) else [exc])
                if p.column not in said
            ]
        for problem in problems:
            where = f", colonne {problem.column}" if problem.column else ""
            row.errors.append(f"ligne {line}{where} : {problem}")
        if problems:
            row.outcome, row.apply = "", None
        row.warnings = [f"ligne {line} : {w}" for w in cache["warnings"]]
        rows.append(row)
    result = Preview(kind, headers, mapping, rows, [], sample, cache.get("plan"))
    result.skipped = skipped
    return result


@transaction.atomic
def apply(
    centre, kind: str, raw: bytes, filename: str, mapping: dict[str, int] | None = None
) -> Preview:
    result = preview(centre, kind, raw, filename, mapping)
    if not result.ok:
        raise ImportError_(f"{result.error_count} erreur(s) : rien n'a été enregistré")
    for row in result.rows:
        if row.outcome != SAME:
            row.apply()
    return result


# --- as background jobs: preview, then confirm --------------------------------------------------
def _learners_stamp(centre) -> int:
    """Changes to the centre's learners since the preview show as a new last history row."""
    last = Learner.history.filter(centre_id=centre.pk).order_by("-history_id").first()
    return last.history_id if last else 0


def _read_upload(job) -> bytes:
    with job.upload.open("rb") as f:
        return f.read()


def preview_job(job, progress) -> None:
    from livret.jobs.runner import JobFailed

    if job.centre is None:
        raise JobFailed("Aucun centre : rien n'a été importé.")
    p = job.params
    progress(0, 1, force=True)
    result = preview(job.centre, p["kind"], _read_upload(job), p["filename"], p.get("mapping"))
    job.result = {
        "kind": result.kind,
        "headers": [str(h) for h in result.headers],
        "mapping": result.mapping,
        "sample": result.sample,
        "errors": result.errors,
        "rows": [
            {
                "line": r.line,
                "values": r.values,
                "outcome": r.outcome,
                "errors": r.errors,
                "warnings": r.warnings,
            }
            for r in result.rows
        ],
        "skipped": result.skipped,
        "plan": result.plan if result.ok else None,
        "stamp": _learners_stamp(job.centre),
    }
    progress(1, 1, force=True)


def stored_preview(job) -> Preview:
    r = job.result
    rows = [
        PreviewRow(
            x["line"], x["values"], x["outcome"], x["errors"], warnings=x.get("warnings", [])
        )
        for x in r["rows"]
    ]
    mapping = {k: int(v) for k, v in r["mapping"].items()}
    result = Preview(r["kind"], r["headers"], mapping, rows, r["errors"], r["sample"], r["plan"])
    result.skipped = r.get("skipped", [])
    return result


def apply_job(job, progress) -> None:
    """Write what the preview decided, in one transaction; refuse if the data moved meanwhile."""
    from livret.jobs.models import Job
    from livret.jobs.runner import JobFailed

    source = Job.objects.filter(
        pk=job.params["preview"], requested_by=job.requested_by, kind="import_preview"
    ).first()
    if source is None or source.status != Job.DONE or not stored_preview(source).ok:
        raise JobFailed("Cette prévisualisation n'est pas valide : rien n'a été enregistré.")
    kind, user, centre = source.result["kind"], job.requested_by, source.centre
    with transaction.atomic():
        # Lock the preview row: two clicks on « Enregistrer » write once.
        source = Job.objects.select_for_update().get(pk=source.pk)
        if source.params.get("applied"):
            raise JobFailed("Ce fichier a déjà été enregistré.")
        if kind == "apprenants":
            if _learners_stamp(centre) != source.result["stamp"]:
                raise JobFailed(
                    "Les apprenants du centre ont changé depuis la prévisualisation : "
                    "relancez-la avant d'enregistrer. Rien n'a été enregistré."
                )
            counts = _write_learners(centre, user, source.result["plan"], progress)
        else:  # small files: the checks are run again inside the transaction
            p = source.params
            done = apply(centre, kind, _read_upload(source), p["filename"], p.get("mapping"))
            counts = done.counts()
        source.params = {**source.params, "applied": str(job.pk)}
        source.save(update_fields=["params"])
    job.result = counts


def _write_learners(centre, user, plan, progress) -> dict:
    """Bulk writes, one history row for each created or changed learner (who and when)."""
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    fields = list(LEARNER_FIELDS)

    def decoded(values):
        out = dict(values)
        for k in ("birth_date", "contract_start", "contract_end"):
            out[k] = datetime.date.fromisoformat(out[k]) if out[k] else None
        return out

    total = len(plan)
    progress(0, total, force=True)
    new = [Learner(centre=centre, **decoded(e["values"])) for e in plan if e["outcome"] == NEW]
    for learner in new:  # bulk_create does not call save(), which folds the search text
        learner.fold_search_text()
    bulk_create_with_history(new, Learner, batch_size=1000, default_user=user)
    changed = {e["pk"]: e["values"] for e in plan if e["outcome"] == CHANGED}
    objects = Learner.objects.filter(centre=centre).in_bulk(list(changed))
    if len(objects) != len(changed):
        raise ImportError_("des apprenants ont été supprimés depuis la prévisualisation")
    for pk, values in changed.items():
        for k, v in decoded(values).items():
            setattr(objects[pk], k, v)
        objects[pk].alerts_on = None  # his alerts are computed again (periods.alerts)
        objects[pk].fold_search_text()
    bulk_update_with_history(
        list(objects.values()),
        Learner,
        [*fields, "alerts_on", "search_text"],
        batch_size=1000,
        default_user=user,
    )
    # One address per person: a learner with an account carries the address on the account.
    addresses = {x.user_id: x.email for x in objects.values() if x.user_id}
    for account in get_user_model().objects.filter(pk__in=addresses):
        if account.email != addresses[account.pk]:
            account.email = addresses[account.pk]
            account.save(update_fields=["email"])
    progress(total, total, force=True)
    return {NEW: len(new), CHANGED: len(changed), SAME: total - len(new) - len(changed)}
