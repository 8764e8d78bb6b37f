"""Le fil du livret: read a learner's thread, write in it. Rights: livret.threads.scopes (who
reads, else 404) and livret.access (who writes, else 403)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from livret import access
from livret.engine import wording
from livret.privacy.services import log_access
from livret.web.params import id_param

from . import queries, scopes, services
from .forms import MessageForm


def _form(learner, data=None, initial=None) -> MessageForm:
    competences, situations, periods = queries.subjects(learner)
    return MessageForm(
        data,
        initial=initial,
        competences=competences,
        situations=situations,
        periods=periods,
        period=wording.word(learner.status, "period"),  # a pupil's is a PFMP
    )


def _trainers(learner) -> list:
    trainers = queries.trainers_by_cohort([learner.cohort_id]).get(learner.cohort_id, [])
    # The rules read a learner's trainers once: these are they.
    learner._trainer_ids = {t.pk for t in trainers}
    return trainers


def _render(request, learner, trainers, form=None, before=None, status=200):
    """The thread; its form only for those who write in it (the manager reads)."""
    user = request.user
    mark = queries.read_up_to(learner, user)
    shown, has_older = queries.page(learner, before)
    if before is None and shown and status == 200:
        services.mark_read(learner, user, shown[-1].pk, seen=mark)
    first_unread = next((m.pk for m in shown if m.pk > mark and m.author_id != user.pk), None)
    return render(
        request,
        "threads/thread.html",
        {
            "learner": learner,
            "trainers": trainers,
            "thread": shown,
            "has_older": has_older,
            "older": shown[0].pk if shown else None,
            "before": before,
            "first_unread": first_unread,
            "can_write": form is not None,
            "form": form,
        },
        status=status,
    )


@require_GET
def thread(request, pk):
    learner = scopes.get_thread_for_user(request.user, pk)
    before = id_param(request.GET, "avant", required=False)
    log_access(request, learner, "fil du livret")
    trainers = _trainers(learner)
    form = None
    if access.can(request.user, "livret.write_thread", learner):
        about = request.GET.get("sujet", "")
        form = _form(learner, initial={"about": about} if about else None)
    return _render(request, learner, trainers, form, before)


@require_POST
def thread_post(request, pk):
    learner = scopes.get_thread_for_user(request.user, pk)
    trainers = _trainers(learner)
    access.require(request.user, "livret.write_thread", learner)
    form = _form(learner, request.POST)
    if form.is_valid():
        try:
            message = services.post_message(
                learner, request.user, form.cleaned_data["text"], form.cleaned_data["about"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Message envoyé.")
            return redirect(reverse("thread", args=[learner.pk]) + f"#m{message.pk}")
    return _render(request, learner, trainers, form, status=400)
