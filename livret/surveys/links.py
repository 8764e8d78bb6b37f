"""A funder's contact answers a questionnaire without an account, through the link e-mailed to
him (livret.surveys.services.send_links).

The token never reaches the server in a URL: the e-mail's link carries it after the `#`, which a
browser does not send; the page's script puts it in the form and posts it (without a script, the
person types the code the e-mail also gives). So no access log, no referrer, no error report holds
it. Once the token checks out, the visitor's session keeps the link's id — never the token — until
he has answered; the answer deletes the invitation's links (a link works once), the closing all
of the questionnaire's (they expire then)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from livret.engine import surveys as engine
from livret.web.forms import EmailedCodeForm

from . import services

SESSION_KEY = "survey_link"
REFUSED = (
    "Ce lien ne mène à aucun questionnaire ouvert : il a déjà servi, le questionnaire est clos, "
    "ou le code est mal recopié."
)


class LinkForm(EmailedCodeForm):
    def clean_code(self):
        link = services.invitation_for_token(self.cleaned_data["code"])
        if link is None:
            raise forms.ValidationError(REFUSED)
        self.link = link
        return ""  # the token goes no further than this check


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def survey_link(request):
    """The page the e-mailed link opens: the code (from the link, or typed) is checked here."""
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session.cycle_key()
        request.session[SESSION_KEY] = form.link.pk
        return redirect("survey_link_answer")
    return render(
        request,
        "surveys/link.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def survey_link_answer(request):
    """The questionnaire, for the contact whose link was checked (his session keeps its id)."""
    link = services.link_by_id(request.session.get(SESSION_KEY))
    if link is None:
        request.session.pop(SESSION_KEY, None)
        messages.error(request, REFUSED)
        return redirect("survey_link")
    invitation = link.invitation
    survey = invitation.survey
    questions = survey.parsed
    typed, errors = {}, {}
    if request.method == "POST":
        typed = {i: request.POST.get(f"q{i}", "") for i in range(len(questions))}
        try:
            services.answer(invitation, typed)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                request.session.pop(SESSION_KEY, None)
                messages.error(request, exc.messages[0])
                return redirect("survey_link")
            errors = {k: v[0] for k, v in exc.message_dict.items()}
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(request, "Merci : vos réponses sont enregistrées, sans votre nom.")
            return redirect("survey_link")
    items = services.answer_items(questions, typed, errors)
    return render(
        request,
        "surveys/link_answer.html",
        {
            "survey": survey,
            "cohort": invitation.cohort,
            "centre_name": survey.centre.name,
            "items": items,
            "errors": errors,
            "scale": engine.SCALE_LABELS,
            "yes_no": engine.YES_NO_LABELS,
            "minimum": engine.MIN_RESPONDENTS,
        },
        status=400 if errors else 200,
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def survey_optout(request):
    """A funder's contact stops the questionnaires from the link of any of his e-mails (its code
    after the « # », posted by the page's script, as the answer links)."""
    form = EmailedCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = services.opt_out(form.cleaned_data["code"])
        if contact is not None:
            return render(
                request, "surveys/optout_done.html", {"centre_name": contact.funder.centre.name}
            )
        form.add_error(
            "code", "Ce code n'est pas reconnu : recopiez-le tel qu'il figure dans le courriel."
        )
    return render(
        request, "surveys/optout.html", {"form": form}, status=400 if form.errors else 200
    )
