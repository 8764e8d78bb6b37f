"""Imports for the centre's manager: template, upload, column mapping, preview, confirm."""

from __future__ import annotations

import base64
import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from livret import access
from livret.competences.evidence import type_for_name
from livret.tables import MAX_BYTES, ImportError_

from . import centre as centre_forms
from . import importer, services


def _centre(request):
    access.require_role(request.user, access.is_manager)
    return request.user.profile.organisation


def template(request, kind):
    _centre(request)
    if kind not in importer.KINDS:
        return HttpResponse(status=404)
    response = HttpResponse(
        "\ufeff" + importer.template_csv(kind), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="modele-{kind}.csv"'
    return response


@require_http_methods(["GET", "POST"])
def imports(request):
    centre = _centre(request)
    context = {"kinds": importer.KINDS, "kind": request.POST.get("kind", "apprenants")}
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind not in importer.KINDS:
            messages.error(request, "Type d'import inconnu.")
            return redirect("imports")
        upload = request.FILES.get("file")
        if upload is not None:
            raw, filename = upload.read(MAX_BYTES + 1), upload.name
        else:
            raw, filename = (
                base64.b64decode(request.POST.get("payload", "")),
                request.POST.get("filename", "import.csv"),
            )
        mapping = None
        if request.POST.get("mapping") == "1":
            mapping = {
                f: int(request.POST[f"col-{f}"])
                for f, _, _ in importer.KINDS[kind].columns
                if request.POST.get(f"col-{f}", "") != ""
            }
        if request.POST.get("confirm"):
            try:
                done = importer.apply(centre, kind, raw, filename, mapping)
                c = done.counts()
                messages.success(
                    request,
                    f"Import terminé : {c['nouveau']} nouveau(x), {c['modifié']} modifié(s), {c['inchangé']} inchangé(s).",
                )
                return redirect("imports")
            except ImportError_ as exc:
                messages.error(request, str(exc))
        result = importer.preview(centre, kind, raw, filename, mapping)
        context.update(
            kind=kind,
            preview=result,
            payload=base64.b64encode(raw).decode(),
            filename=filename,
            mapping_json=json.dumps(result.mapping),
            columns=importer.KINDS[kind].columns,
            mapping_rows=result.mapping_rows(importer.KINDS[kind].columns),
        )
    return render(request, "people/imports.html", context)


# --- the centre's own records (managers) -----------------------------------------------------
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
    form = centre_forms.SettingsForm(
        request.POST or None, request.FILES or None, instance=centre, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        services.save_centre_settings(form)
        messages.success(request, "Paramètres du centre enregistrés.")
        return redirect("centre_home")
    counts = {
        slug: access.visible_centre_records(request.user, slug).count()
        for slug in centre_forms.KINDS
    }
    return render(
        request,
        "people/centre_home.html",
        {"centre": centre, "form": form, "kinds": centre_forms.KINDS.values(), "counts": counts},
        status=400 if form.errors else 200,
    )


def centre_records(request, kind):
    records = access.visible_centre_records(request.user, kind)
    k = centre_forms.KINDS[kind]
    text = request.GET.get("q", "")
    qs = centre_forms.search(records.select_related(*k.related), k, text).order_by(*k.order)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [
        (obj, [centre_forms.cell(obj, path) for _, path in k.columns]) for obj in page.object_list
    ]
    return render(
        request,
        "people/centre_records.html",
        {"kind": k, "rows": rows, "page": page, "q": text},
    )


@require_http_methods(["GET", "POST"])
def centre_record(request, kind, pk=None):
    instance = access.get_centre_record_for_user(request.user, kind, pk) if pk else None
    if pk is None:
        access.visible_centre_records(request.user, kind)  # the kind exists, the user manages
    k = centre_forms.KINDS[kind]
    form = k.form(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        centre = access.get_centre_for_user(request.user)
        obj = services.save_centre_record(
            kind, form, centre, request.build_absolute_uri("/").rstrip("/")
        )
        messages.success(request, f"« {obj} » enregistré.")
        return redirect("centre_records", kind)
    return render(
        request,
        "people/centre_record.html",
        {"kind": k, "form": form, "instance": instance},
        status=400 if form.errors else 200,
    )
