"""The exam office's form of a session: which diploma, mock or official, its year and jury.

The diplomas offered are those the centre trains for (its cohorts' référentiels): nothing of
another centre can be chosen. What makes a session possible at all (the référentiel's épreuves)
is asked of its rule family (families.Family.missing)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from livret.referentiels.models import Referentiel
from livret.web.forms import DATE, style

from . import families
from .models import ExamSession

YEARS_AHEAD = 5  # a session planned further ahead is a typing error, not a plan


def jury_lines(members) -> str:
    """[["Nom", "qualité"], …] as the form shows it: one member a line, « nom ; qualité »."""
    return "\n".join(" ; ".join(str(x) for x in m if x) for m in members or [])


class SessionForm(forms.ModelForm):
    jury = forms.CharField(
        label="Membres du jury",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Un membre par ligne : nom ; qualité (par exemple « Mme Durand ; présidente »).",
    )

    class Meta:
        model = ExamSession
        fields = [
            "referentiel",
            "kind",
            "name",
            "year",
            "official_reference",
            "control_exams",
            "report_deadline",
        ]
        labels = {
            "referentiel": "Diplôme (référentiel)",
            "kind": "Nature de la session",
            "name": "Intitulé",
            "year": "Année de la session",
            "official_reference": "Référence du procès-verbal ou de la convocation du jury officiel",
            "control_exams": "Épreuves de contrôle prévues (si le règlement les admet)",
            "report_deadline": "Date limite de dépôt des rapports et dossiers",
        }
        help_texts = {
            "kind": "Un examen blanc est l'évaluation du centre : ses résultats ne valident "
            "aucun bloc et ne sont pas publiés comme un résultat officiel.",
            "official_reference": "Obligatoire pour une session officielle : le jury de "
            "l'autorité certificatrice décide, le centre en transcrit la décision.",
            "year": "L'année où les candidats passent l'examen.",
        }
        widgets = {"report_deadline": DATE, "kind": forms.RadioSelect}

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        self.fields["referentiel"].queryset = (
            Referentiel.objects.filter(cohorts__centre=centre)
            .select_related("diploma")
            .defer("document")
            .distinct()
            .order_by("title", "-version")
        )
        self.fields["referentiel"].empty_label = "— choisir —"
        self.fields["name"].help_text = "Par exemple « Examen blanc BTS MOS — février »."
        self.fields["year"].initial = timezone.localdate().year
        self.fields["jury"].initial = jury_lines(self.instance.jury_members)
        if self.instance.pk and self.instance.candidates.exists():
            # Candidates are registered for this diploma, year and nature: those stay.
            for name in ("referentiel", "year", "kind"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Des candidats sont inscrits : ne se modifie plus."
        self.fields["referentiel"].label_from_instance = lambda r: (
            f"{r.title} (version du {r.version:%d/%m/%Y})"
        )
        style(self)
        self.fields["kind"].widget.attrs["class"] = "form-check-input"  # radios, not a text box

    def clean_year(self):
        year = self.cleaned_data["year"]
        this = timezone.localdate().year
        if not 2000 <= year <= this + YEARS_AHEAD:
            raise forms.ValidationError(
                f"Année de session attendue entre 2000 et {this + YEARS_AHEAD}."
            )
        return year

    def clean_referentiel(self):
        ref = self.cleaned_data["referentiel"]
        # The document was deferred for the list: read it for the check.
        ref = Referentiel.objects.get(pk=ref.pk)
        why = families.family_for(ref).missing(ref)
        if why:
            raise forms.ValidationError(why)
        return ref

    def clean_jury(self):
        members, bad = [], []
        for n, line in enumerate(self.cleaned_data["jury"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _, quality = (x.strip() for x in line.partition(";"))
            if not name:
                bad.append(n)
                continue
            members.append([name, quality])
        if bad:
            raise forms.ValidationError(
                f"Ligne(s) {', '.join(map(str, bad))} : le nom du membre manque avant « ; »."
            )
        return members

    def clean(self):
        data = super().clean()
        # (An official session without its reference: the model's clean says it, beside it.)
        kind = data.get("kind") or self.instance.kind
        ref, year = data.get("referentiel"), data.get("year")
        if kind == ExamSession.OFFICIAL and ref and year:
            twin = ExamSession.objects.filter(
                referentiel=ref, organiser=self.centre, year=year, kind=ExamSession.OFFICIAL
            ).exclude(pk=self.instance.pk)
            if twin.exists():
                self.add_error(
                    "year",
                    f"Le centre a déjà une session officielle de ce diplôme en {year}.",
                )
        return data

    def _post_clean(self):
        # The model's own clean (official reference) is said by clean() beside its field.
        self.instance.jury_members = self.cleaned_data.get("jury", self.instance.jury_members)
        super()._post_clean()
