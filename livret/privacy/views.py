"""Personal-data rights in the app: download everything, anonymise after the retention period."""

import json

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from livret.people.access import visible_learners

from . import services


def export(request, pk):
    learner = get_object_or_404(
        visible_learners(request.user).select_related("user", "centre", "cohort"), pk=pk
    )
    if not rules.has_perm("livret.export_personal_data", request.user, learner):
        raise PermissionDenied
    services.log_access(request, learner, "export des données personnelles")
    body = json.dumps(services.export_learner(learner), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="donnees-personnelles-{learner.pk}.json"'
    )
    return response


@require_POST
def anonymise(request, pk):
    learner = get_object_or_404(
        visible_learners(request.user).select_related("user", "centre", "cohort"), pk=pk
    )
    if not rules.has_perm("livret.anonymise_learner", request.user, learner):
        raise PermissionDenied
    try:
        services.anonymise(learner)
        messages.success(
            request, "Apprenant anonymisé : ses évaluations restent comptées dans les statistiques."
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("livret", learner.pk)
