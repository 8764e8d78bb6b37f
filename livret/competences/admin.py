from django.contrib import admin

from .models import CompetenceEvaluation, Situation


@admin.register(CompetenceEvaluation)
class CompetenceEvaluationAdmin(admin.ModelAdmin):
    """Read-only: evaluations are facts; a correction is a new evaluation made in the app."""

    list_display = ["learner", "competence", "level", "observed_on", "evaluator", "recorded_at"]
    list_filter = ["level", "context"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Situation)
class SituationAdmin(admin.ModelAdmin):
    list_display = ["learner", "occurred_on", "title", "state"]
    list_filter = ["state"]
