"""The forms of the centre's own records, kept by its manager in the application: team, tutors,
companies, cohorts, learners, contracts, agreements, funders and their contacts, and the centre's
settings.

Every choice list is built from the scopes (livret.access, livret.periods.scopes) for the
manager's centre, so nothing of another centre can be listed or assigned; a role above the
manager's own cannot be given.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.contrib.auth import get_user_model

from livret import access
from livret.people.emails import normalise_email
from livret.people.models import Cohort, Learner, Organisation, Profile
from livret.referentiels.models import Competence, Referentiel
from livret.surveys.models import Funder, FunderContact
from livret.web.forms import DATE, Styled, check_dates_in_order


def _fr(iso: str) -> str:
    return datetime.date.fromisoformat(iso).strftime("%d/%m/%Y")


class AccountForm(Styled, forms.ModelForm):
    """A person with a login: a member of the team or a tutor."""

    class Meta:
        model = get_user_model()
        fields = ["username", "first_name", "last_name", "email", "is_active"]
        labels = {"username": "Identifiant de connexion", "is_active": "Compte actif"}
        help_texts = {
            "username": "",
            "is_active": "Décochez pour fermer l'accès sans rien effacer.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["email"].required = True
        self.fields["email"].help_text = "Un lien pour choisir son mot de passe y est envoyé."
        self.fields["email"].validators = []  # the one check of every address: clean_email

    def clean_email(self):
        return normalise_email(self.cleaned_data.get("email"))


class StaffForm(AccountForm):
    role = forms.ChoiceField(label="Rôle")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["role"].choices = access.assignable_roles(user)
        if self.instance.pk:
            self.fields["role"].initial = self.instance.profile.role
            if self.instance.pk == user.pk:
                # A manager cannot demote or close his own account (the centre would lose him).
                self.fields["role"].disabled = True
                self.fields["is_active"].disabled = True

    def profile_values(self):
        return {"role": self.cleaned_data["role"]}


class TutorForm(AccountForm):
    company = forms.ModelChoiceField(label="Entreprise", queryset=Organisation.objects.none())
    # His qualifications as maître d'apprentissage (Code du travail R6223-22), on his record.
    diploma = forms.CharField(
        label=Profile._meta.get_field("diploma").verbose_name, max_length=200, required=False
    )
    experience_years = forms.IntegerField(
        label=Profile._meta.get_field("experience_years").verbose_name,
        min_value=0,
        max_value=60,
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["company"].queryset = access.visible_companies(user)
        if self.instance.pk:
            profile = self.instance.profile
            self.fields["company"].initial = profile.organisation_id
            self.fields["diploma"].initial = profile.diploma
            self.fields["experience_years"].initial = profile.experience_years

    def profile_values(self):
        return {
            "role": Profile.TUTOR,
            "organisation": self.cleaned_data["company"],
            "diploma": self.cleaned_data["diploma"].strip(),
            "experience_years": self.cleaned_data["experience_years"],
        }


class CompanyForm(Styled, forms.ModelForm):
    # Typed as printed on documents ("123 456 789 01234"); stored as its 14 digits.
    siret = forms.CharField(label="SIRET", max_length=20, required=False)

    class Meta:
        model = Organisation
        fields = ["name", "city", "siret"]

    def clean_siret(self):
        siret = self.cleaned_data["siret"].replace(" ", "")
        if siret and (not siret.isdigit() or len(siret) != 14):
            raise forms.ValidationError("Le SIRET compte 14 chiffres.")
        return siret


class FunderForm(Styled, forms.ModelForm):
    """A funder (OPCO, Région, France Travail, an employer paying directly…) and the cohorts it
    finances: a questionnaire to the funders reaches the contacts of those of its cohorts."""

    class Meta:
        model = Funder
        fields = ["kind", "name", "cohorts"]
        widgets = {"cohorts": forms.CheckboxSelectMultiple}
        help_texts = {
            "cohorts": "Un questionnaire « financeurs » d'une promotion va aux contacts de ses "
            "financeurs."
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # Only the centre's own cohorts may be chosen.
        self.fields["cohorts"].queryset = access.visible_centre_cohorts(user).order_by(
            "-start_year", "name"
        )


class FunderContactForm(Styled, forms.ModelForm):
    """A person to ask at one of the centre's funders: no account, a name and an address."""

    class Meta:
        model = FunderContact
        fields = ["funder", "name", "email", "active"]

    def __init__(self, *args, user, **kwargs):
        from livret.surveys.scopes import visible_funders

        super().__init__(*args, user=user, **kwargs)
        # Only the centre's own funders: another centre's is « not one of the choices ».
        self.fields["funder"].queryset = visible_funders(user)
        self.fields["funder"].empty_label = "— choisir —"
        self.fields["email"].validators = []  # the one check of every address: clean_email

    def clean_email(self):
        return normalise_email(self.cleaned_data.get("email"))


class CohortForm(Styled, forms.ModelForm):
    # The centre's closed weeks (holidays), one period per line: the alternance calendar shows
    # them as company time.
    closures_text = forms.CharField(
        label="Fermetures du centre",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Une période par ligne : 21/12/2026 – 03/01/2027 (une seule date pour un jour).",
    )

    class Meta:
        model = Cohort
        fields = [
            "name",
            "referentiel",
            "start_year",
            "duration_years",
            "exam_date",
            "trainers",
            "rhythm",
            "centre_hours_per_week",
            "company_hours_per_week",
            "programme_hours",
        ]
        widgets = {"exam_date": DATE, "trainers": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # Drafts are never offered; a centre's own published versions to that centre only.
        offered = Referentiel.objects.offered(access.centre_of(user))
        if self.instance.pk:  # a cohort keeps the version it has
            offered = offered | Referentiel.objects.filter(pk=self.instance.referentiel_id)
        self.fields["referentiel"].queryset = offered.select_related("diploma").order_by(
            "diploma__slug", "-version"
        )
        self.fields["trainers"].queryset = access.centre_trainers(user).order_by("last_name")
        self.fields["trainers"].label_from_instance = lambda u: u.get_full_name() or u.username
        if self.instance.pk and not self.is_bound:
            self.initial["closures_text"] = "\n".join(
                f"{_fr(a)} – {_fr(b)}" if a != b else _fr(a)
                for a, b in (self.instance.closures or [])
            )

    def clean_closures_text(self):
        """Every period checked; every faulty line named at once."""
        periods, errors = [], []
        for number, line in enumerate(self.cleaned_data["closures_text"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            parts = [
                p.strip() for p in re.split(r"\s*[–—-]\s+|\s+au\s+|\s*→\s*", line) if p.strip()
            ]
            try:
                days = [datetime.datetime.strptime(p, "%d/%m/%Y").date() for p in parts]
            except ValueError:
                errors.append(
                    f"ligne {number} : « {line} » n'est pas une date JJ/MM/AAAA ou une période"
                )
                continue
            if len(days) not in (1, 2):
                errors.append(f"ligne {number} : une date, ou deux dates séparées par un tiret")
                continue
            start, end = days[0], days[-1]
            if end < start:
                errors.append(f"ligne {number} : la fin précède le début")
                continue
            periods.append([start.isoformat(), end.isoformat()])
        if errors:
            raise forms.ValidationError(errors)
        return sorted(periods)

    def save(self, commit=True):
        self.instance.closures = self.cleaned_data.get("closures_text", self.instance.closures)
        return super().save(commit)


class LearnerForm(Styled, forms.ModelForm):
    # A login for the learner (his livret, his situations): optional, given once.
    username = forms.CharField(
        label="Identifiant de connexion de l'apprenant",
        required=False,
        max_length=150,
        help_text="Facultatif. Un lien pour choisir son mot de passe est envoyé à son courriel.",
    )
    # Two learners of the centre with the same name and birth date are most often one typed
    # twice: the form says so, and saves only once the manager confirms they are two people.
    not_a_duplicate = forms.BooleanField(
        label="C'est bien une autre personne : l'enregistrer quand même",
        required=False,
        widget=forms.HiddenInput,  # shown as a check-box once a namesake is found
    )

    class Meta:
        model = Learner
        fields = [
            "first_name",
            "last_name",
            "email",
            "birth_date",
            "status",
            "cohort",
            "company",
            "tutor",
            "referent",
            "contract_start",
            "contract_end",
        ]
        widgets = {"birth_date": DATE, "contract_start": DATE, "contract_end": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["cohort"].queryset = access.visible_centre_cohorts(user)
        self.fields["company"].queryset = access.visible_companies(user)
        self.fields["tutor"].queryset = access.visible_tutors(user).order_by("last_name")
        self.fields["tutor"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["referent"].queryset = access.centre_trainers(user).order_by("last_name")
        self.fields["referent"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["email"].validators = []  # the one check of every address: clean_email
        if self.instance.pk and self.instance.user_id:
            # The account exists: shown, not changed here.
            self.fields["username"].disabled = True
            self.fields["username"].initial = self.instance.user.username
            self.fields["username"].help_text = "Compte déjà ouvert."
            # One address per person: his account's, which « Mon compte » may have changed.
            if not self.is_bound and self.instance.user.email:
                self.initial["email"] = self.instance.user.email

    def clean_email(self):
        return normalise_email(self.cleaned_data.get("email"))

    def duplicates(self, data):
        """The centre's other learners with the same last name, first name and birth date."""
        if not (data.get("last_name") and data.get("first_name") and data.get("birth_date")):
            return []
        qs = access.visible_centre_learners(self.user).filter(
            last_name__iexact=data["last_name"].strip(),
            first_name__iexact=data["first_name"].strip(),
            birth_date=data["birth_date"],
        )
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
        return list(qs.select_related("cohort")[:5])

    def clean_username(self):
        username = (self.cleaned_data.get("username") or "").strip().lower()
        if self.fields["username"].disabled or not username:
            return ""
        if get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError("Cet identifiant est déjà pris.")
        return username

    def clean(self):
        data = super().clean()
        wants_account = (
            not self.fields["username"].disabled and self.data.get("username", "").strip()
        )
        if wants_account and not data.get("email"):
            self.add_error("email", "Le courriel est nécessaire pour ouvrir un compte.")
        check_dates_in_order(self, data, "contract_start", "contract_end")
        tutor, company = data.get("tutor"), data.get("company")
        if tutor is not None:
            tutor_company = getattr(getattr(tutor, "profile", None), "organisation", None)
            name = tutor.get_full_name() or tutor.username
            if company is None:
                self.add_error(
                    "company", f"Indiquez l'entreprise : {name} est tuteur chez {tutor_company}."
                )
            elif tutor_company != company:
                self.add_error(
                    "tutor", f"{name} est tuteur chez {tutor_company}, pas chez {company}."
                )
        same = self.duplicates(data)
        if same and not data.get("not_a_duplicate"):
            self.fields["not_a_duplicate"].widget = forms.CheckboxInput()
            who = ", ".join(f"{x.full_name} ({x.cohort})" for x in same)
            self.add_error(
                "not_a_duplicate",
                f"Un apprenant du centre a déjà ce nom et cette date de naissance : {who}. "
                "Vérifiez qu'il ne s'agit pas de la même personne, puis cochez cette case pour "
                "l'enregistrer quand même.",
            )
        return data


class ContractForm(Styled, forms.ModelForm):
    class Meta:
        from livret.periods.models import Contract

        model = Contract
        fields = ["learner", "kind", "company", "start", "end"]
        widgets = {"start": DATE, "end": DATE}
        # The model's field has no French name: « Learner » was the form's first label.
        labels = {"learner": "Apprenant"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["learner"].queryset = access.visible_centre_learners(user)
        self.fields["company"].queryset = access.visible_companies(user)

    def clean(self):
        data = super().clean()
        check_dates_in_order(self, data, "start", "end")
        return data


class AgreementForm(Styled, forms.ModelForm):
    class Meta:
        from livret.periods.models import Agreement

        model = Agreement
        fields = ["period", "signed_on", "objectives", *Agreement.TERMS]
        widgets = {"signed_on": DATE, "objectives": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        from livret.periods.models import Period

        super().__init__(*args, user=user, **kwargs)
        self.fields["period"].queryset = Period.objects.filter(
            learner__in=access.visible_centre_learners(user)
        ).select_related("learner", "company")
        self.fields["period"].label_from_instance = lambda p: f"{p.learner} — {p}"
        referentiels = access.visible_centre_cohorts(user).values("referentiel")
        self.fields["objectives"].queryset = Competence.objects.filter(
            referentiel__in=referentiels, module_unit__isnull=True
        ).order_by("referentiel", "position")
        self.fields["objectives"].label_from_instance = lambda c: f"{c.code} — {c.title}"

    def clean(self):
        data = super().clean()
        period, objectives = data.get("period"), data.get("objectives")
        if period and objectives:
            wrong = [
                c.code
                for c in objectives
                if c.referentiel_id != period.learner.cohort.referentiel_id
            ]
            if wrong:
                self.add_error(
                    "objectives",
                    f"Compétences d'un autre diplôme que celui de l'apprenant : {', '.join(wrong)}.",
                )
        return data


class LogoInput(forms.ClearableFileInput):
    """The current logo shown as it appears (through its own page, the media folder is not
    served), a box to remove it, and the file to send on its own line."""

    template_name = "web/forms/logo_input.html"


class SettingsForm(Styled, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "city",
            "siret",
            "logo",
            "retention_years",
            "access_log_days",
            "visit_every_weeks",
            "interview_every_weeks",
            "holiday_zone",
            "local_holidays",
            "public_sector",
            "under_contract",
            "habilitations",
        ]
        widgets = {"habilitations": forms.CheckboxSelectMultiple, "logo": LogoInput}
        help_texts = {
            "logo": "PNG, JPEG ou WebP, 1 Mo au plus ; affiché en haut de chaque page.",
            "holiday_zone": "Celle de votre académie : les calendriers d'alternance montrent ses "
            "vacances scolaires.",
            "local_holidays": "Alsace-Moselle et départements d'outre-mer ont des jours fériés de "
            "plus : les calendriers d'alternance les comptent.",
            "habilitations": "Vos scolaires et apprentis inscrits à une session de ces diplômes "
            "passent les épreuves sous la forme du CCF (colonne « établissement habilité » du "
            "règlement d'examen) ; sinon, sous la forme ponctuelle des autres candidats.",
            "under_contract": "Vos élèves de Bac pro reçoivent alors, comme ceux d'un "
            "établissement public, l'attestation de réussite intermédiaire (art. D. 337-59).",
            "public_sector": "Votre formation continue relève alors, si vous êtes habilité, de la "
            "colonne « établissements publics habilités » du règlement d'examen.",
        }

    def clean_logo(self):
        from livret.uploads import sniff

        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload
            if logo.size > 1024 * 1024:
                raise forms.ValidationError("Le logo dépasse 1 Mo.")
            logo.seek(0)
            kind = sniff(logo.read(16), logo)
            logo.seek(0)
            if kind not in ("image/png", "image/jpeg", "image/webp"):
                raise forms.ValidationError("Le logo doit être une image PNG, JPEG ou WebP.")
        return logo

    def clean_retention_years(self):
        years = self.cleaned_data["retention_years"]
        if not 1 <= years <= 50:
            raise forms.ValidationError("Entre 1 et 50 ans.")
        return years

    def clean_access_log_days(self):
        days = self.cleaned_data["access_log_days"]
        if not 30 <= days <= 3650:
            raise forms.ValidationError("Entre 30 et 3 650 jours.")
        return days
