"""The one registry of the centre's record kinds: for each, its form, the columns of its list,
its search, the scope of what the manager may see of it, and — for those a file can bring — the
columns of its import (read by livret.ops.importer, which adds how a row is written)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from livret import access
from livret.periods.scopes import visible_agreements, visible_contracts
from livret.surveys.scopes import visible_funder_contacts, visible_funders

from . import forms as f


@dataclass(frozen=True)
class Import:
    label: str
    columns: tuple[tuple[str, str, bool], ...]  # (field, French header of the template, required)


@dataclass(frozen=True)
class Kind:
    slug: str
    title: str  # plural, for the list
    one: str  # "un apprenant", for the add button
    form: type
    columns: tuple[tuple[str, str], ...]  # (label, attribute path)
    search: tuple[str, ...]
    scope: Callable  # user -> the records of this kind he may see (livret.access and the apps)
    related: tuple[str, ...] = ()
    order: tuple[str, ...] = ("pk",)
    imports: Import | None = None
    defer: tuple[str, ...] = ()  # large fields the list never shows
    # How a record of this kind is written (form, centre) -> object; None: the people app's
    # save_centre_record. The centre is set there, never read from the form.
    save: Callable | None = None


def _save_funder(form, centre):
    funder = form.save(commit=False)
    funder.centre = centre
    funder.save()
    form.save_m2m()
    return funder


def _save_funder_contact(form, centre):
    # The funder was chosen among the centre's own (FunderContactForm): nothing to set.
    return form.save()


KINDS = {
    k.slug: k
    for k in [
        Kind(
            "equipe",
            "Équipe du centre",
            "une personne",
            f.StaffForm,
            (
                ("Nom", "get_full_name"),
                ("Identifiant", "username"),
                ("Rôle", "profile.get_role_display"),
                ("Actif", "is_active"),
            ),
            ("first_name", "last_name", "username", "email"),
            access.visible_staff,
            ("profile",),
            ("last_name", "first_name"),
        ),
        Kind(
            "tuteurs",
            "Tuteurs et maîtres d'apprentissage",
            "un tuteur",
            f.TutorForm,
            (
                ("Nom", "get_full_name"),
                ("Identifiant", "username"),
                ("Entreprise", "profile.organisation"),
                ("Actif", "is_active"),
            ),
            ("first_name", "last_name", "username", "email", "profile__organisation__name"),
            access.visible_tutors,
            ("profile__organisation",),
            ("last_name", "first_name"),
            Import(
                "Tuteurs",
                (
                    ("username", "identifiant", True),
                    ("first_name", "prenom", True),
                    ("last_name", "nom", True),
                    ("email", "courriel", False),
                    ("company", "entreprise", True),
                ),
            ),
        ),
        Kind(
            "entreprises",
            "Entreprises d'accueil",
            "une entreprise",
            f.CompanyForm,
            (("Nom", "name"), ("Ville", "city"), ("SIRET", "siret")),
            ("name", "city", "siret"),
            access.visible_companies,
            (),
            ("name",),
            Import(
                "Entreprises",
                (("name", "nom", True), ("city", "ville", False), ("siret", "siret", False)),
            ),
        ),
        Kind(
            "promotions",
            "Promotions",
            "une promotion",
            f.CohortForm,
            (
                ("Nom", "name"),
                ("Diplôme", "referentiel"),
                ("Début", "start_year"),
                ("Examen", "exam_date"),
            ),
            ("name",),
            access.visible_centre_cohorts,
            ("referentiel__diploma",),
            ("-start_year", "name"),
            Import(
                "Promotions",
                (
                    ("name", "nom", True),
                    ("diploma", "diplome", True),
                    ("start_year", "annee_debut", True),
                    ("duration", "duree", False),
                ),
            ),
            # Each référentiel's document (60 KB of JSON) is not read by the list: 50 rows
            # loaded 3 MB of it per page.
            defer=("referentiel__document",),
        ),
        Kind(
            "apprenants",
            "Apprenants",
            "un apprenant",
            f.LearnerForm,
            (
                ("Nom", "full_name"),
                ("Promotion", "cohort"),
                ("Statut", "get_status_display"),
                ("Entreprise", "company"),
                ("Tuteur", "tutor.get_full_name"),
            ),
            ("first_name", "last_name", "email", "company__name"),
            access.visible_centre_learners,
            ("cohort", "company", "tutor"),
            ("last_name", "first_name"),
            Import(
                "Apprenants",
                (
                    ("last_name", "nom", True),
                    ("first_name", "prenom", True),
                    ("email", "courriel", False),
                    ("birth_date", "date_naissance", False),
                    ("status", "statut", True),
                    ("cohort", "promotion", True),
                    ("company", "entreprise", False),
                    ("tutor", "tuteur", False),
                    ("contract_start", "debut_contrat", False),
                    ("contract_end", "fin_contrat", False),
                ),
            ),
        ),
        Kind(
            "contrats",
            "Contrats d'alternance",
            "un contrat",
            f.ContractForm,
            (
                ("Apprenant", "learner"),
                ("Type", "get_kind_display"),
                ("Entreprise", "company"),
                ("Début", "start"),
                ("Fin", "end"),
                ("Rompu le", "rupture.date"),
            ),
            ("learner__first_name", "learner__last_name", "company__name"),
            visible_contracts,
            ("learner", "company", "rupture"),
            ("-start",),
        ),
        Kind(
            "conventions",
            "Conventions de stage",
            "une convention",
            f.AgreementForm,
            (("Période", "period.learner"), ("Stage", "period"), ("Signée le", "signed_on")),
            ("period__learner__first_name", "period__learner__last_name"),
            visible_agreements,
            ("period__learner", "period__company"),
            ("-period__start",),
        ),
        # Qualiopi indicator 30: the funders' appreciations (livret.surveys, audience FUNDERS).
        Kind(
            "financeurs",
            "Financeurs",
            "un financeur",
            f.FunderForm,
            (("Nom", "name"), ("Sorte", "get_kind_display")),
            ("name",),
            visible_funders,
            (),
            ("name", "pk"),
            save=_save_funder,
        ),
        Kind(
            "contacts-financeurs",
            "Contacts des financeurs",
            "un contact",
            f.FunderContactForm,
            (
                ("Nom", "name"),
                ("Financeur", "funder.name"),
                ("Courriel", "email"),
                ("Interrogé", "active"),
            ),
            ("name", "email", "funder__name"),
            visible_funder_contacts,
            ("funder",),
            ("funder__name", "name", "pk"),
            save=_save_funder_contact,
        ),
    ]
}


def search(qs, kind: Kind, text: str):
    text = (text or "").strip()
    if not text:
        return qs
    query = Q()
    for field in kind.search:
        query |= Q(**{f"{field}__icontains": text})
    return qs.filter(query)


def cell(obj, path: str):
    value = obj
    for part in path.split("."):
        value = getattr(value, part, None)
        if value is None:
            return ""
        if callable(value):
            value = value()
    if value is True:
        return "oui"
    if value is False:
        return "non"
    return value
