from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Candidate, Deliberation, Dispensation, ExamSession


class DispensationInline(admin.TabularInline):
    model = Dispensation
    extra = 0
    readonly_fields = ["unit", "rule", "ground", "created_by", "created_at"]
    can_delete = False


@admin.register(ExamSession)
class ExamSessionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "referentiel", "organiser", "year", "kind", "control_exams"]
    list_filter = ["kind"]


@admin.register(Candidate)
class CandidateAdmin(SimpleHistoryAdmin):
    list_display = ["number", "last_name", "first_name", "session", "status"]
    list_filter = ["session", "status"]
    inlines = [DispensationInline]


@admin.register(Deliberation)
class DeliberationAdmin(admin.ModelAdmin):
    list_display = ["session", "number", "signed_at"]
    readonly_fields = ["snapshot"]

    def has_change_permission(self, request, obj=None):
        return False
