"""The workshop's forms, one per part of a diploma (prefix = the part's name, so several live on
one page). Each gives the keyword arguments of its edit in livret.workshop.parts (`edit_data`),
and can be filled from an element of the document to correct it (`initial_for`)."""

from __future__ import annotations

from django import forms

from livret.referentiels.validator import FORMS, PERIOD_STATUSES, coded_items
from livret.web.forms import style

from .parts import FAMILIES, GRID_SECTIONS, HOUR_KEYS

KINDS = [
    ("", "—"),
    ("bts", "BTS"),
    ("bac_pro", "Bac pro"),
    ("cap", "CAP"),
    ("titre_pro", "Titre professionnel"),
]
FAMILY_LABELS = dict(KINDS)
FORM_LABELS = {
    "ccf": "contrôle en cours de formation (CCF)",
    "written": "ponctuelle écrite",
    "oral": "ponctuelle orale",
    "practical": "ponctuelle pratique",
    "practical_oral": "ponctuelle pratique et orale",
}
STATUS_LABELS = {
    "school": "scolaires",
    "apprentice": "apprentis",
    "continuing": "formation continue",
    "perfecting": "candidats justifiant d'une expérience (perfectionnement)",
}
SCOPES = [
    ("", "—"),
    ("each_school_year", "chaque année scolaire"),
    ("first_school_year", "la première année scolaire"),
    ("any", "sur l'ensemble de la formation"),
]


def _text(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class PartForm(forms.Form):
    part = ""
    title_ = ""  # the heading of its section on the page
    submit = "Enregistrer"
    code_key = "code"  # the key that names the element to correct

    def __init__(self, *args, doc=None, **kwargs):
        kwargs.setdefault("prefix", self.part)
        super().__init__(*args, **kwargs)
        self.doc = doc or {}
        self.more_fields()
        style(self)
        for name, field in self.fields.items():
            # The validator's messages for this field are written in this element (see _form.html).
            described = f"{self.prefix}-{name}-msgs"
            if field.help_text:
                described += f" id_{self.add_prefix(name)}_helptext"
            field.widget.attrs["aria-describedby"] = described

    def more_fields(self) -> None:
        """Fields that depend on the document (an épreuve's form for each candidate status)."""

    def edit_data(self) -> dict:
        # A text field the request does not carry at all is left to the edit's default (a
        # bloc keeps its competences); one sent empty is emptied.
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if self.add_prefix(name) in self.data
            or not isinstance(self.fields[name], forms.CharField)
            or self.fields[name].required
        }

    def messages_ids(self) -> list[str]:
        return [f"{self.prefix}-{name}-msgs" for name in self.fields]

    @classmethod
    def initial_for(cls, doc: dict, code: str) -> dict | None:
        item = next((it.data for it in coded_items(doc) if it.code == code), None)
        if item is None:
            return None
        return _flat(item)


def _flat(item: dict) -> dict:
    return {
        k: "\n".join(str(x) for x in v) if isinstance(v, list) else v
        for k, v in item.items()
        if not isinstance(v, dict)
    }


class HeaderForm(PartForm):
    part, title_, submit = "header", "En-tête", "Enregistrer l'en-tête"
    title = forms.CharField(label="Intitulé", max_length=300)
    kind = forms.ChoiceField(label="Type de diplôme", choices=KINDS, required=False)
    completeness = forms.ChoiceField(
        label="Complétude", choices=[("partial", "partiel"), ("complete", "complet")]
    )
    missing = forms.CharField(
        label="Ce qui manque (une ligne par manque)", required=False, widget=_text(4)
    )

    @classmethod
    def initial_for(cls, doc, code=None):
        return {
            "title": doc.get("title", ""),
            "kind": doc.get("kind", ""),
            "completeness": doc.get("completeness", "partial"),
            "missing": "\n".join(doc.get("missing") or []),
        }


class CandidateStatusForm(PartForm):
    part, title_, submit = "candidate_status", "Statuts de candidat", "Enregistrer le statut"
    code = forms.CharField(label="Code du statut", max_length=40, help_text="ex. approved")
    title = forms.CharField(label="Intitulé (colonne du règlement d'examen)", max_length=300)
    short_title = forms.CharField(label="Intitulé court", max_length=100, required=False)

    @classmethod
    def initial_for(cls, doc, code):
        found = next(
            (s for s in doc.get("candidate_statuses") or [] if s.get("code") == code), None
        )
        return _flat(found) if found else None


class PoleForm(PartForm):
    part, title_, submit = "pole", "Pôles", "Enregistrer le pôle"
    code = forms.CharField(label="Code du pôle", max_length=40)
    title = forms.CharField(label="Intitulé du pôle", max_length=300)


class ActivityForm(PartForm):
    part, title_, submit = "activity", "Activités", "Enregistrer l'activité"
    pole = forms.CharField(label="Pôle (code)", max_length=40)
    code = forms.CharField(label="Code de l'activité", max_length=40)
    title = forms.CharField(label="Intitulé de l'activité", max_length=300)

    @classmethod
    def initial_for(cls, doc, code):
        for pole in doc.get("poles") or []:
            for act in pole.get("activities") or []:
                if act.get("code") == code:
                    return {"pole": pole.get("code"), "code": code, "title": act.get("title")}
        return None


def _activity_of(doc: dict, code: str, key: str) -> str:
    for pole in doc.get("poles") or []:
        for act in pole.get("activities") or []:
            if any(x.get("code") == code for x in act.get(key) or []):
                return act.get("code", "")
    return ""


class CompetenceForm(PartForm):
    part, title_, submit = "competence", "Compétences", "Enregistrer la compétence"
    code = forms.CharField(label="Code de la compétence", max_length=40)
    title = forms.CharField(label="Intitulé de la compétence", max_length=500)
    activity = forms.CharField(label="Activité (code, facultatif)", max_length=40, required=False)
    bloc = forms.CharField(label="Bloc (code, facultatif)", max_length=40, required=False)

    @classmethod
    def initial_for(cls, doc, code):
        found = super().initial_for(doc, code)
        if found is not None:
            found["activity"] = _activity_of(doc, code, "competences")
        return found


class KnowledgeForm(PartForm):
    part, title_, submit = "knowledge", "Savoirs associés", "Enregistrer le savoir"
    activity = forms.CharField(label="Activité (code)", max_length=40)
    code = forms.CharField(label="Code du savoir", max_length=40)
    title = forms.CharField(label="Intitulé du savoir", max_length=500)
    limits = forms.CharField(label="Limites de connaissances", required=False, widget=_text(2))

    @classmethod
    def initial_for(cls, doc, code):
        found = super().initial_for(doc, code)
        if found is not None:
            found["activity"] = _activity_of(doc, code, "knowledge")
        return found


class BlocForm(PartForm):
    part, title_, submit = "bloc", "Blocs de compétences", "Enregistrer le bloc"
    code = forms.CharField(label="Code du bloc", max_length=40)
    title = forms.CharField(label="Intitulé", max_length=300)
    unit = forms.CharField(label="Unité qui le certifie", max_length=20, required=False)
    optional = forms.BooleanField(label="Bloc facultatif", required=False)
    activities = forms.CharField(
        label="Activités (codes, toutes leurs compétences)",
        required=False,
        widget=_text(2),
        help_text="Laissé vide, le bloc garde les siennes ; « - » pour n'en garder aucune.",
    )
    competences = forms.CharField(
        label="Compétences (codes, un par ligne)",
        required=False,
        widget=_text(3),
        help_text="Laissé vide, le bloc garde les siennes ; « - » pour n'en garder aucune.",
    )


class UnitForm(PartForm):
    part, title_, submit = "unit", "Unités", "Enregistrer l'unité"
    code = forms.CharField(label="Code de l'unité", max_length=20)
    title = forms.CharField(label="Intitulé", max_length=300)
    domain = forms.ChoiceField(
        label="Domaine",
        required=False,
        choices=[("", "—"), ("general", "général"), ("professional", "professionnel")],
    )
    optional = forms.BooleanField(label="Unité facultative", required=False)
    practice = forms.BooleanField(label="Pratique professionnelle (Bac pro)", required=False)
    exam_code = forms.CharField(label="Code de l'épreuve", max_length=20, required=False)
    coefficient = forms.CharField(label="Coefficient", max_length=10, required=False)

    @classmethod
    def initial_for(cls, doc, code):
        found = next((u for u in doc.get("units") or [] if u.get("code") == code), None)
        if found is None:
            return None
        out = _flat(found)
        for e in doc.get("exams") or []:
            for x in [e, *(e.get("parts") or [])]:
                if x.get("unit") == code:
                    out["exam_code"] = x.get("code", "")
                    coef = x.get("coefficient")
                    out["coefficient"] = "" if coef is None else str(coef).replace(".", ",")
        return out


class ExamForm(PartForm):
    """An épreuve, and its form for each candidate status the file declares."""

    part, title_, submit = "exam", "Épreuves", "Enregistrer l'épreuve"
    code = forms.CharField(label="Code de l'épreuve", max_length=20)
    title = forms.CharField(label="Intitulé", max_length=300)
    unit = forms.CharField(label="Unité évaluée (code)", max_length=20, required=False)
    parent = forms.CharField(
        label="Sous-épreuve de (code, facultatif)", max_length=20, required=False
    )
    coefficient = forms.CharField(label="Coefficient", max_length=10, required=False)
    optional = forms.BooleanField(label="Épreuve facultative", required=False)
    competences = forms.CharField(
        label="Compétences évaluées (codes)", required=False, widget=_text(2)
    )

    def more_fields(self) -> None:
        self.statuses = [
            (s.get("code"), s.get("short_title") or s.get("title") or s.get("code"))
            for s in self.doc.get("candidate_statuses") or []
            if isinstance(s, dict) and s.get("code")
        ]
        choices = [("", "—"), *((f, FORM_LABELS[f]) for f in FORMS)]
        for code, label in self.statuses:
            self.fields[f"form_{code}"] = forms.ChoiceField(
                label=f"Forme — {label}", choices=choices, required=False
            )
            self.fields[f"label_{code}"] = forms.CharField(
                label=f"Libellé — {label}", max_length=200, required=False
            )
            self.fields[f"duration_minutes_{code}"] = forms.CharField(
                label=f"Durée en minutes — {label}", max_length=6, required=False
            )
            self.fields[f"situations_{code}"] = forms.CharField(
                label=f"Situations (CCF) — {label}", max_length=3, required=False
            )

    def edit_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in self.base_fields}
        data["forms"] = {
            code: {
                key: self.cleaned_data.get(f"{key}_{code}", "")
                for key in ("form", "label", "duration_minutes", "situations")
            }
            for code, _ in self.statuses
        }
        return data

    @classmethod
    def initial_for(cls, doc, code):
        for e in doc.get("exams") or []:
            for x, parent in [(e, ""), *((p, e.get("code")) for p in e.get("parts") or [])]:
                if x.get("code") == code:
                    out = _flat(x)
                    out["parent"] = parent or ""
                    if x.get("coefficient") is not None:
                        out["coefficient"] = str(x["coefficient"]).replace(".", ",")
                    for status, f in (x.get("forms") or {}).items():
                        for key in ("form", "label", "duration_minutes", "situations"):
                            if f.get(key) is not None:
                                out[f"{key}_{status}"] = f[key]
                    return out
        return None


class PassRuleForm(PartForm):
    part, title_, submit = "pass_rule", "Règle d'admission", "Enregistrer la règle"
    family = forms.ChoiceField(
        label="Famille de règles",
        required=False,
        choices=[("", "— (celle du type de diplôme)"), *((f, FAMILY_LABELS[f]) for f in FAMILIES)],
    )
    min_average = forms.CharField(label="Moyenne exigée", max_length=6, required=False)
    control_exams = forms.BooleanField(label="Épreuves de contrôle", required=False)
    note = forms.CharField(label="Note (texte de la source)", required=False, widget=_text(2))
    ccps = forms.CharField(
        label="CCP (titre professionnel : codes de blocs)", required=False, widget=_text(2)
    )

    @classmethod
    def initial_for(cls, doc, code=None):
        rule, cert = doc.get("pass_rule") or {}, doc.get("certification") or {}
        avg = rule.get("min_average")
        return {
            "family": cert.get("family", ""),
            "min_average": "" if avg is None else str(avg).replace(".", ","),
            "control_exams": bool(rule.get("control_exams")),
            "note": rule.get("note", ""),
            "ccps": "\n".join(cert.get("ccps") or []),
        }


class PeriodRuleForm(PartForm):
    part, title_, submit = (
        "period_rule",
        "Règles des périodes en entreprise",
        "Enregistrer la règle",
    )
    code_key = "id"
    placement_kind = forms.ChoiceField(
        label="Périodes",
        required=False,
        choices=[("", "—"), ("stage", "stages"), ("pfmp", "PFMP")],
    )
    id = forms.CharField(
        label="Identifiant de la règle", max_length=60, help_text="ex. total-weeks"
    )
    title = forms.CharField(label="Intitulé (phrase de la source)", max_length=500)
    statuses = forms.MultipleChoiceField(
        label="Candidats concernés",
        choices=[(s, STATUS_LABELS[s]) for s in PERIOD_STATUSES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    min_total_weeks = forms.CharField(
        label="Semaines exigées au total", max_length=6, required=False
    )
    derogation_floor_weeks = forms.CharField(
        label="Plancher de dérogation (semaines)", max_length=6, required=False
    )
    min_consecutive_weeks = forms.CharField(
        label="Semaines consécutives au moins", max_length=6, required=False
    )
    consecutive_scope = forms.ChoiceField(label="Consécutives sur", choices=SCOPES, required=False)
    same_company = forms.BooleanField(label="Dans la même entreprise", required=False)
    contract_replaces_periods = forms.BooleanField(
        label="Le contrat tient lieu de périodes", required=False
    )
    summer_rest_weeks = forms.CharField(
        label="Repos d'été (semaines consécutives)", max_length=6, required=False
    )
    summer_window = forms.CharField(
        label="Fenêtre d'été (MM-JJ, MM-JJ)", max_length=20, required=False
    )

    @classmethod
    def initial_for(cls, doc, code):
        place = doc.get("work_placement") or {}
        rule = next((r for r in place.get("rules") or [] if r.get("id") == code), None)
        if rule is None:
            return None
        out = _flat(rule)
        out["statuses"] = list(rule.get("statuses") or [])
        out["summer_window"] = ", ".join(rule.get("summer_window") or [])
        out["placement_kind"] = place.get("kind", "")
        return out


class HourLineForm(PartForm):
    part, title_, submit = "hour_line", "Grille horaire", "Enregistrer la ligne"
    code_key = "subject"
    section = forms.ChoiceField(
        label="Partie de la grille",
        choices=[
            ("lines", "enseignement"),
            ("extra", "hors total"),
            ("optional", "enseignement facultatif"),
            ("total", "total déclaré"),
        ],
    )
    subject = forms.CharField(label="Matière", max_length=300, required=False)
    years = forms.CharField(
        label="Heures, une ligne par année : hebdomadaire ; division ; ½ division ; annuel",
        widget=_text(3),
        help_text="ex. 2 ; 1 ; 1 ; 72 (une case vide si la source ne la donne pas)",
    )
    note = forms.CharField(label="Note", max_length=500, required=False)

    @classmethod
    def initial_for(cls, doc, code):
        grid = doc.get("hour_grid") or {}
        for section in GRID_SECTIONS[:3]:
            for line in grid.get(section) or []:
                if line.get("subject") == code:
                    return {
                        "section": section,
                        "subject": code,
                        "note": line.get("note", ""),
                        "years": years_text(line.get("years") or []),
                    }
        return None


def years_text(years: list[dict]) -> str:
    return "\n".join(
        " ; ".join("" if y.get(k) is None else str(y[k]) for k in HOUR_KEYS) for y in years
    )


class RemoveForm(PartForm):
    part, title_, submit = "remove", "Retirer un élément", "Retirer"
    code = forms.CharField(
        label="Code de l'élément à retirer (pôle, activité, compétence, savoir, bloc, unité, épreuve)",
        max_length=40,
    )


FORMS_BY_PART = {
    f.part: f
    for f in (
        HeaderForm,
        CandidateStatusForm,
        PoleForm,
        ActivityForm,
        CompetenceForm,
        KnowledgeForm,
        BlocForm,
        UnitForm,
        ExamForm,
        PassRuleForm,
        PeriodRuleForm,
        HourLineForm,
        RemoveForm,
    )
}
