"""Imports for the centre's manager: template, upload, column mapping, preview, confirm."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from livret import access
from livret.jobs import services as jobs
from livret.tables import MAX_BYTES
from livret.uploads import type_for_name

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
    """Upload → preview (a background job) → mapping or confirm (a job) → done.

    The file is kept with the preview job; the mapping form and « Enregistrer » name that job,
    so the file is neither sent back and forth nor read again to be saved."""
    centre = _centre(request)
    source = _preview_job(request)
    kind = request.POST.get("kind") or (source.params["kind"] if source else "apprenants")
    context = {"kinds": importer.KINDS, "kind": kind}
    if request.method == "POST":
        if kind not in importer.KINDS:
            messages.error(request, "Type d'import inconnu.")
            return redirect("imports")
        label = importer.KINDS[kind].label
        if request.POST.get("confirm") and source is not None:
            job = jobs.start(
                request.user,
                centre,
                "import_apply",
                f"Import : {label} — enregistrement",
                {"preview": str(source.pk)},
                follow=reverse("imports"),
            )
            return redirect("job", pk=job.pk)
        upload = request.FILES.get("file")
        if upload is None and source is None:
            messages.error(request, "Choisissez un fichier CSV ou XLSX.")
            return redirect("imports")
        if upload is not None and upload.size > MAX_BYTES:
            messages.error(
                request, f"Fichier trop volumineux (plus de {MAX_BYTES // 1_000_000} Mo)."
            )
            return redirect("imports")
        mapping = None
        if request.POST.get("mapping") == "1":
            mapping = {}
            for f, _, _ in importer.KINDS[kind].columns:
                raw = request.POST.get(f"col-{f}", "")
                if raw.isascii() and raw.isdigit():  # "²".isdigit() too, which int() refuses
                    mapping[f] = int(raw)
        params = {
            "kind": kind,
            "filename": upload.name if upload is not None else source.params["filename"],
            "mapping": mapping,
        }
        job = jobs.start(
            request.user,
            centre,
            "import_preview",
            f"Import : {label} — vérification",
            params,
            upload=upload,
            reuse_upload=source if upload is None else None,
            follow=lambda job: reverse("imports") + f"?tache={job.pk}",
        )
        return redirect("job", pk=job.pk)
    if source is not None and source.status == source.DONE:
        result = importer.stored_preview(source)
        context.update(
            kind=result.kind,
            preview=result,
            source=source,
            applied=source.params.get("applied"),
            columns=importer.KINDS[result.kind].columns,
            mapping_rows=result.mapping_rows(importer.KINDS[result.kind].columns),
            shown=result.rows[:500],
            hidden_errors=[e for r in result.rows[500:] for e in r.errors],
        )
    return render(request, "people/imports.html", context)


def _preview_job(request):
    """The user's own preview job named in the request, if any (another's is a 404)."""
    pk = request.POST.get("tache") or request.GET.get("tache")
    if not pk:
        return None
    try:
        job = access.get_job_for_user(request.user, pk)
    except (ValueError, ValidationError):
        raise Http404 from None
    if job.kind != "import_preview":
        raise Http404
    return job


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


@require_POST
def centre_archive(request):
    """Everything the centre holds, as the restore command reads it: long work, a job."""
    centre = access.get_centre_for_user(request.user)
    job = jobs.start(request.user, centre, "centre_archive", f"Archive des données — {centre.name}")
    return redirect("job", pk=job.pk)


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
