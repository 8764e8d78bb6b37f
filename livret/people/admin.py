"""Django admin (platform superusers only, see livret.web.admin_site): every change kept in history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Cohort, Learner, Organisation, Profile


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "city", "centre"]
    list_filter = ["kind"]
    search_fields = ["name", "city"]


@admin.register(Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "organisation"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name"]


@admin.register(Cohort)
class CohortAdmin(SimpleHistoryAdmin):
    list_display = ["name", "centre", "referentiel", "start_year"]
    filter_horizontal = ["trainers"]


@admin.register(Learner)
class LearnerAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "cohort", "status", "company", "tutor"]
    list_filter = ["status"]
    search_fields = ["last_name", "first_name", "email"]
