"""The public verification page's form: a badge's file, or its text pasted."""

from __future__ import annotations

from django import forms

from livret.web.forms import style

MAX_BYTES = 200_000


class VerifyForm(forms.Form):
    file = forms.FileField(label="Fichier du badge", required=False)
    token = forms.CharField(
        label="ou contenu du badge",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            data["text"] = upload.read(MAX_BYTES).decode("utf-8", "replace")
            data["from"] = "file"
        else:
            data["text"] = data.get("token") or ""
            data["from"] = "token"
        if not data["text"].strip() and not self.has_error("file"):
            self.add_error("token", "Déposez le fichier du badge ou collez son contenu.")
        return data
