"""Organisations, cohorts, learners and the role each user plays.

Who may see what is decided in one place, `livret.access`; the models only hold facts.
"""

import uuid

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from simple_history import register as register_history
from simple_history.models import HistoricalRecords

from livret.engine.calendar import SUBDIVISIONS
from livret.referentiels.models import Referentiel


def logo_path(instance, filename):
    from livret.uploads import suffix_from_content

    return f"logos/{uuid.uuid4().hex}{suffix_from_content(instance.logo)}"


class Organisation(models.Model):
    CFA, LYCEE, TRAINING_BODY, COMPANY = "cfa", "lycee", "training_body", "company"
    KINDS = [
        (CFA, "CFA"),
        (LYCEE, "Lycée professionnel"),
        (TRAINING_BODY, "Organisme de formation"),
        (COMPANY, "Entreprise d'accueil"),
    ]
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=20, choices=KINDS)
    city = models.CharField("ville", max_length=100, blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    # A host company belongs to the centre that registered it: another centre working with the
    # same firm keeps its own record, so nothing of one centre is listed in another's forms.
    centre = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="companies",
        verbose_name="centre",
        limit_choices_to={"centre__isnull": True},
    )
    # Personal data (RGPD): how long a former learner's data is kept after his training, and how
    # long the log of who consulted a livret is kept. Each centre sets its own.
    retention_years = models.PositiveSmallIntegerField(
        "conservation des données (années après la formation)", default=5
    )
    access_log_days = models.PositiveIntegerField(
        "conservation du journal des consultations (jours)", default=365
    )
    # Shown in the header for the centre's own people; PNG, JPEG or WebP read from the content.
    logo = models.FileField("logo", upload_to=logo_path, blank=True)
    # The centre's own follow-up rhythm of its apprentices (no text found fixes one): empty, no
    # alert; set, a learner without a visit or an interview for that long shows in the alerts.
    visit_every_weeks = models.PositiveSmallIntegerField(
        "visite en entreprise au moins toutes les … semaines", null=True, blank=True
    )
    interview_every_weeks = models.PositiveSmallIntegerField(
        "entretien de progrès au moins toutes les … semaines", null=True, blank=True
    )
    # The diplomas the centre is habilitated to assess in CCF (its scolaires and apprentices then
    # sit the CCF forms of the règlement), and whether it is a public establishment (its
    # formation continue too): see livret.engine.candidates.
    habilitations = models.ManyToManyField(
        "referentiels.Diploma",
        blank=True,
        related_name="habilitated_centres",
        verbose_name="diplômes pour lesquels le centre est habilité au CCF",
    )
    public_sector = models.BooleanField("établissement public", default=False)
    under_contract = models.BooleanField("établissement privé sous contrat", default=False)
    # The school-holiday zone of the centre's académie (calendrier scolaire national).
    holiday_zone = models.CharField(
        "zone de vacances scolaires",
        max_length=1,
        blank=True,
        choices=[("A", "Zone A"), ("B", "Zone B"), ("C", "Zone C")],
    )
    # Where the centre is, for the public holidays its calendars skip (livret.engine.calendar).
    local_holidays = models.CharField(
        "jours fériés",
        max_length=3,
        blank=True,
        choices=[("", "France métropolitaine"), *SUBDIVISIONS.items()],
        default="",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation"

    def __str__(self):
        return self.name

    @property
    def is_centre(self):
        return self.kind != self.COMPANY


class Profile(models.Model):
    """The role a user plays, and the organisation he plays it for (centre, or company for a tutor)."""

    MANAGER, TRAINER, TUTOR, LEARNER = "manager", "trainer", "tutor", "learner"
    EXAM_ADMIN, CERTIFIER = "exam_admin", "certifier"
    VAE_GUIDE = "vae_guide"
    ROLES = [
        (MANAGER, "Responsable formation"),
        (TRAINER, "Formateur"),
        (TUTOR, "Maître d'apprentissage / tuteur"),
        (LEARNER, "Apprenant"),
        (EXAM_ADMIN, "Administrateur des examens"),
        (CERTIFIER, "Chargé de certification (VAE)"),
        # Décret n° 2023-1275: the person who accompanies a VAE candidate, attached to an
        # organisation, following several candidates.
        (VAE_GUIDE, "Accompagnateur VAE"),
    ]
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField("rôle", max_length=20, choices=ROLES)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="profiles"
    )
    # A maître d'apprentissage's qualifications (Code du travail R6223-22: a diploma of the field
    # and experience), kept on his record.
    diploma = models.CharField("diplôme ou titre", max_length=200, blank=True)
    experience_years = models.PositiveSmallIntegerField(
        "années d'expérience professionnelle dans le domaine", null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "profil"

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"


class Cohort(models.Model):
    """A promotion: learners preparing one diploma version together, with their trainers."""

    centre = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cohorts")
    referentiel = models.ForeignKey(Referentiel, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField("nom", max_length=120)
    start_year = models.PositiveIntegerField("année de début")
    duration_years = models.PositiveSmallIntegerField("durée (années)", default=2)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="taught_cohorts",
        blank=True,
        verbose_name="formateurs",
    )
    exam_date = models.DateField("date de l'examen", null=True, blank=True)
    # Alternance rhythm: one 5-letter week per cycle step, C = centre, E = entreprise (e.g. "CCEEE",
    # or "CCCCC/EEEEE" for alternate weeks). Seed 001: 16 h/week at the centre, 19 h/week in
    # company, 1350 h over 24 months.
    rhythm = models.CharField("rythme d'alternance", max_length=120, default="CCEEE")
    centre_hours_per_week = models.DecimalField(
        "heures par semaine au centre", max_digits=5, decimal_places=2, default=16
    )
    company_hours_per_week = models.DecimalField(
        "heures par semaine en entreprise", max_digits=5, decimal_places=2, default=19
    )
    programme_hours = models.PositiveIntegerField("heures de formation du programme", default=1350)
    closures = models.JSONField(
        "fermetures du centre",
        default=list,
        blank=True,
        help_text='[["AAAA-MM-JJ", "AAAA-MM-JJ"], …]',
    )
    # The centre's own programme: hours per teaching unit and year (seed 001 gives E1 80 h, E2 80 h …).
    programme_units = models.JSONField(
        "heures par unité et par année",
        default=list,
        blank=True,
        help_text='[["E1 - Culture générale", 80, 80], …]',
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_year", "name"]
        verbose_name = "promotion"

    def __str__(self):
        return self.name


class Learner(models.Model):
    APPRENTICE, PROFESSIONALISATION, SCHOOL, CONTINUING = (
        "apprentice",
        "professionalisation",
        "school",
        "continuing",
    )
    STATUSES = [
        (APPRENTICE, "Apprenti"),
        (PROFESSIONALISATION, "Contrat de professionnalisation"),
        (SCHOOL, "Scolaire"),
        (CONTINUING, "Formation continue"),
    ]
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="learner",
        null=True,
        blank=True,
    )
    centre = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="learners")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="learners", verbose_name="promotion"
    )
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    email = models.EmailField("courriel", blank=True)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    status = models.CharField("statut", max_length=30, choices=STATUSES)
    contract_start = models.DateField("début du contrat ou de la convention", null=True, blank=True)
    contract_end = models.DateField("fin du contrat ou de la convention", null=True, blank=True)
    company = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="hosted_learners",
        null=True,
        blank=True,
        verbose_name="entreprise",
    )
    # Secret part of the .ics subscription address (calendar apps cannot log in).
    calendar_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="apprentices",
        null=True,
        blank=True,
        verbose_name="maître d'apprentissage / tuteur",
    )
    # The centre's trainer who follows this learner (named on his livret and the homes).
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referred_learners",
        null=True,
        blank=True,
        verbose_name="formateur référent",
    )
    # The day this learner's stored alerts were computed; None once his data changed.
    alerts_on = models.DateField(null=True, blank=True, editable=False)
    # Names and e-mail folded (no case, no accents): the people search filters in SQL.
    search_text = models.CharField(max_length=500, blank=True, editable=False)
    # The calendar token opens the .ics without login: no history row keeps an old one.
    history = HistoricalRecords(excluded_fields=["alerts_on", "search_text", "calendar_token"])

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "apprenant"
        # The natural keys an import matches rows on, within a centre.
        indexes = [
            models.Index(fields=["centre", "email"], name="learner_centre_email"),
            models.Index(fields=["centre", "last_name", "first_name"], name="learner_centre_name"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def save(self, *args, **kwargs):
        self.fold_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def fold_search_text(self) -> None:
        from livret.referentiels.text import normalize

        self.search_text = normalize(f"{self.first_name} {self.last_name} {self.email}")[:500]

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name.upper()}"


# Accounts hold personal data and rights (active or not, password changed): their changes are kept
# like the rest. The project uses Django's own User model.
register_history(
    User,
    app="livret.people",
    table_name="people_historicaluser",
    excluded_fields=["password", "last_login"],
)


class EmailChange(models.Model):
    """A new address waiting for its owner to open the link sent to it. Only the token's hash is
    stored (the link is the credential); one pending change per account, deleted once used, so a
    link works once — even if the address later goes back to what it was."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_change"
    )
    address = models.EmailField("nouvelle adresse", max_length=254)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "changement d'adresse en attente"

    def __str__(self):
        return f"{self.user} → {self.address}"
