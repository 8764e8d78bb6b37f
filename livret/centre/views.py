"""« Mon centre »: the manager's pages for his centre's records and settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from livret import access
from livret.jobs import services as jobs
from livret.people import services
from livret.surveys import services as surveys
from livret.uploads import type_for_name

from . import forms, kinds, scopes


def centre_logo(request):
    """The logo of the user's own centre (no other centre's can be asked for)."""
    centre = access.centre_of(request.user)
    if centre is None or not centre.logo:
        raise Http404
    response = FileResponse(centre.logo.open("rb"), content_type=type_for_name(centre.logo.name))
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def centre_home(request):
    """The manager's page for his centre: its records and its personal-data settings."""
    centre = access.get_centre_for_user(request.user)
    form = forms.SettingsForm(
        request.POST or None, request.FILES or None, instance=centre, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        services.save_centre_settings(form)
        messages.success(request, "Paramètres du centre enregistrés.")
        return redirect("centre_home")
    counts = {slug: scopes.visible_records(request.user, slug).count() for slug in kinds.KINDS}
    return render(
        request,
        "people/centre_home.html",
        {"centre": centre, "form": form, "kinds": kinds.KINDS.values(), "counts": counts},
        status=400 if form.errors else 200,
    )


@require_POST
def centre_archive(request):
    """Everything the centre holds, as the restore command reads it: long work, a job."""
    centre = access.get_centre_for_user(request.user)
    job = jobs.start(request.user, centre, "centre_archive", f"Archive des données — {centre.name}")
    return redirect("job", pk=job.pk)


def centre_records(request, kind):
    records = scopes.visible_records(request.user, kind)
    k = kinds.KINDS[kind]
    text = request.GET.get("q", "")
    qs = kinds.search(records.select_related(*k.related).defer(*k.defer), k, text).order_by(
        *k.order
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(obj, [kinds.cell(obj, path) for _, path in k.columns]) for obj in page.object_list]
    return render(
        request,
        "people/centre_records.html",
        {"kind": k, "rows": rows, "page": page, "q": text},
    )


@require_http_methods(["GET", "POST"])
def centre_record(request, kind, pk=None):
    instance = scopes.get_record_for_user(request.user, kind, pk) if pk else None
    if pk is None:
        scopes.visible_records(request.user, kind)  # the kind exists, the user manages
    k = kinds.KINDS[kind]
    form = k.form(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        centre = access.get_centre_for_user(request.user)
        if k.save is not None:
            obj = k.save(form, centre)
        else:
            obj = services.save_centre_record(
                kind, form, centre, request.build_absolute_uri("/").rstrip("/")
            )
        messages.success(request, f"« {obj} » enregistré.")
        if kind == "apprenants" and (warning := services.tutor_warning(obj.tutor)):
            messages.warning(request, warning)
        return redirect("centre_records", kind)
    # A maître d'apprentissage past two apprentices (R6223-6): said on his record.
    warning = services.tutor_warning(instance) if kind == "tuteurs" and instance else ""
    return render(
        request,
        "people/centre_record.html",
        {"kind": k, "form": form, "instance": instance, "warnings": [warning] if warning else []},
        status=400 if form.errors else 200,
    )


@require_POST
def funder_contact_forget(request, pk):
    """A funder's contact the centre no longer works with: name and address forgotten."""
    contact = scopes.get_record_for_user(request.user, "contacts-financeurs", pk)
    surveys.forget_contact(contact)
    messages.success(request, "Contact effacé : son nom et son adresse ne sont plus gardés.")
    return redirect("centre_records", "contacts-financeurs")
