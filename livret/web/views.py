"""Référentiel pages. Thin views: fetch with a fixed number of queries, hand to templates."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from livret.referentiels import models as m
from livret.referentiels.text import normalize

FORM_LABELS = {
    "ccf": "CCF",
    "written": "Ponctuelle écrite",
    "oral": "Ponctuelle orale",
    "practical": "Ponctuelle pratique",
    "practical_oral": "Ponctuelle pratique et orale",
}


def home(request):
    return redirect("role_home")


def _referentiel(request, slug: str) -> m.Referentiel:
    """The version asked for with ?version=AAAA-MM-JJ, else the newest one."""
    diploma = get_object_or_404(m.Diploma, slug=slug)
    versions = diploma.referentiels.public().order_by("-version")
    wanted = request.GET.get("version")
    if wanted:
        try:
            day = datetime.date.fromisoformat(wanted)
        except ValueError:
            raise Http404("version invalide") from None
        ref = versions.filter(version=day).first()
    else:
        ref = versions.first()
    if ref is None:
        raise Http404("aucune version")
    ref.all_versions = [v.version for v in versions.only("version")]
    return ref


def _context(request, ref: m.Referentiel, tab: str, **extra) -> dict:
    doc = ref.document
    query = f"?version={ref.version.isoformat()}" if ref.version != ref.all_versions[0] else ""
    return {
        "ref": ref,
        "doc": doc,
        "tab": tab,
        "version_query": query,
        "is_latest": ref.version == ref.all_versions[0],
        **extra,
    }


def diploma_list(request):
    refs = {}
    for ref in (
        m.Referentiel.objects.public()
        .select_related("diploma")
        .order_by("diploma__slug", "-version")
    ):
        refs.setdefault(ref.diploma.slug, ref)
    rows = []
    for ref in refs.values():
        doc = ref.document
        counts = {
            "competences": sum(
                len(a.get("competences") or [])
                for p in doc.get("poles") or []
                for a in p.get("activities") or []
            )
            + sum(len(g["competences"]) for mod in doc.get("modules") or [] for g in mod["groups"])
            + len(doc.get("competences") or []),
            "blocs": len(doc.get("blocs") or []),
            "exams": len(doc.get("exams") or []),
        }
        rows.append({"ref": ref, "doc": doc, "counts": counts})
    return render(request, "web/diploma_list.html", {"rows": rows})


def tree(request, slug):
    ref = _referentiel(request, slug)
    competences = m.Competence.objects.prefetch_related(
        Prefetch("blocs", queryset=m.Bloc.objects.only("id", "code", "title")),
        Prefetch("exams", queryset=m.Exam.objects.only("id", "code", "title")),
    )
    poles = m.Pole.objects.filter(referentiel=ref).prefetch_related(
        Prefetch(
            "activities",
            queryset=m.Activity.objects.prefetch_related(
                "tasks", "knowledge", Prefetch("competences", queryset=competences)
            ),
        )
    )
    others = list(
        competences.filter(referentiel=ref, activity__isnull=True).select_related("module_unit")
    )
    groups: list[dict] = []
    for c in others:
        key = (c.module_unit.code if c.module_unit else "", c.group_code)
        if not groups or groups[-1]["key"] != key:
            groups.append(
                {
                    "key": key,
                    "unit": c.module_unit,
                    "code": c.group_code,
                    "title": c.group_title,
                    "competences": [],
                }
            )
        groups[-1]["competences"].append(c)
    modules = {mod["unit"]: mod for mod in ref.document.get("modules") or []}
    return render(
        request,
        "web/tree.html",
        _context(request, ref, "tree", poles=poles, groups=groups, modules=modules),
    )


def blocs(request, slug):
    ref = _referentiel(request, slug)
    rows = (
        m.Bloc.objects.filter(referentiel=ref)
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "competences", queryset=m.Competence.objects.only("id", "code", "title", "position")
            )
        )
    )
    return render(request, "web/blocs.html", _context(request, ref, "blocs", blocs=rows))


def exams(request, slug):
    ref = _referentiel(request, slug)
    statuses = ref.document.get("candidate_statuses") or []
    chosen = request.GET.get("statut")
    shown = [s for s in statuses if s["code"] == chosen] or statuses
    top = (
        m.Exam.objects.filter(referentiel=ref, parent__isnull=True)
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "parts",
                queryset=m.Exam.objects.select_related("unit").prefetch_related("competences"),
            ),
            "competences",
        )
    )
    rows = []
    for exam in top:
        parts = list(exam.parts.all())
        for i, e in enumerate([exam, *parts]):
            if e is exam and parts and not e.forms:
                rows.append({"exam": e, "group": True, "parts": len(parts)})
                continue
            cells = []
            for s in shown:
                form = e.forms.get(s["code"])
                cells.append(_form_cell(form))
            rows.append({"exam": e, "group": False, "sub": i > 0, "cells": cells})
    detailed = [r["exam"] for r in rows if not r["group"]]
    total = sum(
        (r["exam"].coefficient or 0) for r in rows if not r["group"] and not r["exam"].optional
    )
    return render(
        request,
        "web/exams.html",
        _context(
            request,
            ref,
            "exams",
            rows=rows,
            statuses=statuses,
            shown=shown,
            chosen=chosen,
            detailed=detailed,
            total=total,
        ),
    )


def _form_cell(form: dict | None) -> dict | None:
    if not form:
        return None
    if form.get("form") == "ccf":
        n = form.get("situations")
        text = f"CCF, {n} situation{'s' if n and n > 1 else ''}" if n else "CCF"
    else:
        text = form.get("label") or FORM_LABELS.get(form.get("form"), form.get("form"))
    duration = form.get("duration_minutes")
    return {
        "kind": form.get("form"),
        "text": text,
        "duration": _minutes(duration) if duration else "",
        "preparation": _minutes(form["preparation_minutes"])
        if form.get("preparation_minutes")
        else "",
        "note": form.get("note", ""),
    }


def _minutes(n: int) -> str:
    hours, minutes = divmod(int(n), 60)
    if hours and minutes:
        return f"{hours} h {minutes:02d}"
    if hours:
        return f"{hours} h"
    return f"{minutes} min"


def competence(request, slug, code):
    ref = _referentiel(request, slug)
    comp = get_object_or_404(
        m.Competence.objects.select_related("activity__pole", "module_unit").prefetch_related(
            "blocs__unit",
            Prefetch("exams", queryset=m.Exam.objects.select_related("unit", "parent")),
        ),
        referentiel=ref,
        code=code,
    )
    statuses = ref.document.get("candidate_statuses") or []
    exams = [
        {"exam": e, "forms": [(s, _form_cell(e.forms.get(s["code"]))) for s in statuses]}
        for e in comp.exams.all()
    ]
    activity = comp.activity
    siblings = {
        "tasks": list(activity.tasks.all()) if activity else [],
        "knowledge": list(activity.knowledge.all()) if activity else [],
    }
    return render(
        request,
        "web/competence.html",
        _context(request, ref, "tree", comp=comp, exams=exams, **siblings),
    )


SEARCHED = [
    (m.Competence, "compétence"),
    (m.Task, "tâche"),
    (m.Knowledge, "savoir associé"),
    (m.Activity, "activité"),
    (m.Bloc, "bloc de compétences"),
    (m.Unit, "unité"),
    (m.Exam, "épreuve"),
]
MAX_RESULTS = 200


def search(request):
    q = (request.GET.get("q") or "").strip()[:200]
    diploma = request.GET.get("diplome") or ""
    results = []
    terms = normalize(q).split()
    if terms:
        latest = {}
        for ref in (
            m.Referentiel.objects.public()
            .select_related("diploma")
            .order_by("diploma__slug", "-version")
        ):
            latest.setdefault(ref.diploma_id, ref)
        refs = [r for r in latest.values() if not diploma or r.diploma.slug == diploma]
        by_id = {r.pk: r for r in refs}
        for model, label in SEARCHED:
            qs = model.objects.filter(referentiel_id__in=by_id)
            for term in terms:
                qs = qs.filter(search_text__contains=term)
            for item in qs.order_by("referentiel_id", "position")[:MAX_RESULTS]:
                ref = by_id[item.referentiel_id]
                exact = normalize(item.code) == normalize(q)
                results.append(
                    {
                        "item": item,
                        "kind": label,
                        "ref": ref,
                        "url": _item_url(ref, item),
                        "exact": exact,
                    }
                )
        results.sort(key=lambda r: (not r["exact"], r["ref"].diploma.slug, r["item"].position))
        results = results[:MAX_RESULTS]
    diplomas = m.Diploma.objects.filter(referentiels__in=m.Referentiel.objects.public()).distinct()
    return render(
        request,
        "web/search.html",
        {"q": q, "results": results, "diplomas": diplomas, "diploma": diploma},
    )


def _item_url(ref: m.Referentiel, item) -> str:
    slug = ref.diploma.slug
    if isinstance(item, m.Competence):
        return reverse("competence", args=[slug, item.code])
    if isinstance(item, m.Bloc):
        return reverse("blocs", args=[slug]) + f"#{item.code}"
    if isinstance(item, m.Unit | m.Exam):
        return reverse("exams", args=[slug]) + f"#{item.code}"
    return reverse("tree", args=[slug]) + f"#{item.code}"
