"""The imports' upload form: which kind of records, and the file (through web/forms)."""

from __future__ import annotations

from django import forms

from livret.tables import MAX_BYTES
from livret.web.forms import style

from . import importer


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=())
    file = forms.FileField(
        label="Fichier",
        required=False,  # its own message, below
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, v.label) for k, v in importer.KINDS.items()]
        style(self)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            raise forms.ValidationError("Choisissez un fichier CSV ou XLSX.")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"Fichier trop volumineux (plus de {MAX_BYTES // 1_000_000} Mo)."
            )
        return upload
