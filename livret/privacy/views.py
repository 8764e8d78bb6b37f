"""Personal-data rights in the app: download everything, anonymise after the retention period."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from livret import access

from . import services


def export(request, pk):
    learner = access.get_learner_for_user(request.user, pk, related=("user", "centre", "cohort"))
    access.require(request.user, "livret.export_personal_data", learner)
    services.log_access(request, learner, "export des données personnelles")
    body = json.dumps(services.export_learner(learner), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="donnees-personnelles-{learner.pk}.json"'
    )
    return response


@require_POST
def anonymise(request, pk):
    learner = access.get_learner_for_user(request.user, pk, related=("user", "centre", "cohort"))
    access.require(request.user, "livret.anonymise_learner", learner)
    try:
        services.anonymise(learner)
        messages.success(
            request, "Apprenant anonymisé : ses évaluations restent comptées dans les statistiques."
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("livret", learner.pk)
