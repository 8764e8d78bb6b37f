from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from livret import uploads as evidence_rules
from livret.referentiels.models import Competence, Task

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
    level = forms.ChoiceField(label="Niveau", choices=Level.choices)
    observed_on = forms.DateField(
        label="Date de l'observation", widget=forms.DateInput(attrs={"type": "date"})
    )
    context = forms.ChoiceField(label="Contexte", choices=Context.choices, initial=Context.COURSE)
    learners = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Apprenants"
    )

    def __init__(self, *args, learners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learners"].queryset = learners
        self.fields["observed_on"].initial = timezone.localdate()

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
            "occurred_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "tasks": forms.CheckboxSelectMultiple,
            "competences": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, referentiel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competences"].queryset = Competence.objects.filter(
            referentiel=referentiel
        ).order_by("position")
        self.fields["tasks"].queryset = Task.objects.filter(referentiel=referentiel).order_by(
            "position"
        )
        self.fields["tasks"].required = False

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Une situation vécue ne peut pas être datée dans le futur.")
        return day


class AppraisalForm(forms.Form):
    """The tutor's appraisal: the same levels as the trainer's, his date and his words."""

    level = forms.ChoiceField(
        label="Niveau observé", choices=Level.choices, widget=forms.RadioSelect
    )
    observed_on = forms.DateField(
        label="Date de l'observation", widget=forms.DateInput(attrs={"type": "date"})
    )
    comment = forms.CharField(
        label="Ce que vous avez vu (facultatif)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["observed_on"].initial = timezone.localdate()

    def clean_observed_on(self):
        day = self.cleaned_data["observed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("La date de l'observation ne peut pas être dans le futur.")
        if day < datetime.date(2000, 1, 1):
            raise forms.ValidationError("Date trop ancienne.")
        return day


class TutorForm(forms.Form):
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TurnIntoEvaluationsForm(forms.Form):
    level = forms.ChoiceField(
        label="Niveau pour chaque compétence mobilisée", choices=Level.choices
    )
