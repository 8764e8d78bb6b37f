"""Form helpers shared by the apps' forms: the design system's classes, the date input, the check
that an end does not come before its start."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def style(form) -> None:
    """The design system's classes on every input (one place, so the next design swaps here)."""
    for field in form.fields.values():
        widget = field.widget
        # Boxes and radio buttons are not text boxes (web/forms/field.html puts them in a
        # form-check); RadioSelect covers CheckboxSelectMultiple, its subclass.
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


def check_dates_in_order(form, data, start: str, end: str) -> None:
    """The end of a period, a contract or an agreement cannot come before its start."""
    if data.get(start) and data.get(end) and data[end] < data[start]:
        form.add_error(end, "La fin précède le début.")


class Styled:
    """A form that takes the user whose choices it offers, and is styled."""

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        style(self)


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, with the design system's controls (rendered by web/forms/field.html)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Django's form (the e-mailed link's new password), French labels and the design
    system's controls (rendered by web/forms/fields.html)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Nouveau mot de passe"
        self.fields["new_password1"].help_text = ""  # the page says it, in a sentence
        self.fields["new_password2"].label = "Confirmation"
        style(self)


class EmailedCodeForm(forms.Form):
    """The code an e-mailed link carries after its « # »: the page's script (web/code-link.js)
    types it in and posts it; without a script, the person copies it from the e-mail."""

    code = forms.CharField(
        label="Code reçu par courriel",
        max_length=200,
        help_text="Il figure dans le courriel, sous le lien.",
        error_messages={"required": "Saisissez le code reçu par courriel."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)
