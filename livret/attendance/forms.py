"""The manager's and the sender's forms of attendance: styled and checked like the others
(livret.web.forms); a form only parses, the services decide."""

from __future__ import annotations

from django import forms

from livret import access
from livret.bulletins.models import TeachingModule
from livret.web.forms import DATE, Styled, check_dates_in_order, style

from .models import AbsenceReason, CentreSettings, Session, WeeklyPattern

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _check_times(form, data) -> None:
    if data.get("start") and data.get("end") and data["end"] <= data["start"]:
        form.add_error("end", "La fin doit suivre le début.")


class SlotForm(Styled, forms.ModelForm):
    """One slot of the weekly pattern: the cohort's modules, the centre's trainers."""

    class Meta:
        model = WeeklyPattern
        fields = ["weekday", "start", "end", "module", "trainer", "room"]
        widgets = {"start": TIME, "end": TIME}
        labels = {"module": "module", "trainer": "formateur"}

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = TeachingModule.objects.filter(cohort=cohort)
        self.fields["trainer"].queryset = access.centre_trainers(self.user).order_by(
            "last_name", "first_name"
        )
        self.fields["trainer"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        data = super().clean()
        _check_times(self, data)
        return data


class GenerateForm(forms.Form):
    first = forms.DateField(label="du", widget=DATE)
    last = forms.DateField(label="au", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def clean(self):
        data = super().clean()
        check_dates_in_order(self, data, "first", "last")
        if data.get("first") and data.get("last") and (data["last"] - data["first"]).days > 400:
            self.add_error("last", "Générez au plus une année à la fois.")
        return data


class SessionForm(Styled, forms.ModelForm):
    """A session added or moved by the manager (date, hours, module, trainers, room)."""

    class Meta:
        model = Session
        fields = ["date", "start", "end", "module", "room", "trainers"]
        widgets = {
            "date": DATE,
            "start": TIME,
            "end": TIME,
            "trainers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = TeachingModule.objects.filter(cohort=cohort)
        self.fields["trainers"].queryset = access.centre_trainers(self.user).order_by(
            "last_name", "first_name"
        )
        self.fields["trainers"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        data = super().clean()
        _check_times(self, data)
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label="motif de l'annulation", max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class JustificationForm(forms.Form):
    """A justificatif sent by the learner or his tutor: the centre's active reasons only."""

    reason = forms.ModelChoiceField(label="motif", queryset=AbsenceReason.objects.none())
    first_day = forms.DateField(label="du", widget=DATE)
    last_day = forms.DateField(label="au", widget=DATE)
    comment = forms.CharField(
        label="commentaire", required=False, max_length=2000, widget=forms.Textarea({"rows": 3})
    )
    file = forms.FileField(label="justificatif (PDF, photo…)", required=False)

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = AbsenceReason.objects.filter(centre=centre, active=True)
        style(self)

    def clean(self):
        data = super().clean()
        check_dates_in_order(self, data, "first_day", "last_day")
        return data


class SettingsForm(forms.ModelForm):
    class Meta:
        model = CentreSettings
        fields = ["threshold_percent", "absence_run"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["threshold_percent"].max_value = 100
        self.fields["threshold_percent"].widget.attrs["max"] = 100
        self.fields["absence_run"].widget.attrs.update(min=1, max=50)
        style(self)

    def clean_threshold_percent(self):
        value = self.cleaned_data["threshold_percent"]
        if value > 100:
            raise forms.ValidationError("Un pourcentage entre 0 et 100.")
        return value

    def clean_absence_run(self):
        value = self.cleaned_data["absence_run"]
        if not 1 <= value <= 50:
            raise forms.ValidationError("Entre 1 et 50 absences.")
        return value


class ReasonForm(forms.Form):
    label = forms.CharField(label="nouveau motif", max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class MonthForm(forms.Form):
    month = forms.CharField(
        label="mois",
        max_length=7,
        widget=forms.TextInput({"type": "month", "placeholder": "AAAA-MM"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def clean_month(self):
        try:
            year, month = (int(x) for x in self.cleaned_data["month"].split("-"))
            if not (2000 <= year <= 2100 and 1 <= month <= 12):
                raise ValueError
        except ValueError:
            raise forms.ValidationError("Un mois au format AAAA-MM.") from None
        return year, month
