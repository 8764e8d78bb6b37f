"""Imports for the centre's manager: template, upload, column mapping, preview, confirm."""

from __future__ import annotations

import base64
import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from livret import access
from livret.tables import MAX_BYTES, ImportError_

from . import importer


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
        )
    return render(request, "people/imports.html", context)
