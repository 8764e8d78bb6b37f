"""A référentiel as rows: one row per coded item, so that evaluations, grades and dossiers can point
at a competence or a unit of one precise version. The validated file itself is kept too
(`Referentiel.document`): rules that engines read (exam forms, stage rules, hour grid) come from it.
"""

from django.conf import settings
from django.db import models


class Diploma(models.Model):
    """A diploma across its versions, named by its short identifier (bts-mos)."""

    slug = models.SlugField("identifiant", unique=True)
    title = models.CharField("intitulé", max_length=300)
    short_title = models.CharField("intitulé court", max_length=120, blank=True)
    kind = models.CharField("type", max_length=20)

    class Meta:
        ordering = ["slug"]
        verbose_name = "diplôme"

    def __str__(self):
        return self.short_title or self.title

    def current(self):
        """The newest version published for all."""
        return self.referentiels.public().order_by("-version").first()


class PublishedVersionError(Exception):
    """A published version's document and rows never change: a correction is a new version."""

    def __init__(self, referentiel_id=None):
        super().__init__(
            "une version publiée ne se modifie pas : créez une nouvelle version pour la corriger"
        )
        self.referentiel_id = referentiel_id


class ReferentielQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Referentiel.PUBLISHED)

    def offered(self, centre=None):
        """Versions a cohort may use: published, the platform's or the centre's own (never a draft)."""
        mine = models.Q(owner__isnull=True)
        if centre is not None:
            mine |= models.Q(owner=centre)
        return self.published().filter(mine)

    def public(self):
        """Versions everyone sees (the public référentiel pages, the API): published for all."""
        return self.published().filter(owner__isnull=True)


class Referentiel(models.Model):
    COMPLETE, PARTIAL = "complete", "partial"
    # A draft is a version still being written (a workshop or an import): its document changes,
    # it has no rows and no cohort may use it. Published, it never changes: a correction is a new
    # version. A centre's own version (owner set) is seen by that centre only until the platform
    # publishes it for all (owner cleared).
    DRAFT, PUBLISHED = "draft", "published"
    STATUSES = [(DRAFT, "brouillon"), (PUBLISHED, "publiée")]

    diploma = models.ForeignKey(Diploma, on_delete=models.PROTECT, related_name="referentiels")
    version = models.DateField("version")
    title = models.CharField("intitulé", max_length=300)
    rncp_code = models.CharField("code RNCP", max_length=20, blank=True)
    completeness = models.CharField("complétude", max_length=10)
    document = models.JSONField("fichier validé")
    sha256 = models.CharField(max_length=64)
    source_name = models.CharField("fichier source", max_length=300)
    loaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField("état", max_length=10, choices=STATUSES, default=PUBLISHED)
    owner = models.ForeignKey(
        "people.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_referentiels",
        verbose_name="centre propriétaire (vide : la plateforme)",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ReferentielQuerySet.as_manager()

    class Meta:
        ordering = ["diploma__slug", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["diploma", "version"], name="referentiel_unique_version"
            )
        ]

    def __str__(self):
        return f"{self.diploma.slug} {self.version.isoformat()}"

    @property
    def is_partial(self):
        return self.completeness == self.PARTIAL

    @property
    def is_draft(self):
        return self.status == self.DRAFT


class Item(models.Model):
    referentiel = models.ForeignKey(Referentiel, on_delete=models.PROTECT, related_name="+")
    code = models.CharField("code", max_length=40)
    title = models.TextField("intitulé")
    position = models.PositiveIntegerField(default=0)
    # Lower-cased, accent-free text the search looks into (code, title and details).
    search_text = models.TextField(default="", editable=False)

    class Meta:
        abstract = True
        ordering = ["position"]

    def __str__(self):
        return f"{self.code} - {self.title}"

    # A published version's rows never change (livret.referentiels.services writes rows only
    # while the version is a draft); this guard catches any other path through the ORM.
    def save(self, *args, **kwargs):
        self._refuse_if_published()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_published()
        return super().delete(*args, **kwargs)

    def _refuse_if_published(self):
        if Referentiel.objects.filter(
            pk=self.referentiel_id, status=Referentiel.PUBLISHED
        ).exists():
            raise PublishedVersionError(self.referentiel_id)


def unique_code(name):
    return [models.UniqueConstraint(fields=["referentiel", "code"], name=f"{name}_unique_code")]


class Pole(Item):
    class Meta(Item.Meta):
        constraints = unique_code("pole")
        verbose_name = "pôle d'activités"


class Activity(Item):
    pole = models.ForeignKey(Pole, on_delete=models.PROTECT, related_name="activities")

    class Meta(Item.Meta):
        constraints = unique_code("activity")
        verbose_name = "activité"


class Task(Item):
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="tasks")

    class Meta(Item.Meta):
        constraints = unique_code("task")
        verbose_name = "tâche"


class Knowledge(Item):
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="knowledge")
    limits = models.TextField("limites de savoir", blank=True)

    class Meta(Item.Meta):
        constraints = unique_code("knowledge")
        verbose_name = "savoir associé"
        verbose_name_plural = "savoirs associés"


class Unit(Item):
    domain = models.CharField("domaine", max_length=20, blank=True)
    optional = models.BooleanField("facultative", default=False)

    class Meta(Item.Meta):
        constraints = unique_code("unit")
        verbose_name = "unité"


class Competence(Item):
    # A competence of the activity tree, or of an optional module (group C1 … C5), or free-standing.
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="competences", null=True, blank=True
    )
    module_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="module_competences", null=True, blank=True
    )
    group_code = models.CharField(max_length=20, blank=True)
    group_title = models.CharField(max_length=300, blank=True)
    # Module competences carry their savoirs as uncoded lines: [{"title": ..., "core": bool}].
    knowledge_lines = models.JSONField(default=list, blank=True)

    class Meta(Item.Meta):
        constraints = unique_code("competence")
        verbose_name = "compétence"


class Bloc(Item):
    optional = models.BooleanField("facultatif", default=False)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="blocs", null=True, blank=True
    )
    skills = models.JSONField("compétences (libellés RNCP)", default=list, blank=True)
    competences = models.ManyToManyField(Competence, related_name="blocs", blank=True)

    class Meta(Item.Meta):
        constraints = unique_code("bloc")
        verbose_name = "bloc de compétences"
        verbose_name_plural = "blocs de compétences"


class Exam(Item):
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="parts", null=True, blank=True
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="exams", null=True, blank=True
    )
    coefficient = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    optional = models.BooleanField("facultative", default=False)
    forms = models.JSONField("formes par statut", default=dict, blank=True)
    criteria = models.JSONField("critères d'évaluation", default=list, blank=True)
    not_valid_cases = models.JSONField("cas de NV", default=list, blank=True)
    note = models.TextField(blank=True)
    competences = models.ManyToManyField(Competence, related_name="exams", blank=True)

    class Meta(Item.Meta):
        constraints = unique_code("exam")
        verbose_name = "épreuve"
