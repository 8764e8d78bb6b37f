"""A user's notifications (livret.notifications): his inbox, and his choice of how each kind
reaches him. Here, above livret.notifications, because a page asks livret.access what is his."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from livret import access
from livret.notifications import services
from livret.notifications.kinds import MODES, kinds_for
from livret.notifications.models import Preference


def inbox(request):
    notifications = access.visible_notifications(request.user)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "q": ""})


@require_POST
def read_all(request):
    access.visible_notifications(request.user).filter(read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("notifications")


def open_one(request, pk):
    """Mark as read, then go where the notification points (a path of this site only)."""
    n = get_object_or_404(access.visible_notifications(request.user), pk=pk)
    if n.read_at is None:
        n.read_at = timezone.now()
        n.save(update_fields=["read_at"])
    if n.url and url_has_allowed_host_and_scheme(n.url, allowed_hosts=None):
        return redirect(n.url)
    return redirect("notifications")


class PreferencesForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = dict(Preference.objects.filter(user=user).values_list("kind", "mode"))
        from livret.web.context import tutor_words_of

        role = access.role_of(user)
        # A tutor of élèves reads « Absence de mon élève »; the others, the neutral words.
        words = tutor_words_of(user) if role == "tutor" else None
        for kind, (label, default) in kinds_for(role, words).items():
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=MODES,
                initial=chosen.get(kind, default),
                widget=forms.Select(attrs={"class": "form-select"}),
            )


@require_http_methods(["GET", "POST"])
def preferences(request):
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.save_preferences(request.user, form.cleaned_data)
        messages.success(request, "Vos préférences de notification sont enregistrées.")
        return redirect("notification_preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
        status=400 if form.errors else 200,
    )
