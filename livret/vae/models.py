"""VAE: a candidate builds his dossier against the diploma's référentiel; the certifier decides.

Statuses follow the journey France VAE users know (projet → dossier de faisabilité envoyé →
recevable / non recevable / incomplet → dossier de validation envoyé → jury), with experiences
mapped to the référentiel's own activities and competences rather than free text.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from livret.engine import vae_jury
from livret.people.models import Organisation
from livret.referentiels.models import Activity, Bloc, Competence, Referentiel


class VaeOffer(models.Model):
    """A diploma a certifier opens to VAE. No minimum duration of experience: loi n° 2022-1598 du
    21 décembre 2022 removed the one year (Code du travail, art. L. 6411-1)."""

    certifier = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="vae_offers",
        verbose_name="certificateur",
    )
    referentiel = models.ForeignKey(
        Referentiel, on_delete=models.PROTECT, related_name="vae_offers"
    )

    # The feasibility file's model (arrêté du 3 juillet 2025) asks for the certification's
    # prerequisites when it has some: the certifier writes them, the candidate says how he meets them.
    prerequisites = models.TextField("prérequis de la certification (s'il y en a)", blank=True)

    class Meta:
        verbose_name = "diplôme ouvert à la VAE"
        constraints = [
            models.UniqueConstraint(
                fields=["certifier", "referentiel"], name="one_offer_per_diploma"
            )
        ]

    def __str__(self):
        return f"{self.referentiel.title} ({self.certifier})"


class VaeSettings(models.Model):
    """A certifier's own figures where the texts give none (engine/vae_clocks)."""

    certifier = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="vae_settings"
    )
    # France VAE's practice (no text): a recevable candidate confirms every six months.
    actualisation_months = models.PositiveSmallIntegerField(
        "actualisation de la candidature tous les … mois", default=6
    )
    alert_days = models.PositiveSmallIntegerField("alerte … jours avant l'échéance", default=15)
    # No text found fixing how long a certifier keeps a VAE dossier: his own setting.
    retention_years = models.PositiveSmallIntegerField(
        "conservation des données des candidats (années après le jury ou l'abandon)", default=5
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "réglages VAE du certificateur"

    def __str__(self):
        return f"Réglages VAE — {self.certifier}"


class VaeProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vae_profile"
    )
    phone = models.CharField("téléphone", max_length=30, blank=True)
    city = models.CharField("ville", max_length=100, blank=True)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    current_job = models.CharField("emploi actuel", max_length=200, blank=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"Profil VAE de {self.user}"


class Candidacy(models.Model):
    DRAFT = "draft"
    SENT = "feasibility_sent"
    INCOMPLETE = "feasibility_incomplete"
    ADMISSIBLE = "feasibility_admissible"
    INADMISSIBLE = "feasibility_inadmissible"
    VALIDATION_SENT = "validation_sent"
    JURY_DONE = "jury_done"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"
    STATUSES = [
        (DRAFT, "Projet en cours"),
        (SENT, "Dossier de faisabilité envoyé"),
        (INCOMPLETE, "Dossier de faisabilité incomplet"),
        (ADMISSIBLE, "Recevable"),
        (INADMISSIBLE, "Non recevable"),
        (VALIDATION_SENT, "Dossier de validation envoyé"),
        (JURY_DONE, "Jury passé"),
        (WITHDRAWN, "Abandonné"),
        (LAPSED, "Caduc (non actualisé)"),
    ]
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="candidacies"
    )
    offer = models.ForeignKey(VaeOffer, on_delete=models.PROTECT, related_name="candidacies")
    status = models.CharField(max_length=30, choices=STATUSES, default=DRAFT)
    motivation = models.TextField("mon projet", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The clocks' starts (engine/vae_clocks): the dossier de validation's deposit, and the last
    # time the candidacy was confirmed alive (its recevabilité, then each actualisation).
    validation_sent_at = models.DateTimeField(null=True, blank=True)
    actualised_at = models.DateTimeField(null=True, blank=True)
    # How the candidate meets the certification's prerequisites (VaeOffer.prerequisites).
    prerequisites = models.TextField("prérequis : comment je les remplis", blank=True)
    # The person who accompanies the candidate (décret n° 2023-1275), chosen by him.
    guide = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guided_candidacies",
        verbose_name="accompagnateur",
    )
    # The whole diploma (none chosen) or chosen blocs de compétences (loi n° 2022-1598).
    target_blocs = models.ManyToManyField(
        Bloc, blank=True, related_name="+", verbose_name="blocs visés (aucun : le diplôme entier)"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "candidature VAE"

    def __str__(self):
        return f"{self.candidate.get_full_name()} — {self.offer.referentiel.title}"

    @property
    def editable(self):
        """The feasibility file is still the candidate's to change (engine/vae_flow)."""
        from livret.engine import vae_flow

        return vae_flow.may(self.status, "edit")


class Experience(models.Model):
    FULL, PART = "full_time", "part_time"
    # Any experience directly related to the certification counts (Code du travail, art.
    # L. 6411-1 as amended by loi n° 2022-1598): salaried or not, volunteering, periods of
    # training in a work environment, elected or union mandates, high-level sport.
    SALARIED, SELF_EMPLOYED, VOLUNTEER, PLACEMENT, MANDATE, SPORT = (
        "salaried",
        "self_employed",
        "volunteer",
        "placement",
        "mandate",
        "sport",
    )
    KINDS = [
        (SALARIED, "Activité salariée"),
        (SELF_EMPLOYED, "Activité non salariée (indépendant, libéral)"),
        (VOLUNTEER, "Bénévolat ou volontariat"),
        (PLACEMENT, "Stage, PFMP ou période de mise en situation en milieu professionnel"),
        (MANDATE, "Mandat électif local, fonction élective ou responsabilité syndicale"),
        (SPORT, "Sportif de haut niveau"),
    ]
    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="experiences")
    kind = models.CharField(
        "nature de l'expérience", max_length=20, choices=KINDS, default=SALARIED
    )
    employer = models.CharField("employeur", max_length=200)
    job_title = models.CharField("emploi occupé", max_length=200)
    start = models.DateField("début")
    end = models.DateField("fin (vide si en cours)", null=True, blank=True)
    time = models.CharField(
        "temps de travail",
        max_length=10,
        choices=[(FULL, "temps plein"), (PART, "temps partiel")],
        default=FULL,
    )
    part_time_percent = models.PositiveSmallIntegerField("quotité (%)", default=100)
    description = models.TextField("activités exercées", blank=True)
    activities = models.ManyToManyField(
        Activity, blank=True, verbose_name="activités du référentiel"
    )
    competences = models.ManyToManyField(
        Competence, blank=True, verbose_name="compétences du référentiel"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="experience_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.job_title} chez {self.employer}"


class AdmissibilityDecision(models.Model):
    """Recevabilité (livret 1): recevable, non recevable or incomplet, with its reasons."""

    CHOICES = [
        (Candidacy.ADMISSIBLE, "Recevable"),
        (Candidacy.INADMISSIBLE, "Non recevable"),
        (Candidacy.INCOMPLETE, "Incomplet"),
    ]
    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.PROTECT, related_name="admissibility_decisions"
    )
    decision = models.CharField(max_length=30, choices=CHOICES)
    reasons = models.TextField("motifs")
    # None: no one decided — two months of silence did (Code du travail, art. L. 6412-2).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    implicit = models.BooleanField("décision implicite", default=False)
    decided_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["decided_at"]

    def __str__(self):
        return f"{self.candidacy} : {self.get_decision_display()}"


class BlocNarrative(models.Model):
    """Livret 2: what the candidate did, bloc by bloc."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="narratives")
    bloc = models.ForeignKey(Bloc, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("description détaillée", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidacy", "bloc"], name="one_narrative_per_bloc")
        ]

    def __str__(self):
        return f"{self.candidacy} — {self.bloc.code}"


class JuryResult(models.Model):
    TOTAL, PARTIAL, REFUSED = "total", "partial", "refused"
    CHOICES = [
        (TOTAL, "Validation totale"),
        (PARTIAL, "Validation partielle"),
        (REFUSED, "Refus de validation"),
    ]
    candidacy = models.OneToOneField(
        Candidacy, on_delete=models.PROTECT, related_name="jury_result"
    )
    result = models.CharField(max_length=10, choices=CHOICES)
    jury_date = models.DateField("date du jury")
    blocs = models.ManyToManyField(Bloc, blank=True, related_name="+", verbose_name="blocs validés")
    comment = models.TextField("observations du jury", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # When candidate and accompagnateur were told (fifteen days: engine/vae_clocks).
    notified_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    def __str__(self):
        return f"{self.candidacy} : {self.get_result_display()}"


class ValidatedBloc(models.Model):
    """A bloc a person holds (by VAE or otherwise): it stays on his record and counts when he comes back."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="validated_blocs"
    )
    bloc = models.ForeignKey(Bloc, on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(
        JuryResult, on_delete=models.PROTECT, related_name="validated_blocs", null=True, blank=True
    )
    validated_on = models.DateField()

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "bloc"], name="bloc_validated_once")
        ]

    def __str__(self):
        return f"{self.person} — {self.bloc.code}"


class GuideComment(models.Model):
    """The accompagnateur's comment on a candidate's file (never edited; a new one follows)."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("commentaire", max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Commentaire de {self.author} — {self.candidacy}"


class CandidacyEvent(models.Model):
    """One step of the journey (livret.engine.vae_flow), dated and attributed; never edited."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=30)
    to_status = models.CharField(max_length=30)
    # None: the daily clocks (`livret vae tick`), not a person.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.candidacy} : {self.from_status} → {self.to_status}"

    @property
    def label(self):
        from livret.engine.vae_flow import STATE_LABELS

        return STATE_LABELS.get(self.to_status, self.to_status)


class PriorLearning(models.Model):
    """A formation followed or a certification held, as the feasibility file's model asks
    (arrêté du 3 juillet 2025)."""

    FORMATION, CERTIFICATION = "formation", "certification"
    KINDS = [(FORMATION, "Formation suivie"), (CERTIFICATION, "Certification obtenue")]
    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.CASCADE, related_name="prior_learning"
    )
    kind = models.CharField("nature", max_length=20, choices=KINDS)
    title = models.CharField("intitulé", max_length=200)
    organisation = models.CharField("organisme ou certificateur", max_length=200, blank=True)
    year = models.PositiveSmallIntegerField("année")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = "formation ou certification détenue"

    def __str__(self):
        return f"{self.title} ({self.year})"


class FeasibilityOpinion(models.Model):
    """The accompagnateur's formal avis on the feasibility file (arrêté du 3 juillet 2025):
    favourable or réservé, with reasons. Never edited: a new avis follows."""

    FAVOURABLE, RESERVED = "favourable", "reserved"
    CHOICES = [(FAVOURABLE, "Favorable"), (RESERVED, "Réservé")]
    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="opinions")
    opinion = models.CharField("avis", max_length=20, choices=CHOICES)
    reasons = models.TextField("motifs", max_length=4000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "avis de faisabilité"

    def __str__(self):
        return f"Avis {self.get_opinion_display().lower()} — {self.candidacy}"


class JuryMember(models.Model):
    """One member of a candidate's VAE jury (Code du travail, art. D. 6412-6; the rules in
    livret.engine.vae_jury). His declaration of no link with the candidate is dated."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="jury_members")
    name = models.CharField("nom et prénom", max_length=200)
    email = models.EmailField("adresse électronique (pour la convocation)", blank=True)
    quality = models.CharField("qualité", max_length=20, choices=vae_jury.QUALITIES)
    qualified = models.BooleanField("qualifié au titre de la certification visée", default=False)
    gender = models.CharField(
        "genre", max_length=1, choices=vae_jury.GENDERS, blank=True, default=vae_jury.UNSAID
    )
    declared_no_link_at = models.DateTimeField(
        "déclaration d'absence de lien avec le candidat", null=True, blank=True
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = "membre du jury VAE"

    def __str__(self):
        return f"{self.name} ({self.get_quality_display()})"


class JuryConvocation(models.Model):
    """The candidate's convocation before his jury: date, place and modalities, sent by e-mail
    (and as a PDF) to him and to the members who gave an address. A new one replaces the last."""

    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.CASCADE, related_name="jury_convocations"
    )
    at = models.DateTimeField("date et heure du jury")
    place = models.CharField("lieu", max_length=300)
    modalities = models.TextField("modalités (entretien, mise en situation, durée…)")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"Convocation de {self.candidacy} le {self.at:%d/%m/%Y}"


class JuryDecisionDetail(models.Model):
    """What the jury's decision adds to its result: who sat, whether the president's casting
    vote was used (D. 6412-6), and when a decision is corrected, why and by whom."""

    result = models.ForeignKey(JuryResult, on_delete=models.CASCADE, related_name="details")
    sat = models.ManyToManyField(JuryMember, related_name="+", verbose_name="membres présents")
    casting_vote = models.BooleanField("voix prépondérante du président utilisée", default=False)
    # The decision as it stood before a correction (empty for the first decision).
    replaces = models.JSONField("décision remplacée", null=True, blank=True)
    reason = models.TextField("motif de la correction", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self):
        return f"{self.result} ({self.decided_at:%d/%m/%Y})"


class JuryRecommendation(models.Model):
    """A préconisation for a bloc the jury did not validate: training, experience or a new
    passage, with the jury's words."""

    result = models.ForeignKey(JuryResult, on_delete=models.CASCADE, related_name="recommendations")
    bloc = models.ForeignKey(Bloc, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("préconisation", max_length=20, choices=vae_jury.RECOMMENDATIONS)
    text = models.TextField("précisions", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bloc__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["result", "bloc"], name="one_recommendation_per_bloc")
        ]

    def __str__(self):
        return f"{self.bloc.code} : {self.get_kind_display()}"


class TitreRegistration(models.Model):
    """A titre professionnel candidate by VAE registered to a titre session, once recevable, to
    sit the mise en situation professionnelle and the entretiens with the trainees (the same
    épreuves as them); the CCPs its jury grants carry to his VAE file (livret.vae.titre)."""

    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.PROTECT, related_name="titre_registrations"
    )
    exam_candidate = models.OneToOneField(
        "exams.Candidate", on_delete=models.PROTECT, related_name="vae_registration"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["registered_at", "pk"]

    def __str__(self):
        return f"{self.candidacy} — {self.exam_candidate.session}"
