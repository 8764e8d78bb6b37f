from django import forms

from livret.engine.families import BAC_PRO, family_of
from livret.web.forms import style

from .models import Assessment, TeachingModule


class ModuleForm(forms.ModelForm):
    class Meta:
        model = TeachingModule
        fields = ["title", "coefficient", "trainers", "ari_role"]
        localized_fields = ["coefficient"]  # "1,5" as the French type it
        widgets = {"trainers": forms.CheckboxSelectMultiple}

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        if family_of(cohort.referentiel.document) != BAC_PRO:
            del self.fields["ari_role"]  # the attestation exists for the Bac pro only
        # Only the cohort's own trainers may teach its modules (nobody of another centre).
        self.fields["trainers"].queryset = cohort.trainers.order_by("last_name", "first_name")
        self.fields["trainers"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.instance.cohort = cohort
        style(self)


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["title", "kind", "coefficient", "held_on", "semester"]
        localized_fields = ["coefficient"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, semesters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["semester"] = forms.TypedChoiceField(
            label="Semestre", choices=semesters, coerce=int
        )
        style(self)
