from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from livret import uploads as evidence_rules
from livret.engine import dates
from livret.referentiels.models import Bloc, Competence, Task
from livret.web.forms import DATE, style

from .models import Context, Level, Situation


class EvaluationForm(forms.Form):
    level = forms.ChoiceField(label="Niveau", choices=Level.choices, widget=forms.RadioSelect)
    observed_on = forms.DateField(
        label="Date de l'observation", widget=forms.DateInput(attrs={"type": "date"})
    )
    context = forms.ChoiceField(label="Contexte", choices=Context.choices, initial=Context.COURSE)
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = forms.FileField(
        label="Preuve (facultatif)",
        required=False,
        help_text=f"{evidence_rules.ALLOWED_LABEL} ; 10 Mo au plus.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["observed_on"].initial = timezone.localdate()
        self.evidence_type = ""

    def clean_observed_on(self):
        day = self.cleaned_data["observed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("La date de l'observation ne peut pas être dans le futur.")
        if day < datetime.date(2000, 1, 1):
            raise forms.ValidationError("Date trop ancienne.")
        return day

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            self.evidence_type = evidence_rules.check(upload)
        return upload


class ColumnForm(forms.Form):
    level = forms.ChoiceField(
        label="Niveau", choices=Level.choices, widget=forms.Select(attrs={"autofocus": True})
    )
    observed_on = forms.DateField(label="Date de l'observation", widget=DATE)
    context = forms.ChoiceField(label="Contexte", choices=Context.choices, initial=Context.COURSE)
    learners = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Apprenants concernés"
    )

    def __init__(self, *args, learners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learners"].queryset = learners
        self.fields["observed_on"].initial = timezone.localdate()
        style(self)

    def clean_observed_on(self):
        day = self.cleaned_data["observed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("La date de l'observation ne peut pas être dans le futur.")
        return day


class SituationForm(forms.ModelForm):
    class Meta:
        model = Situation
        fields = ["occurred_on", "place", "title", "description", "tasks", "competences"]
        widgets = {
            "occurred_on": DATE,
            "place": forms.TextInput(attrs={"autocomplete": "off"}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "tasks": forms.CheckboxSelectMultiple,
            "competences": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "competences": {"required": "Cochez au moins une compétence mobilisée."},
        }

    def __init__(self, *args, referentiel, learner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.learner = learner
        self.referentiel = referentiel
        style(self)
        self.fields["competences"].queryset = Competence.objects.filter(
            referentiel=referentiel
        ).order_by("position")
        self.fields["tasks"].queryset = Task.objects.filter(referentiel=referentiel).order_by(
            "position"
        )
        self.fields["tasks"].required = False
        # A référentiel that gives no competences yet (Bac pro, CAP): the pupil still says what
        # he did, in his own words; competences are attached once the référentiel has them.
        self.no_competences = not self.fields["competences"].queryset.exists()
        if self.no_competences:
            self.fields["competences"].required = False
        self.no_tasks = not self.fields["tasks"].queryset.exists()

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        learner = self.learner or getattr(self.instance, "learner", None)
        bounds = (
            dates.training(
                learner.contract_start,
                learner.contract_end,
                learner.cohort.start_year,
                learner.cohort.duration_years,
            )
            if learner is not None
            else dates.Training(datetime.date(2000, 1, 1), datetime.date.max, False)
        )
        error = dates.lived_day_error(day, timezone.localdate(), bounds)
        if error:
            raise forms.ValidationError(error)
        return day

    def competence_groups(self) -> list[tuple[str, list]]:
        """The competences' check-boxes by bloc (as the référentiel lists them), those of no bloc
        last: 82 boxes in one list were a long scroll on a phone. Each box once, in its first
        bloc."""
        boxes = {str(b.data["value"]): b for b in self["competences"]}
        groups, placed = [], set()
        blocs = Bloc.objects.filter(referentiel=self.referentiel).order_by("position")
        members: dict[int, list[int]] = {}
        for bloc_id, competence_id in Bloc.competences.through.objects.filter(
            bloc__in=blocs
        ).values_list("bloc_id", "competence_id"):
            members.setdefault(bloc_id, []).append(competence_id)
        order = {str(pk): i for i, pk in enumerate(boxes)}
        for bloc in blocs:
            mine = sorted(
                (str(pk) for pk in members.get(bloc.pk, []) if str(pk) in boxes),
                key=order.__getitem__,
            )
            mine = [pk for pk in mine if pk not in placed]
            if mine:
                placed.update(mine)
                groups.append((f"{bloc.code} — {bloc.title}", [boxes[pk] for pk in mine]))
        rest = [b for pk, b in boxes.items() if pk not in placed]
        if rest:
            groups.append(("Autres compétences" if groups else "Compétences", rest))
        return groups


class AttachCompetencesForm(forms.Form):
    """The trainer attaches the référentiel's competences to a situation declared without them
    (a référentiel completed since the pupil wrote it), grouped by bloc as in the declaration."""

    competences = forms.ModelMultipleChoiceField(
        queryset=Competence.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Compétences mobilisées",
        error_messages={"required": "Cochez au moins une compétence."},
    )
    competence_groups = SituationForm.competence_groups

    def __init__(self, *args, referentiel, **kwargs):
        super().__init__(*args, **kwargs)
        self.referentiel = referentiel
        self.fields["competences"].queryset = Competence.objects.filter(
            referentiel=referentiel
        ).order_by("position")
        self.no_competences = not self.fields["competences"].queryset.exists()


class AppraisalForm(forms.Form):
    """The tutor's appraisal: the same levels as the trainer's, his date and his words."""

    level = forms.ChoiceField(
        label="Niveau observé", choices=Level.choices, widget=forms.RadioSelect
    )
    observed_on = forms.DateField(label="Date de l'observation", widget=DATE)
    comment = forms.CharField(
        label="Ce que vous avez vu (facultatif)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["observed_on"].initial = timezone.localdate()
        style(self)

    def clean_observed_on(self):
        day = self.cleaned_data["observed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("La date de l'observation ne peut pas être dans le futur.")
        if day < datetime.date(2000, 1, 1):
            raise forms.ValidationError("Date trop ancienne.")
        return day


class TutorForm(forms.Form):
    comment = forms.CharField(
        label="Commentaire (facultatif pour valider ; le motif, pour renvoyer)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class TurnIntoEvaluationsForm(forms.Form):
    """One level for all the situation's competences, changeable line by line."""

    level = forms.ChoiceField(
        label="Niveau pour toutes les compétences mobilisées", choices=Level.choices
    )

    def __init__(self, *args, competences=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.competences = list(competences)
        for c in self.competences:
            self.fields[f"level_{c.pk}"] = forms.ChoiceField(
                label=f"{c.code} — {c.title}",
                required=False,
                choices=[("", "Comme ci-dessus"), *Level.choices],
            )
        style(self)

    def lines(self):
        """(competence, its bound field) for the page."""
        return [(c, self[f"level_{c.pk}"]) for c in self.competences]

    def levels(self) -> dict[int, str]:
        """competence id → level: the line's own, else the one for all."""
        default = self.cleaned_data["level"]
        return {c.pk: self.cleaned_data.get(f"level_{c.pk}") or default for c in self.competences}
