"""The certifier's jury pages: members and convocation, the decision (form → summary →
recorded), its correction, and the convocation as a PDF."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from livret import access
from livret.engine import vae_jury
from livret.referentiels.models import Bloc
from livret.web.forms import DATE, style
from livret.web.params import id_param
from livret.web.pdf import pdf_response

from . import jury, scopes, services, titre
from .models import JuryResult

_DECIDE = "livret.decide_candidacy"


class MemberForm(forms.Form):
    name = forms.CharField(label="Nom et prénom", max_length=200)
    email = forms.EmailField(label="Adresse électronique (pour la convocation)", required=False)
    quality = forms.ChoiceField(label="Qualité", choices=vae_jury.QUALITIES)
    gender = forms.ChoiceField(label="Genre", choices=vae_jury.GENDERS, required=False)
    qualified = forms.BooleanField(
        label="Qualifié(e) au titre de la certification visée", required=False
    )
    declared_no_link = forms.BooleanField(
        label="A déclaré n'avoir aucun lien professionnel ou personnel avec le candidat, ni "
        "l'avoir accompagné",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="member", **kwargs)
        style(self)


class ConvocationForm(forms.Form):
    date = forms.DateField(label="Date du jury", widget=DATE)
    time = forms.TimeField(label="Heure", widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label="Lieu", max_length=300)
    modalities = forms.CharField(
        label="Modalités (entretien, mise en situation, durée…)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="convocation", **kwargs)
        style(self)


def _candidacy(request, pk):
    candidacy = scopes.get_candidacy_for_user(request.user, pk)
    access.require(request.user, _DECIDE, candidacy)
    return candidacy


def _add_errors(form, exc: ValidationError) -> None:
    """A service's refusals beside the fields they concern (the rest above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_http_methods(["GET", "POST"])
def jury_page(request, pk):
    candidacy = _candidacy(request, pk)
    member_form, convocation_form = MemberForm(), ConvocationForm()
    status = 200
    if request.method == "POST":
        what = request.POST.get("action")
        try:
            if what == "add_member":
                member_form = MemberForm(request.POST)
                if member_form.is_valid():
                    try:
                        jury.add_member(candidacy, member_form.cleaned_data, request.user)
                        messages.success(request, "Membre ajouté au jury.")
                        return redirect("vae_jury", candidacy.pk)
                    except ValidationError as exc:
                        _add_errors(member_form, exc)
                status = 400
            elif what == "titre_register":
                titre.register(candidacy, id_param(request.POST, "session"), request.user)
                messages.success(request, "Candidat inscrit à la session du titre.")
                return redirect("vae_jury", candidacy.pk)
            elif what == "titre_carry":
                codes = titre.carry(candidacy, request.user)
                messages.success(request, f"CCP reportés au dossier VAE : {', '.join(codes)}.")
                return redirect("vae_jury", candidacy.pk)
            elif what == "remove_member":
                jury.remove_member(candidacy, id_param(request.POST, "member"), request.user)
                messages.success(request, "Membre retiré du jury.")
                return redirect("vae_jury", candidacy.pk)
            elif what == "convene":
                convocation_form = ConvocationForm(request.POST)
                if convocation_form.is_valid():
                    d = convocation_form.cleaned_data
                    at = timezone.make_aware(datetime.datetime.combine(d["date"], d["time"]))
                    try:
                        jury.convene(
                            candidacy,
                            at,
                            d["place"],
                            d["modalities"],
                            request.user,
                            request.build_absolute_uri(
                                reverse("vae_convocation_pdf", args=[candidacy.pk])
                            ),
                        )
                        messages.success(
                            request, "Convocation envoyée au candidat et aux membres du jury."
                        )
                        return redirect("vae_jury", candidacy.pk)
                    except ValidationError as exc:
                        if hasattr(exc, "error_dict") and "at" in exc.error_dict:
                            exc.error_dict["date"] = exc.error_dict.pop("at")
                        _add_errors(convocation_form, exc)
                status = 400
            else:
                messages.error(request, "Action inconnue.")
                return redirect("vae_jury", candidacy.pk)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("vae_jury", candidacy.pk)
    return render(
        request,
        "vae/jury.html",
        {
            "c": candidacy,
            "jury": jury.composition(candidacy),
            "member_form": member_form,
            "convocation_form": convocation_form,
            "convocations": candidacy.jury_convocations.select_related("sent_by"),
            "can_compose": candidacy.status in ("feasibility_admissible", "validation_sent"),
            "source": vae_jury.SOURCE,
            "titre": titre.is_titre(candidacy),
            "titre_sessions": titre.sessions_for(candidacy) if titre.is_titre(candidacy) else [],
            "titre_granted": titre.granted(candidacy),
        },
        status=status,
    )


class DecisionForm(forms.Form):
    result = forms.ChoiceField(
        label="Résultat", choices=JuryResult.CHOICES, widget=forms.RadioSelect
    )
    jury_date = forms.DateField(label="Date du jury", widget=DATE)
    blocs = forms.ModelMultipleChoiceField(
        label="Blocs validés (validation partielle)",
        queryset=Bloc.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sat = forms.ModelMultipleChoiceField(
        label="Membres qui ont siégé",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    casting_vote = forms.BooleanField(
        label="Les voix se sont partagées également : la voix du président a départagé",
        required=False,
    )
    comment = forms.CharField(
        label="Observations du jury", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, candidacy, correction=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.blocs = list(
            Bloc.objects.filter(referentiel=candidacy.offer.referentiel, optional=False).order_by(
                "position"
            )
        )
        self.fields["blocs"].queryset = Bloc.objects.filter(pk__in=[b.pk for b in self.blocs])
        self.fields["blocs"].label_from_instance = lambda b: f"{b.code} {b.title}"
        self.fields["sat"].queryset = candidacy.jury_members.all()
        kinds = [("", "— bloc validé, ou pas de préconisation —"), *vae_jury.RECOMMENDATIONS]
        for b in self.blocs:
            self.fields[f"rec_kind_{b.pk}"] = forms.ChoiceField(
                label=f"Préconisation pour {b.code} s'il n'est pas validé",
                choices=kinds,
                required=False,
            )
            self.fields[f"rec_text_{b.pk}"] = forms.CharField(
                label=f"Précisions pour {b.code}", required=False, max_length=2000
            )
        if correction:
            self.fields["reason"] = forms.CharField(
                label="Motif de la correction (obligatoire)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        style(self)

    def recommendation_rows(self):
        return [(b, self[f"rec_kind_{b.pk}"], self[f"rec_text_{b.pk}"]) for b in self.blocs]

    def args(self) -> dict:
        d = self.cleaned_data
        return {
            "result": d.get("result", ""),
            "jury_date": d.get("jury_date"),
            "bloc_ids": [b.pk for b in d.get("blocs") or []],
            "sat_ids": [m.pk for m in d.get("sat") or []],
            "casting_vote": bool(d.get("casting_vote")),
            "recommendations": {
                b.pk: (d.get(f"rec_kind_{b.pk}", ""), d.get(f"rec_text_{b.pk}", ""))
                for b in self.blocs
                if d.get(f"rec_kind_{b.pk}")
            },
        }


def _map_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field in list(exc.error_dict):
            if field.startswith("rec_") and not field.startswith("rec_kind_"):
                exc.error_dict[f"rec_kind_{field[4:]}"] = exc.error_dict.pop(field)
    _add_errors(form, exc)


def _initial(candidacy) -> dict:
    """A correction starts from the decision as recorded; a first decision from today."""
    result = getattr(candidacy, "jury_result", None)
    if result is None:
        return {
            "jury_date": timezone.localdate(),
            "sat": list(candidacy.jury_members.values_list("pk", flat=True)),
        }
    detail = result.details.last()
    initial = {
        "result": result.result,
        "jury_date": result.jury_date,
        "blocs": list(result.blocs.values_list("pk", flat=True)),
        "sat": list(detail.sat.values_list("pk", flat=True)) if detail else [],
        "casting_vote": detail.casting_vote if detail else False,
        "comment": result.comment,
    }
    for r in result.recommendations.all():
        initial[f"rec_kind_{r.bloc_id}"] = r.kind
        initial[f"rec_text_{r.bloc_id}"] = r.text
    return initial


@require_http_methods(["GET", "POST"])
def decision_page(request, pk):
    """Step 1: the form; step 2 (« Vérifier »): the summary of what will be recorded, every
    value kept; step 3 (« Confirmer »): recorded. An error at any step brings the form back
    as typed, with the reasons beside the fields, and nothing is saved."""
    candidacy = _candidacy(request, pk)
    correction = candidacy.status == "jury_done"
    if candidacy.status not in ("validation_sent", "jury_done"):
        messages.error(request, "Le jury se prononce sur un dossier de validation envoyé.")
        return redirect("vae_dossier", candidacy.pk)
    form = DecisionForm(
        request.POST or None,
        candidacy=candidacy,
        correction=correction,
        initial=None if request.method == "POST" else _initial(candidacy),
    )
    context = {
        "c": candidacy,
        "form": form,
        "correction": correction,
        "words": services.journey_words(candidacy.offer.referentiel),
    }
    if request.method == "POST" and form.is_valid():
        args = form.args()
        reason = form.cleaned_data.get("reason", "") if correction else ""
        try:
            if request.POST.get("step") == "edit":
                return render(request, "vae/jury_decision.html", context)
            if request.POST.get("step") == "confirm":
                if correction:
                    jury.correct(
                        candidacy,
                        {**args, "reason": reason},
                        form.cleaned_data["comment"],
                        request.user,
                    )
                    messages.success(request, "Décision corrigée ; l'ancienne reste au dossier.")
                else:
                    services.record_jury(
                        candidacy,
                        args["result"],
                        args["jury_date"],
                        args["bloc_ids"],
                        form.cleaned_data["comment"],
                        request.user,
                        sat=args["sat_ids"],
                        casting_vote=args["casting_vote"],
                        recommendations=args["recommendations"],
                    )
                    messages.success(request, "Décision du jury enregistrée.")
                return redirect("vae_dossier", candidacy.pk)
            checked = jury.check_decision(candidacy, **args, correction=correction, reason=reason)
            return render(
                request,
                "vae/jury_decision_confirm.html",
                {
                    **context,
                    "checked": checked,
                    "comment": form.cleaned_data["comment"],
                    # What was typed, carried as is to the confirmation (or back to the form).
                    "posted": [
                        (name, value)
                        for name in request.POST
                        if name not in ("csrfmiddlewaretoken", "step")
                        for value in request.POST.getlist(name)
                    ],
                },
            )
        except ValidationError as exc:
            _map_errors(form, exc)
    return render(
        request,
        "vae/jury_decision.html",
        context,
        status=400 if form.errors else 200,
    )


def convocation_pdf(request, pk):
    candidacy = scopes.get_candidacy_for_user(request.user, pk)
    convocation = candidacy.jury_convocations.first()
    if convocation is None:
        messages.error(request, "Aucune convocation pour l'instant.")
        return redirect("vae_dossier", candidacy.pk)
    return pdf_response(
        request,
        "vae/convocation_pdf.html",
        {
            "c": candidacy,
            "convocation": convocation,
            "members": candidacy.jury_members.all(),
            "today": timezone.localdate(),
        },
        f"convocation-jury-vae-{candidacy.pk}.pdf",
    )
