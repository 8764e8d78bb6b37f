"""What the scheduler did, for the pages that show its work: « alertes calculées le … ».

A template tag, so that the homes (an app's pages) show the scheduler's record without their
views importing the orchestration package above them."""

from django import template
from django.utils import timezone
from django.utils.html import format_html

from livret.ops.models import ScheduledRun

register = template.Library()


@register.simple_tag
def alerts_computed():
    """When the daily computation of every learner's alerts last finished (one query)."""
    run = (
        ScheduledRun.objects.filter(task="alerts", ok=True, finished_at__isnull=False)
        .order_by("-started_at")
        .only("finished_at")
        .first()
    )
    if run is None:
        return (
            "Les alertes n'ont pas encore été calculées : le planificateur (livret scheduler) "
            "le fait chaque jour."
        )
    at = timezone.localtime(run.finished_at)
    return format_html(
        "Alertes calculées le {} à {} (chaque jour) ; celles d'un apprenant aussi dès que ses "
        "périodes, contrats, visites ou sa fiche changent.",
        at.strftime("%d/%m/%Y"),
        at.strftime("%H:%M"),
    )
