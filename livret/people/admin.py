"""Django admin (platform superusers only, see livret.web.admin_site): every change kept in history."""

from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext
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


class PasswordStateWidget(auth_forms.ReadOnlyPasswordHashWidget):
    """Whether a password is set, and the link to reset it — never the pieces of its hash
    (algorithm, salt and hash prefixes) that Django's own widget prints."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["summary"] and "value" in context["summary"][0]:
            context["summary"] = [{"label": gettext("Mot de passe défini.")}]
        return context


class UserChangeForm(auth_forms.UserChangeForm):
    password = auth_forms.ReadOnlyPasswordHashField(
        label="Mot de passe", widget=PasswordStateWidget
    )


admin.site.unregister(User)


@admin.register(User)
class PlatformUserAdmin(UserAdmin):
    form = UserChangeForm
