"""The message form: a short text, and optionally what it is about — one competence, situation
or period of this learner, chosen from his own (an id of another learner's object is no choice)."""

from __future__ import annotations

from django import forms

from livret.web.forms import style

from .models import MAX_LENGTH

COMPETENCE, SITUATION, PERIOD = "competence", "situation", "period"


def _short(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


class MessageForm(forms.Form):
    text = forms.CharField(
        label="Votre message",
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Écrivez votre message (il est vide).",
            "max_length": f"Un message tient en {MAX_LENGTH} caractères au plus "
            "(actuellement %(show_value)d).",
        },
        help_text=f"{MAX_LENGTH} caractères au plus. Lu par les formateurs, le tuteur, "
        "l'apprenant et le responsable du centre.",
    )
    about = forms.ChoiceField(
        label="À propos de (facultatif)",
        required=False,
        error_messages={
            "invalid_choice": "Choisissez une compétence, une situation ou une période "
            "de ce livret."
        },
    )

    def __init__(
        self,
        *args,
        competences=(),
        situations=(),
        periods=(),
        period="période en entreprise",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self._objects = {}
        groups = []
        for kind, label, objects, name in (
            (
                COMPETENCE,
                "Une compétence",
                competences,
                lambda c: _short(f"{c.code} — {c.title}"),
            ),
            (
                SITUATION,
                "Une situation vécue en entreprise",
                situations,
                lambda s: _short(f"{s.occurred_on:%d/%m/%Y} — {s.title}"),
            ),
            (PERIOD, f"Une {period}", periods, lambda p: _short(str(p))),
        ):
            options = []
            for obj in objects:
                key = f"{kind}:{obj.pk}"
                self._objects[key] = (kind, obj)
                options.append((key, name(obj)))
            if options:
                groups.append((label, options))
        self.fields["about"].choices = [("", "Rien de particulier"), *groups]
        style(self)  # aria-invalid and aria-describedby: Django's, rendered by web/forms

    def clean_about(self):
        """(kind, object) or None."""
        value = self.cleaned_data.get("about")
        return self._objects.get(value) if value else None
