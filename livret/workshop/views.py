"""The référentiel workshop: each view parses, authorises (scopes + one permission), and calls
one service of livret.referentiels.services, livret.referentiels.imports or .services here."""

from __future__ import annotations

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from livret import access
from livret.jobs import services as jobs
from livret.referentiels import imports, rncp
from livret.referentiels import services as ref_services
from livret.referentiels.compare import compare
from livret.referentiels.models import Referentiel
from livret.referentiels.validator import coded_items
from livret.web.forms import style
from livret.web.params import id_param

from . import importjob, moves, scopes, services
from .forms import FORM_LABELS, FORMS_BY_PART, years_text

PERM = "livret.use_workshop"
KIND_LABELS = {
    "pole": "pôle(s)",
    "activity": "activité(s)",
    "task": "tâche(s)",
    "competence": "compétence(s)",
    "knowledge": "savoir(s)",
    "module_group": "groupe(s) de module",
    "bloc": "bloc(s)",
    "unit": "unité(s)",
    "exam": "épreuve(s)",
}


def _allowed(user) -> None:
    if not access.can(user, PERM):
        raise Http404


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class ImportForm(_Form):
    file = forms.FileField(label="Export de France compétences (XML V4.1, zip XML ou zip CSV)")
    fiche = forms.CharField(label="Numéro de fiche", max_length=20, help_text="ex. RNCP38362")


@login_required
def home(request):
    _allowed(request.user)
    versions = scopes.visible_versions(request.user).order_by("diploma__slug", "-version")
    return render(request, "workshop/home.html", {"versions": versions})


@login_required
@require_POST
def copy_version(request, pk):
    _allowed(request.user)
    ref = scopes.get_version_for_user(request.user, pk)
    draft = ref_services.draft_from(ref, owner=scopes.owner_for(request.user), user=request.user)
    messages.success(
        request,
        f"Brouillon {draft.version:%d/%m/%Y} créé à partir de la version {ref.version:%d/%m/%Y}.",
    )
    return redirect("workshop_version", pk=draft.pk)


def _upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "atelier-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _import_job(request, owner):
    """The user's own finished import job named by ?tache= / tache (another's: 404)."""
    pk = request.POST.get("tache") or request.GET.get("tache")
    if not pk:
        return None
    try:
        job = access.get_job_for_user(request.user, pk)
    except (ValueError, ValidationError):
        raise Http404 from None
    owner_id = owner.pk if owner is not None else None
    if job.kind != "workshop_import" or job.params.get("owner") != owner_id:
        raise Http404
    return job


def _from_job(request, job, owner):
    """A big file: the preview its job stored, then the draft written from it on confirmation."""
    if job.status != job.DONE or not job.result:
        return redirect("job", pk=job.pk)
    doc = job.result["doc"]
    if request.method == "POST":
        done = imports.create_from_preview(
            doc, job.params["filename"], owner=owner, user=request.user
        )
        messages.success(
            request,
            "Brouillon créé." if done.created else "Ce brouillon existait déjà : rien n'a changé.",
        )
        return redirect("workshop_version", pk=done.referentiel.pk)
    base = (
        scopes.visible_versions(request.user).filter(pk=job.result["base"]).first()
        if job.result.get("base")
        else None
    )
    preview = {"doc": doc, "base": base, "job": job}
    return render(request, "workshop/import.html", {"form": None, "preview": preview})


@login_required
def import_fiche(request):
    """Upload, preview what will be created, then confirm (the file is kept between the two).
    A big file is read by a background job with its progress bar; its preview comes back here."""
    _allowed(request.user)
    owner = scopes.owner_for(request.user)
    job = _import_job(request, owner)
    if job is not None:
        return _from_job(request, job, owner)
    uploads = request.session.setdefault("workshop_uploads", {})
    if request.method == "POST" and request.POST.get("token"):
        token = request.POST["token"]
        if token not in uploads:
            raise Http404
        path, name, number = uploads[token]
        try:
            with open(path, "rb") as stream:
                done = imports.import_fiche(stream, name, number, owner=owner, user=request.user)
        except (OSError, rncp.RncpError) as exc:
            messages.error(request, str(exc))
            return redirect("workshop_import")
        uploads.pop(token, None)
        request.session.modified = True
        Path(path).unlink(missing_ok=True)
        messages.success(
            request,
            "Brouillon créé." if done.created else "Ce brouillon existait déjà : rien n'a changé.",
        )
        return redirect("workshop_version", pk=done.referentiel.pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if (
        request.method == "POST"
        and form.is_valid()
        and (form.cleaned_data["file"].size > importjob.inline_limit())
    ):
        fiche = form.cleaned_data["fiche"]
        job = jobs.start(
            request.user,
            owner,
            "workshop_import",
            f"Import de la fiche {fiche} (France compétences) — lecture",
            {
                "fiche": fiche,
                "filename": Path(form.cleaned_data["file"].name).name,
                "owner": owner.pk if owner is not None else None,
            },
            upload=form.cleaned_data["file"],
            follow=lambda job: reverse("workshop_import") + f"?tache={job.pk}",
        )
        return redirect("job", pk=job.pk)
    if request.method == "POST" and form.is_valid():
        token = uuid.uuid4().hex
        path = _upload_dir() / token
        with open(path, "wb") as out:
            for chunk in form.cleaned_data["file"].chunks():
                out.write(chunk)
        name = Path(form.cleaned_data["file"].name).name
        try:
            with open(path, "rb") as stream:
                doc, base = imports.preview(stream, name, form.cleaned_data["fiche"], owner)
        except rncp.RncpError as exc:
            path.unlink(missing_ok=True)
            # Beside the number when the fiche is refused, beside the file when it is unreadable.
            fiche = form.cleaned_data["fiche"]
            form.add_error("fiche" if fiche and fiche in str(exc) else "file", str(exc))
        else:
            uploads[token] = (str(path), name, form.cleaned_data["fiche"])
            request.session.modified = True
            preview = {"doc": doc, "base": base, "token": token}
    return render(
        request,
        "workshop/import.html",
        {"form": form, "preview": preview},
        status=400 if form.errors else 200,
    )


def _faults_by_row(doc: dict, faults) -> dict:
    """The validator's messages of each unit (its épreuve's too) and bloc row, shown beside it."""
    rows: dict[str, list[str]] = {}
    unit_of_exam = {}
    for i, exam in enumerate(doc.get("exams") or []):
        unit_of_exam[f"exams[{i}]"] = exam.get("unit")
        for j, part in enumerate(exam.get("parts") or []):
            unit_of_exam[f"exams[{i}].parts[{j}]"] = part.get("unit")
    for fault in faults:
        path = fault.path
        for i, unit in enumerate(doc.get("units") or []):
            if path == f"units[{i}]" or path.startswith(f"units[{i}]."):
                rows.setdefault(f"unit:{unit.get('code')}", []).append(fault.message)
        for prefix, unit in unit_of_exam.items():
            if path == prefix or path.startswith(prefix + "."):
                rows.setdefault(f"unit:{unit}", []).append(fault.message)
        for i, bloc in enumerate(doc.get("blocs") or []):
            if path == f"blocs[{i}]" or path.startswith(f"blocs[{i}]."):
                rows.setdefault(f"bloc:{bloc.get('code')}", []).append(fault.message)
    return rows


def _bound(cls, doc: dict, code: str):
    """The form of one element, filled with what the document holds (None: no such element)."""
    initial = cls.initial_for(doc, code)
    if initial is None:
        return None
    data = {f"{cls.part}-{k}": v for k, v in initial.items() if v is not None}
    return cls(data, doc=doc)


def _with_messages(form, messages_: dict[str, list[str]]):
    """The validator's messages on each field (the template writes them beside it)."""
    for name in form.fields:
        form[name].validator_messages = messages_.get(name, [])
    form.form_messages = messages_.get("", [])
    return form


def _checked(ref, form) -> dict[str, list[str]]:
    if ref.is_draft and form.is_bound and form.is_valid():
        return services.check(ref, form.part, form.edit_data())
    return {}


@login_required
def version(request, pk):
    _allowed(request.user)
    ref = scopes.get_version_for_user(request.user, pk)
    editable = scopes.may_edit(request.user, ref)
    doc = ref.document
    forms_ = {part: cls(doc=doc) for part, cls in FORMS_BY_PART.items()}
    for part in ("header", "pass_rule"):
        forms_[part] = FORMS_BY_PART[part](initial=FORMS_BY_PART[part].initial_for(doc), doc=doc)
    # « Modifier » on a row: its form filled with the element, the validator's messages beside it.
    chosen = request.GET.get("modifier", "")
    part, _, code = chosen.partition(":")
    if editable and part in FORMS_BY_PART and code:
        found = _bound(FORMS_BY_PART[part], doc, code)
        if found is not None:
            forms_[part] = _with_messages(found, _checked(ref, found))
    if request.method == "POST":
        if not editable:
            raise Http404
        part = request.POST.get("part")
        if part not in FORMS_BY_PART:
            raise Http404
        form = FORMS_BY_PART[part](request.POST, doc=doc)
        forms_[part] = form
        if form.is_valid():
            try:
                services.save_part(ref, part, form.edit_data())
            except services.EditError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, "Enregistré.")
                code = form.cleaned_data.get(form.code_key)
                if part not in ("header", "pass_rule", "remove") and code:
                    return redirect(f"{request.path}?modifier={part}:{code}#{part}")
                return redirect(request.path + f"#{part}")
    for form in forms_.values():
        if not hasattr(form, "form_messages"):
            _with_messages(form, {})
    faults = ref_services.validate_document(doc).faults if ref.is_draft else []
    rows = _faults_by_row(doc, faults)
    exams_by_unit = {}
    for e in doc.get("exams") or []:
        for x in [e, *(e.get("parts") or [])]:
            if x.get("unit"):
                exams_by_unit[x["unit"]] = x
    units = [
        {
            "unit": u,
            "exam": exams_by_unit.get(u.get("code")),
            "faults": rows.get(f"unit:{u.get('code')}", []),
        }
        for u in doc.get("units") or []
    ]
    blocs = [
        {"bloc": b, "faults": rows.get(f"bloc:{b.get('code')}", [])} for b in doc.get("blocs") or []
    ]
    counts = {}
    for item in coded_items(doc):
        label = KIND_LABELS.get(item.kind, item.kind)
        counts[label] = counts.get(label, 0) + 1
    exams = [
        {"exam": x, "parent": parent, "forms": list((x.get("forms") or {}).items())}
        for e in doc.get("exams") or []
        for x, parent in [(e, None), *((p, e.get("code")) for p in e.get("parts") or [])]
    ]
    grid = doc.get("hour_grid") or {}
    return render(
        request,
        "workshop/version.html",
        {
            "ref": ref,
            "doc": doc,
            "editable": editable,
            "faults": faults,
            "units": units,
            "blocs": blocs,
            "exams": exams,
            "free_competences": doc.get("competences") or [],
            "grid_lines": [
                (label, line, years_text(line.get("years") or []))
                for key, label in (
                    ("lines", ""),
                    ("extra", "hors total"),
                    ("optional", "facultatif"),
                )
                for line in grid.get(key) or []
            ],
            "grid_total": years_text((grid.get("total") or {}).get("years") or []),
            "forms": forms_,
            "form_labels": FORM_LABELS,
            "counts": counts,
            "shared_allowed": access.is_admin(request.user) and ref.owner_id and not ref.is_draft,
        },
    )


@login_required
@require_POST
def validate(request, pk):
    """What the validator says of the form being typed, beside each field (htmx swaps each list
    of messages in place; nothing is saved)."""
    _allowed(request.user)
    ref = scopes.get_version_for_user(request.user, pk)
    if not scopes.may_edit(request.user, ref):
        raise Http404
    part = request.POST.get("part")
    if part not in FORMS_BY_PART:
        raise Http404
    form = FORMS_BY_PART[part](request.POST, doc=ref.document)
    if form.is_valid():
        found = services.check(ref, part, form.edit_data())
    else:  # only the fields already typed in: an empty one is not yet an error
        found = {
            name: list(errors)
            for name, errors in form.errors.items()
            if name != "__all__" and request.POST.get(f"{part}-{name}")
        }
    return render(request, "workshop/_messages.html", {"form": _with_messages(form, found)})


@login_required
@require_POST
def publish(request, pk):
    _allowed(request.user)
    ref = scopes.get_version_for_user(request.user, pk)
    if request.POST.get("for_all") and access.is_admin(request.user) and not ref.is_draft:
        ref_services.publish_for_all(ref, request.user)
        messages.success(request, "Version publiée pour tous les centres.")
        return redirect("workshop_version", pk=ref.pk)
    if not scopes.may_edit(request.user, ref):
        raise Http404
    try:
        ref_services.publish(ref, request.user)
    except ref_services.NotPublishable as exc:
        messages.error(
            request, f"Publication refusée : {len(exc.faults)} erreur(s) à corriger d'abord."
        )
    else:
        messages.success(request, "Version publiée : elle ne changera plus.")
    return redirect("workshop_version", pk=ref.pk)


@login_required
def export_yaml(request, pk):
    _allowed(request.user)
    ref = scopes.get_version_for_user(request.user, pk)
    response = HttpResponse(
        ref_services.to_yaml(ref.document), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{ref_services.file_name(ref.document)}"'
    )
    return response


def _mapping_from(post, proposed: dict[str, list[str]]) -> dict[str, list[str]]:
    """The mapping table as edited: one field per old code, new codes separated by commas."""
    mapping = {}
    for code, targets in proposed.items():
        raw = post.get(f"map-{code}")
        if raw is None:
            mapping[code] = targets
        else:
            mapping[code] = [t.strip() for t in raw.replace(";", ",").split(",") if t.strip()]
    return mapping


@login_required
def move_cohort(request, pk):
    """A cohort to another published version of its diploma: choose, preview, apply. A refused
    mapping is said beside its code's input, anything else beside the version (as web/forms:
    ids id_map-<code> and id_version, their error lists <id>_error), and in the summary; 400."""
    cohort = access.get_cohort_for_user(request.user, pk)
    access.require(request.user, "livret.move_cohort", cohort)
    versions = (
        Referentiel.objects.offered(cohort.centre)
        .filter(diploma=cohort.referentiel.diploma)
        .exclude(pk=cohort.referentiel_id)
        .order_by("-version")
    )
    posted = request.method == "POST"
    chosen = id_param(request.POST if posted else request.GET, "version", required=False)
    target = versions.filter(pk=chosen).first() if chosen else None
    errors: dict[str, list[str]] = {}  # "version" or an old code → what is wrong

    def refused(exc: moves.MoveError) -> None:
        for code, said in exc.by_code.items():
            errors.setdefault(code, []).append(said)
        if not exc.by_code:
            errors.setdefault("version", []).append(capfirst(str(exc)) + ".")

    if posted and target is None:
        errors["version"] = ["Choisissez la nouvelle version (une version publiée du diplôme)."]
    context = {"cohort": cohort, "versions": versions, "target": target}
    if target is not None:
        proposed = moves.propose_mapping(cohort.referentiel, target)
        mapping = _mapping_from(request.POST, proposed) if posted else proposed
        try:
            preview = moves.preview(cohort, target, mapping)
        except moves.MoveError as exc:
            refused(exc)
            preview = None
        if preview and posted and request.POST.get("confirm"):
            try:
                done = moves.apply(cohort, target, mapping, request.user)
            except moves.MoveError as exc:
                refused(exc)
            else:
                messages.success(
                    request,
                    f"Promotion passée à la version du {target.version:%d/%m/%Y} : {done.carried} "
                    f"fait(s) reporté(s), {done.kept_in_history} laissé(s) à l'historique.",
                )
                return redirect("workshop_move", pk=cohort.pk)
        facts = preview.facts if preview else moves.facts(cohort, cohort.referentiel)
        rows = [
            {
                "code": code,
                # What was typed, as typed, when the page comes back refused.
                "targets": request.POST.get(f"map-{code}", ", ".join(mapping.get(code) or []))
                if errors
                else ", ".join(mapping.get(code) or []),
                "facts": facts.get(code, 0),
                "changed": (mapping.get(code) or []) != [code],
                "errors": errors.get(code, []),
            }
            for code in proposed
        ]
        rows = [r for r in rows if r["changed"] or r["facts"] or r["errors"]]
        context.update({"preview": preview, "rows": rows})
    context["version_errors"] = errors.get("version", [])
    context["summary"] = [("id_version", "Nouvelle version", e) for e in errors.get("version", [])]
    context["summary"] += [
        (f"id_map-{r['code']}", f"Nouveaux codes pour {r['code']}", e)
        for r in context.get("rows", [])
        for e in r["errors"]
    ]
    context["history"] = cohort.moves.select_related("from_version", "to_version", "moved_by")
    return render(request, "workshop/move.html", context, status=400 if errors else 200)


@login_required
def compare_versions(request, pk):
    """Two versions of one diploma side by side: codes added, removed, renamed, moved, retitled."""
    _allowed(request.user)
    ref = scopes.get_version_for_user(request.user, pk)
    others = (
        scopes.visible_versions(request.user)
        .filter(diploma=ref.diploma)
        .exclude(pk=ref.pk)
        .order_by("-version")
    )
    other = (
        others.filter(pk=id_param(request.GET, "avec", required=False) or 0).first()
        or others.first()
    )
    diff = compare(other.document, ref.document) if other else None
    return render(
        request,
        "workshop/compare.html",
        {"ref": ref, "other": other, "others": others, "diff": diff},
    )
