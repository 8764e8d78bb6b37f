"""VAE pages: the candidate's side (sign-up, profile, dossier) and the certifier's (decisions)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from livret import access
from livret.engine import vae_flow
from livret.referentiels.models import Activity, Bloc, Competence
from livret.web import throttle
from livret.web.actions import Action, perform
from livret.web.forms import DATE, EmailedCodeForm, style
from livret.web.params import id_param, ids_param
from livret.web.pdf import pdf_response

from . import clocks, feasibility, scopes, services
from .models import (
    AdmissibilityDecision,
    Candidacy,
    Experience,
    FeasibilityOpinion,
    JuryResult,
    PriorLearning,
    VaeOffer,
    VaeProfile,
)


class SignUpForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=100)
    email = forms.EmailField(label="Adresse électronique")
    password = forms.CharField(
        label="Mot de passe (12 caractères au moins)", widget=forms.PasswordInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class ProfileForm(forms.ModelForm):
    class Meta:
        model = VaeProfile
        fields = ["phone", "city", "birth_date", "current_job"]
        widgets = {"birth_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def clean_birth_date(self):
        born = self.cleaned_data.get("birth_date")
        if born and born >= timezone.localdate():
            raise ValidationError("Une date de naissance est passée.")
        return born


class ExperienceForm(forms.ModelForm):
    class Meta:
        model = Experience
        fields = [
            "kind",
            "employer",
            "job_title",
            "start",
            "end",
            "time",
            "part_time_percent",
            "description",
            "activities",
            "competences",
        ]
        widgets = {
            "start": DATE,
            "end": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "activities": forms.CheckboxSelectMultiple,
            "competences": forms.CheckboxSelectMultiple,
        }
        # A volunteer's association or a mandate's council is no employer.
        labels = {"employer": "Employeur ou structure", "description": "Activités exercées"}

    def __init__(self, *args, referentiel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = Activity.objects.filter(
            referentiel=referentiel
        ).order_by("position")
        self.fields["competences"].queryset = Competence.objects.filter(
            referentiel=referentiel
        ).order_by("position")
        self.fields["kind"].help_text = (
            "Toute expérience en rapport direct avec le diplôme compte "
            "(Code du travail, art. L. 6411-1)."
        )
        style(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "La fin précède le début.")
        if start and start > timezone.localdate():
            self.add_error("start", "Une expérience ne commence pas dans le futur.")
        if end and end > timezone.localdate():
            self.add_error(
                "end", "Une fin ne peut pas être dans le futur : laissez vide si elle est en cours."
            )
        percent = data.get("part_time_percent") or 100
        if not 1 <= percent <= 100:
            self.add_error("part_time_percent", "Quotité entre 1 et 100 %.")
        return data


class _FileForm(forms.Form):
    """A form of the 2025 feasibility file: it renders and keeps what was typed; what is wrong
    is the service's to say (feasibility.py), beside the field it names. Every field is an
    optional text so the form adds no message of its own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id=self.AUTO_ID, **kwargs)
        style(self)


class PriorForm(_FileForm):
    AUTO_ID = "prior_%s"  # "prior-title" is the section's heading
    kind = forms.CharField(
        label="Nature", required=False, widget=forms.Select(choices=PriorLearning.KINDS)
    )
    title = forms.CharField(
        label="Intitulé", required=False, widget=forms.TextInput(attrs={"maxlength": 200})
    )
    organisation = forms.CharField(
        label="Organisme ou certificateur",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 200}),
    )
    year = forms.CharField(
        label="Année",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}),
    )


class PrerequisitesForm(_FileForm):
    AUTO_ID = "prereq_%s"
    prerequisites = forms.CharField(
        label="Comment je remplis ces prérequis",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 4000}),
    )


class OpinionForm(_FileForm):
    AUTO_ID = "opinion_%s"
    opinion = forms.CharField(
        label="Mon avis sur la faisabilité",
        required=False,
        initial=FeasibilityOpinion.CHOICES[0][0],
        widget=forms.RadioSelect(choices=FeasibilityOpinion.CHOICES),
    )
    reasons = forms.CharField(
        label="Motifs de l'avis",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 4000}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opinion"].widget.attrs["class"] = "form-check-input"  # not form-control


def _candidacy(request, pk) -> Candidacy:
    return scopes.get_candidacy_for_user(request.user, pk)


def _own(request, candidacy):
    access.require(request.user, "livret.edit_candidacy", candidacy)


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_up(request):
    # Each sign-up may send a mail: a few per hour from one address (livret.web.throttle).
    if request.method == "POST" and not throttle.allowed(request, "vae_signup"):
        return throttle.refused(request, "vae_signup")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user = services.sign_up(
                d["email"],
                d["first_name"],
                d["last_name"],
                d["password"],
            )
            return render(
                request, "vae/signup_sent.html", {"email": d["email"], "resent": user.resent}
            )
        except ValidationError as exc:
            form.add_error("email", exc.messages[0])
    return render(request, "vae/signup.html", {"form": form}, status=400 if form.errors else 200)


RESEND_KEY = "vae_resend"  # the session keeps the account of an expired link, never the code


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request):
    """The page the e-mailed link opens: its script posts the code from after the « # »."""
    form = EmailedCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm(form.cleaned_data["code"])
        except ValidationError as exc:
            expired = exc.code == "expired"
            if expired:
                request.session[RESEND_KEY] = exc.params["u"]
            return render(
                request,
                "vae/confirm_failed.html",
                {"message": exc.messages[0], "expired": expired},
                status=400,
            )
        messages.success(
            request, "Adresse confirmée : connectez-vous pour commencer votre candidature."
        )
        return redirect("login")
    return render(request, "vae/confirm.html", {"form": form}, status=400 if form.errors else 200)


@login_not_required
@require_POST
def confirm_resend(request):
    """An expired link is no dead end: a fresh one, to the same address, for the same account."""
    if not throttle.allowed(request, "vae_confirm_resend"):
        return throttle.refused(request, "vae_confirm_resend")
    try:
        user = services.resend_link(request.session.pop(RESEND_KEY, None))
    except ValidationError as exc:
        return render(request, "vae/confirm_failed.html", {"message": exc.messages[0]}, status=400)
    return render(request, "vae/signup_sent.html", {"email": user.email, "resent": True})


def home(request):
    if access.is_certifier(request.user):
        return redirect("vae_certifier")
    if access.is_vae_guide(request.user):
        candidacies = list(
            clocks.with_clock_dates(
                scopes.visible_candidacies(request.user).select_related(
                    "candidate", "offer__referentiel"
                )
            )
        )
        return render(
            request,
            "vae/guide_home.html",
            {
                "candidacies": candidacies,
                # Each file's next deadline (vae/clocks.py), for the accompagnateur's list.
                "next": clocks.next_of(candidacies, timezone.localdate()),
            },
        )
    profile = VaeProfile.objects.filter(user=request.user).first() or VaeProfile(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.save_profile(form)
        messages.success(request, "Profil enregistré.")
        return redirect("vae_home")
    return render(
        request,
        "vae/home.html",
        {
            "form": form,
            "candidacies": scopes.visible_candidacies(request.user)
            .filter(candidate=request.user)
            .select_related("offer__referentiel"),
            "offers": VaeOffer.objects.select_related("referentiel", "certifier"),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def start(request):
    offer = get_object_or_404(VaeOffer, pk=id_param(request.POST, "offer"))
    candidacy = services.start_candidacy(request.user, offer)
    return redirect("vae_dossier", candidacy.pk)


def dossier(request, pk, posted=None, refused=None):
    """The file's page; `posted`: a refused form's values, shown again as typed (status 400);
    `refused`: a refused 2025-file form by its name, its errors beside its fields (400)."""
    candidacy = _candidacy(request, pk)
    file_forms = {
        "prior_form": PriorForm(),
        "prereq_form": PrerequisitesForm(initial={"prerequisites": candidacy.prerequisites}),
        "opinion_form": OpinionForm(),
        **(refused or {}),
    }
    is_owner = candidacy.candidate_id == request.user.pk
    words = services.journey_words(candidacy.offer.referentiel)
    narratives = {n.bloc_id: n for n in candidacy.narratives.all()}
    blocs = list(
        Bloc.objects.filter(referentiel=candidacy.offer.referentiel, optional=False).order_by(
            "position"
        )
    )
    drafts = {
        b.pk: (
            posted[f"text_{b.pk}"]
            if posted is not None and f"text_{b.pk}" in posted
            else getattr(narratives.get(b.pk), "text", "")
        )
        for b in blocs
    }
    return render(
        request,
        "vae/dossier.html",
        {
            "posted": posted or {},
            "drafts": drafts,
            "empty_blocs": services.empty_blocs(candidacy)
            if candidacy.status == Candidacy.ADMISSIBLE
            else [],
            "c": candidacy,
            "summary": services.summary(candidacy),
            "experiences": candidacy.experiences.prefetch_related("competences", "activities"),
            "decisions": candidacy.admissibility_decisions.all(),
            "comments": candidacy.comments.select_related("author"),
            "events": candidacy.events.select_related("actor"),
            "words": words,
            "progress": vae_flow.PROGRESS[candidacy.status],
            "steps": vae_flow.STEPS,
            "next_step": vae_flow.next_step(
                candidacy.status,
                candidacy.experiences.exists(),
                words["validation_title"],
                words["unit"],
            ),
            "guides": scopes.vae_guides() if is_owner else [],
            "can_comment": access.can(request.user, "livret.comment_candidacy", candidacy),
            "narratives": narratives,
            "blocs": blocs,
            "is_owner": is_owner,
            "can_decide": access.can(request.user, "livret.decide_candidacy", candidacy),
            "decision_choices": AdmissibilityDecision.CHOICES,
            "jury_choices": JuryResult.CHOICES,
            "today": timezone.localdate(),
            "clocks": clocks.view_of(candidacy, timezone.localdate()),
            "prior_learning": candidacy.prior_learning.all(),
            "opinions": candidacy.opinions.select_related("author"),
            "may_opine": vae_flow.may(candidacy.status, "opinion"),
            **file_forms,
        },
        status=400 if posted is not None or refused else 200,
    )


@require_http_methods(["GET", "POST"])
def experience(request, pk, eid=None):
    candidacy = _candidacy(request, pk)
    _own(request, candidacy)
    instance = get_object_or_404(candidacy.experiences, pk=eid) if eid else None
    if not candidacy.editable:
        messages.error(request, "Le dossier n'est plus modifiable.")
        return redirect("vae_dossier", candidacy.pk)
    form = ExperienceForm(
        request.POST or None, instance=instance, referentiel=candidacy.offer.referentiel
    )
    if request.method == "POST" and form.is_valid():
        services.save_experience(form, candidacy)
        messages.success(request, "Expérience enregistrée (brouillon).")
        return redirect("vae_dossier", candidacy.pk)
    return render(
        request,
        "vae/experience.html",
        {"c": candidacy, "form": form, "tree": _tree(form), "instance": instance},
        status=400 if form.errors else 200,
    )


def _tree(form):
    """The diploma's tree for the picker: activité (with its own checkbox) → its competences."""
    comp_widgets = {str(w.data["value"]): w for w in form["competences"]}
    act_widgets = {str(w.data["value"]): w for w in form["activities"]}
    competences = list(form.fields["competences"].queryset)
    tree = [
        {
            "activity": act,
            "widget": act_widgets.get(str(act.pk)),
            "competences": [
                comp_widgets[str(c.pk)] for c in competences if c.activity_id == act.pk
            ],
        }
        for act in form.fields["activities"].queryset
    ]
    others = [comp_widgets[str(c.pk)] for c in competences if c.activity_id is None]
    return {"activities": tree, "others": others}


def _motivation(request, candidacy):
    services.save_motivation(candidacy, request.POST.get("motivation", ""))
    return "Projet enregistré (brouillon)."


def _guide(request, candidacy):
    services.choose_guide(candidacy, id_param(request.POST, "guide", required=False))
    if candidacy.guide:
        return "Accompagnateur choisi : il voit votre dossier et peut le commenter."
    return "Vous n'avez plus d'accompagnateur."


def _comment(request, candidacy):
    services.comment(candidacy, request.user, request.POST.get("text", ""))
    return "Commentaire envoyé au candidat."


def _target(request, candidacy):
    blocs = request.POST.get("scope") == "blocs"
    ids = ids_param(request.POST, "blocs") if blocs else []
    if blocs and not ids:
        raise ValidationError("Choisissez au moins un bloc, ou visez le diplôme entier.")
    services.set_target(candidacy, ids)
    return "Vous visez le diplôme entier." if not ids else f"Vous visez {len(ids)} bloc(s)."


def _submit(request, candidacy):
    services.submit(candidacy, request.user)
    return "Dossier de faisabilité envoyé au certificateur."


def _actualise(request, candidacy):
    clocks.actualise(candidacy, request.user)
    return "Candidature actualisée : vous poursuivez votre démarche."


def _prior(request, candidacy):
    p = request.POST
    feasibility.add_prior(
        candidacy, p.get("kind", ""), p.get("title", ""), p.get("organisation", ""), p.get("year")
    )
    return "Formation ou certification ajoutée."


def _prior_delete(request, candidacy):
    feasibility.remove_prior(candidacy, id_param(request.POST, "prior"))
    return "Formation ou certification retirée."


def _prerequisites(request, candidacy):
    feasibility.save_prerequisites(candidacy, request.POST.get("prerequisites", ""))
    return "Prérequis enregistrés (brouillon)."


def _opinion(request, candidacy):
    feasibility.give_opinion(
        candidacy, request.user, request.POST.get("opinion", ""), request.POST.get("reasons", "")
    )
    return "Avis de faisabilité enregistré ; le candidat est prévenu."


def _beside(name, form_class, run):
    """A refused 2025-file form: the file's page again (400), each of the service's errors
    beside the field it names, what was typed kept. A refusal of the whole act (the file is
    closed) stays the page's message, as for any action."""

    def wrapped(request, candidacy):
        try:
            return run(request, candidacy)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            form = form_class(request.POST)
            form.is_valid()  # optional texts: always valid, so cleaned_data exists
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return dossier(request, candidacy.pk, refused={name: form})

    return wrapped


def _withdraw(request, candidacy):
    services.withdraw(candidacy)
    return "Candidature abandonnée."


def _texts(request) -> dict:
    """Livret 2 as posted: every bloc's text (text_<bloc id>), whichever button was pressed."""
    texts = {}
    for key in request.POST:
        if key.startswith("text_"):
            texts[id_param({"bloc": key[5:]}, "bloc")] = request.POST.get(key, "")
    return texts


def _narrative(request, candidacy):
    texts = _texts(request)
    if texts:
        services.save_narratives(candidacy, texts)
        return "Dossier de validation enregistré (brouillon) : tous les blocs."
    bloc = get_object_or_404(
        Bloc, pk=id_param(request.POST, "bloc"), referentiel=candidacy.offer.referentiel
    )
    services.save_narrative(candidacy, bloc, request.POST.get("text", ""))
    return f"Bloc {bloc.code} enregistré (brouillon)."


def _send_validation(request, candidacy):
    texts = _texts(request)
    if texts:  # what was typed is kept first, whatever the sending says
        services.save_narratives(candidacy, texts)
    services.submit_validation(candidacy, confirm_empty=bool(request.POST.get("confirm_empty")))
    return "Dossier de validation envoyé : le jury sera convoqué."


def _kept(run):
    """On a refusal, the file's page comes back with what was typed (status 400), not a
    redirect to an emptied form."""

    def wrapped(request, candidacy):
        try:
            return run(request, candidacy)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return dossier(request, candidacy.pk, posted=request.POST)

    return wrapped


def _admissibility(request, candidacy):
    services.decide_admissibility(
        candidacy, request.POST.get("decision", ""), request.POST.get("reasons", ""), request.user
    )
    return "Décision de recevabilité enregistrée ; le candidat est prévenu."


_EDIT, _DECIDE = "livret.edit_candidacy", "livret.decide_candidacy"
# action posted → (who may: a rule on the file, what it does: one service); when each may be
# taken is the journey's to say (engine/vae_flow, asked by the services)
ACTIONS = {
    "motivation": Action(_kept(_motivation), rule=_EDIT),
    "guide": Action(_guide, rule=_EDIT),
    "target": Action(_target, rule=_EDIT),
    "narrative": Action(_kept(_narrative), rule=_EDIT),
    "withdraw": Action(_withdraw, rule=_EDIT),
    "actualise": Action(_actualise, rule="livret.submit_candidacy"),
    "prior": Action(_beside("prior_form", PriorForm, _prior), rule=_EDIT),
    "prior_delete": Action(_prior_delete, rule=_EDIT),
    "prerequisites": Action(_beside("prereq_form", PrerequisitesForm, _prerequisites), rule=_EDIT),
    "opinion": Action(
        _beside("opinion_form", OpinionForm, _opinion), rule="livret.comment_candidacy"
    ),
    "send_validation": Action(_kept(_send_validation), rule=_EDIT),
    "submit": Action(_submit, rule="livret.submit_candidacy"),
    "comment": Action(_kept(_comment), rule="livret.comment_candidacy"),
    "admissibility": Action(_kept(_admissibility), rule=_DECIDE),
    # The jury's decision has its own pages (jury_views: checked, summarised, confirmed).
}


@require_POST
def action(request, pk):
    candidacy = _candidacy(request, pk)
    done = perform(request, ACTIONS, request.POST.get("action"), candidacy)
    return done or redirect("vae_dossier", candidacy.pk)


def certifier(request):
    access.require_role(request.user, access.is_certifier | access.is_admin)
    candidacies = clocks.with_clock_dates(
        scopes.visible_candidacies(request.user).select_related("candidate", "offer__referentiel")
    )
    # Sorted by what falls due first (vae/clocks.py), with the certifier's alert threshold.
    rows = clocks.board(candidacies, access.centre_id_of(request.user), timezone.localdate())
    return render(
        request,
        "vae/certifier.html",
        {
            "candidacies": [r["c"] for r in rows],
            "rows": rows,
            "sources": clocks.SOURCES,
            "can_settle": access.is_certifier(request.user),
        },
    )


_pdf = pdf_response


def dossier_pdf(request, pk):
    candidacy = _candidacy(request, pk)
    return _pdf(
        request,
        "vae/dossier_pdf.html",
        {
            "c": candidacy,
            "summary": services.summary(candidacy),
            "experiences": candidacy.experiences.prefetch_related("competences"),
            "narratives": candidacy.narratives.select_related("bloc"),
            "today": timezone.localdate(),
        },
        f"dossier-vae-{candidacy.pk}.pdf",
    )


def decision_pdf(request, pk):
    candidacy = _candidacy(request, pk)
    result = getattr(candidacy, "jury_result", None)
    if result is None:
        messages.error(request, "Le jury ne s'est pas encore prononcé.")
        return redirect("vae_dossier", candidacy.pk)
    return _pdf(
        request,
        "vae/decision_pdf.html",
        {
            "c": candidacy,
            "result": result,
            "blocs": result.blocs.order_by("position"),
            "today": timezone.localdate(),
            "words": services.journey_words(candidacy.offer.referentiel),
        },
        f"decision-vae-{candidacy.pk}.pdf",
    )
