"""Django admin for centre managers: each one sees and edits the people of his own centre only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .access import role_of
from .models import Cohort, Learner, Organisation, Profile


class CentreScopedAdmin(SimpleHistoryAdmin):
    """Superusers see everything; a manager (responsable formation) sees his centre's rows."""

    centre_lookup = "centre"

    def _manager(self, request):
        return role_of(request.user) == Profile.MANAGER and request.user.is_staff

    def has_module_permission(self, request):
        return request.user.is_superuser or self._manager(request)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_add_permission = has_view_permission

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        # Learner data is never deleted from the admin by a manager (anonymisation comes later).
        return request.user.is_superuser

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{self.centre_lookup: request.user.profile.organisation_id})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser and self._manager(request):
            centre = request.user.profile.organisation_id
            if db_field.name == "centre":
                kwargs["queryset"] = Organisation.objects.filter(pk=centre)
            elif db_field.name == "cohort":
                kwargs["queryset"] = Cohort.objects.filter(centre_id=centre)
            elif db_field.name == "company":
                kwargs["queryset"] = Organisation.objects.filter(kind=Organisation.COMPANY)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "city"]
    list_filter = ["kind"]
    search_fields = ["name", "city"]


@admin.register(Profile)
class ProfileAdmin(CentreScopedAdmin):
    centre_lookup = "organisation"
    list_display = ["user", "role", "organisation"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name"]


@admin.register(Cohort)
class CohortAdmin(CentreScopedAdmin):
    list_display = ["name", "centre", "referentiel", "start_year"]
    filter_horizontal = ["trainers"]


@admin.register(Learner)
class LearnerAdmin(CentreScopedAdmin):
    list_display = ["last_name", "first_name", "cohort", "status", "company", "tutor"]
    list_filter = ["cohort", "status"]
    search_fields = ["last_name", "first_name", "email"]
