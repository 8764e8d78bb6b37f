"""Bad input is a clear answer, never a 500 (issue 21, item 7).

Every POST view of the rights matrix (tests/access/test_matrix.py, same world, same users) is
posted malformed values by each user allowed to use it: each field of each form its pages show
(with each of its buttons), plus the fields the view reads without a form, with a word, a
`javascript:` and a foreign URL, a negative, a number no database holds, nothing, and another
centre's id; keys that carry ids (`g-<candidate>-<unit>`) get malformed ids too; every page gets
malformed query parameters. No answer may be a 5xx, no redirect may leave the site. Each request
runs in a savepoint rolled back afterwards, so an action that goes through (a signature, an
anonymisation) cannot change what the next request sees.
"""

from __future__ import annotations

import time
from dataclasses import replace
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve

from livret.exams.models import ExamSession
from tests.access.test_matrix import CENTRE_ROLES, RULES, build_world, fill, kwargs_for, walk

HUGE = str(10**20)
# Per field: always a word and a huge number; the other kinds alternate from field to field.
ALWAYS = ("abc", HUGE)
ALTERNATE = (("javascript:alert(1)", "-1"), ("https://evil.example", ""))

# What the views read that no form of their pages shows (grep request.POST in the views).
EXTRA_FIELDS = {
    "evaluate": ["next", "target"],
    "learner_ccf": ["candidate", "held_on", "unit"],
    "cohort_ari": ["learner", "granted", "reason"],
    "exam_register": ["cohort"],
    "exam_grades": ["g-abc", "g-1", "g-1-U4", f"g-{HUGE}-U4", "g--1-U4"],
    "exam_candidate_update": ["action", "unit", "optional", "report_submitted_on"],
    "module_grid": ["m-abc", "m-1", "m-1-abc", f"m-{HUGE}-1"],
    "module_appreciations": ["a-abc", f"a-{HUGE}", "a--1"],
    "imports": ["kind", "mapping", "col-nom", "col-abc", "tache"],
    "vae_start": ["offer"],
    "vae_action": ["action", "bloc", "blocs", "scope", "jury_date", "guide", "decision"],
    "period_review": ["action", "level-abc", "note-abc"],
}

# Query parameters the views read (grep request.GET), sent malformed to every page.
GET_PARAMS = (
    "next",
    "version",
    "statut",
    "q",
    "diplome",
    "vue",
    "cible",
    "page",
    "filtre",
    "semestre",
    "tache",
    "decision",
)


class Forms(HTMLParser):
    """The POST forms of a page: where each posts, its fields as served, its buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            post = (a.get("method") or "get").lower() == "post" or "hx-post" in a
            self._form = None
            if post:
                self._form = {"action": a.get("hx-post") or a.get("action") or "", "base": {}}
                self._form.update(radios={}, buttons=[], names=[])
                self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            if a.get("hx-post"):  # an htmx button posts without a form
                self.forms.append(
                    {"action": a["hx-post"], "base": {}, "radios": {}, "buttons": [], "names": []}
                )
            return
        name = a.get("name")
        if tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select not in form["base"] or "selected" in a:
                form["base"][self._select] = value
            return
        if not name:
            return
        form["names"].append(name)
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "image"):
                form["buttons"].append((name, a.get("value", "")))
            elif kind == "radio":
                if "checked" in a:
                    form["base"][name] = a.get("value", "on")
                else:
                    form["radios"].setdefault(name, a.get("value", "on"))
            elif kind == "checkbox":
                if "checked" in a:
                    form["base"].setdefault(name, a.get("value", "on"))
            elif kind != "file":
                form["base"].setdefault(name, a.get("value", ""))
        elif tag == "button":
            form["buttons"].append((name, a.get("value", "")))
        elif tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea = name
            form["base"].setdefault(name, "")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._form is not None and self._textarea is not None:
            self._form["base"][self._textarea] += data

    def variants(self, form):
        """The bodies a user can send with this form: its values, a radio picked in each group,
        and one body per button (the action it names)."""
        base = {**{k: v for k, v in form["radios"].items()}, **form["base"]}
        buttons = list(dict.fromkeys(form["buttons"])) or [None]
        for button in buttons:
            yield {**base, **({button[0]: button[1]} if button else {})}


class _Rollback(Exception):
    pass


def _client(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _send(client, method, url, data):
    """One request in a savepoint rolled back afterwards: nothing it does stays."""
    response = None
    try:
        with transaction.atomic():
            response = (client.post if method == "post" else client.get)(url, data)
            raise _Rollback
    except _Rollback:
        pass
    return response


def _trouble(response):
    """What is wrong with an answer: a server error, or a redirect off the site."""
    if response.status_code >= 500:
        exc = getattr(response, "exc_info", None)
        return f"{response.status_code} " + (
            f"{exc[0].__name__}: {str(exc[1])[:200]}" if exc else ""
        )
    if 300 <= response.status_code < 400:
        target = urlsplit(response["Location"])
        if target.scheme not in ("", "http", "https") or target.netloc not in ("", "testserver"):
            return f"redirection vers {response['Location']}"
    return None


def _path(action: str, page: str) -> tuple[str, str] | None:
    """The path a form posts to, if it is one of the application's, and the URL it posts to
    (with its query string: `?tache=…`, `?semestre=…`)."""
    parts = urlsplit(action)
    if parts.netloc or (parts.path and not parts.path.startswith("/")):
        return None
    path = parts.path or urlsplit(page).path
    try:
        resolve(path)
    except Resolver404:
        return None
    return path, path + (f"?{parts.query}" if parts.query else "")


def _roles(r):
    """Who may use a URL: the CFA's roles and the platform's, as the matrix says."""
    order = (*CENTRE_ROLES, "candidate", "guide", "certifier", "admin")
    return [role for role in order if role in r.ok]


def _shape(field: str) -> str:
    return "".join("9" if ch.isdigit() else ch for ch in field)


@pytest.mark.django_db(transaction=False)
def test_malformed_values_in_every_post_view_never_a_server_error(
    django_user_model, tmp_path, settings
):
    import logging

    logging.disable(logging.CRITICAL)  # thousands of expected 400/404 lines otherwise
    settings.AXES_ENABLED = False
    started = time.monotonic()
    centres, users = build_world(django_user_model, tmp_path, settings)
    cfa, lycee = centres["cfa"], centres["lycee"]
    people = {role: cfa.users[role] for role in (*CENTRE_ROLES, "candidate", "guide")}
    people["admin"] = users["admin"]
    people["certifier"] = users["certificateur"]
    clients = {role: _client(user) for role, user in people.items()}
    session = next(
        s
        for s in ExamSession.objects.filter(organiser=cfa.org, name__icontains="titre")
        if not s.locked  # the one still open: its actions go further
    )
    titre = replace(
        cfa,
        objects={
            **cfa.objects,
            "session": session,
            "candidate": session.candidates.order_by("number").first(),
        },
    )

    # Another centre's ids, by the name of the field that carries one.
    lo = lycee.objects
    foreign = {
        "candidate": lo["candidate"].pk,
        "learner": lo["learner"].pk,
        "learners": lo["learner"].pk,
        "cohort": lo["cohort"].pk,
        "cohorts": lo["cohort"].pk,
        "company": lo["learner"].company_id,
        "tutor": lycee.users["tutor"].pk,
        "trainers": lycee.users["trainer"].pk,
        "assessor": lycee.users["trainer"].pk,
        "competence": lo["competence"].pk,
        "competences": lo["competence"].pk,
        "bloc": lo["bloc"].pk,
        "blocs": lo["bloc"].pk,
        "period": lo["period"].pk,
        "guide": lycee.users["guide"].pk,
        "tache": str(lo["job"].pk),
    }

    def other_centre_id(field: str):
        return foreign.get(field, foreign.get(field.split("-")[0], lo["learner"].pk))

    problems, count = [], {"requests": 0}
    tried = set()  # the POST views actually posted to

    def send(role, method, url, data, what):
        response = _send(clients[role], method, url, data)
        count["requests"] += 1
        trouble = _trouble(response)
        if trouble:
            problems.append((role, method.upper(), url, what, trouble))
        return response

    # 1. Every page of the matrix, for each role allowed to open it: GET it, keep its POST
    # forms; and once per page, malformed query parameters.
    forms = {}  # (role, path) -> [(parser, form, URL it posts to)]
    targets = {}  # path -> (url name, roles)
    patterns = [
        (p, n) for p, n, _ in walk(get_resolver().url_patterns) if not p.startswith("admin")
    ]
    for pattern, name in patterns:
        if name.startswith("api-v1:") or name == "logout" or name not in RULES:
            continue  # the API is fuzzed from its schema (tests/api/test_schemathesis.py)
        r = RULES[name]
        kinds = list(cfa.objects["records"]) if "<slug:kind>" in pattern else [None]
        # An exam session's pages differ for a titre professionnel: its open session too.
        places = [cfa, titre] if r.object == "session" else [cfa]
        for kind, place in ((k, p) for k in kinds for p in places):
            url = fill(pattern, kwargs_for(pattern, name, r, place, kind))
            roles = ["manager"] if r.public else _roles(r)
            targets[url] = (name, roles)
            for role in roles:
                if r.post_only:
                    continue
                page = send(role, "get", url, {}, "page")
                if page.status_code == 200 and "html" in page.get("Content-Type", ""):
                    parser = Forms()
                    parser.feed(page.content.decode())
                    for form in parser.forms:
                        target = _path(form["action"], url)
                        if target:
                            path, post_url = target
                            forms.setdefault((role, path), []).append((parser, form, post_url))
            for i, value in enumerate(("abc", "javascript:alert(1)", HUGE, "²")):
                role = roles[i % len(roles)]
                send(role, "get", url, dict.fromkeys(GET_PARAMS, value), f"?…={value}")

    # 2. Every POST target, by each role allowed: an empty body, then each body its forms can
    # send with one field at a time malformed. A body already sent by another role is not
    # sent again (the platform admin sees the trainer's forms).
    sent_bodies = set()
    for url, (name, roles) in targets.items():
        for role in roles:
            found = forms.get((role, url), [])
            if not found and not RULES[name].post_only and name not in EXTRA_FIELDS:
                continue  # no form of this page for this role: nothing he could post
            tried.add(name)
            send(role, "post", url, {}, "corps vide")
            bodies = [(to, b) for parser, form, to in found for b in parser.variants(form)]
            extra = [*EXTRA_FIELDS.get(name, []), "next"]
            for to, base in bodies or [(url, {})]:
                signature = (to, tuple(sorted(base.items())))
                if signature in sent_bodies:
                    continue
                sent_bodies.add(signature)
                # Rows of a grid share a shape (g-12-U4, g-13-U4): two of each are enough.
                by_shape = {}
                for field in dict.fromkeys([*base, *extra]):
                    by_shape.setdefault(_shape(field), []).append(field)
                fields = [f for group in by_shape.values() for f in group[:2]]
                for i, field in enumerate(fields):
                    values = (*ALWAYS, *(pair[i % 2] for pair in ALTERNATE))
                    values += (other_centre_id(field),)
                    for value in values:
                        send(role, "post", to, {**base, field: value}, f"{field}={value!r}")
                    if any(ch.isdigit() for ch in field) and field in base:
                        # A key that names a row: its id malformed.
                        for bad in ("abc", HUGE, "-1", "²"):  # "²".isdigit(), int() refuses
                            key = "-".join(
                                bad if part.isdigit() else part for part in field.split("-")
                            )
                            send(role, "post", to, {**base, key: "1"}, f"clé {key}")

    logging.disable(logging.NOTSET)
    post_only = {n for n, r in RULES.items() if r.post_only and not n.startswith("api-v1:")}
    never = (post_only | set(EXTRA_FIELDS)) - tried - {"logout"}
    print(
        f"\n{count['requests']} requêtes, {len(tried)} vues essayées en POST, "
        f"{len(problems)} problème(s), {time.monotonic() - started:.0f} s"
    )
    assert not never, f"vues POST jamais essayées : {sorted(never)}"
    assert not problems, "\n".join(map(str, problems[:80]))


# --- the attacks of the issue, one by one ----------------------------------------------------
@pytest.fixture
def demo_world(django_user_model, tmp_path, settings):
    settings.AXES_ENABLED = False
    centres, users = build_world(django_user_model, tmp_path, settings)
    return centres["cfa"], centres["lycee"]


def _bad_request_names(response, field):
    """A 400 on the site's French page, naming the field."""
    text = response.content.decode()
    return (
        response.status_code == 400
        and "Demande incorrecte" in text
        and f"« {field} »" in text
        and '<html lang="fr">' in text
    )


def test_evaluate_never_follows_next_off_the_site(client, demo_world):
    cfa, _ = demo_world
    learner, competence = cfa.learner, cfa.objects["competence"]
    client.force_login(cfa.users["trainer"])
    url = f"/livrets/{learner.pk}/competences/{competence.pk}/evaluer/"
    livret = f"/livrets/{learner.pk}/"
    body = {"level": "in_progress", "observed_on": "2026-10-02", "context": "course"}
    for evil in (
        "https://evil.example",
        "javascript:alert(1)",
        "//evil.example/page",
        "/\\evil.example/page",  # browsers read /\ as //
        "https:evil.example",
        "abc",  # a bare word, which redirect() would look up as a view name
    ):
        response = client.post(url, {**body, "next": evil})
        assert (response.status_code, response["Location"]) == (302, livret), evil
    # A path of the site is still followed (the grid sends one).
    response = client.post(url, {**body, "next": f"/promotions/{learner.cohort_id}/"})
    assert response["Location"] == f"/promotions/{learner.cohort_id}/"


def test_malformed_ids_in_post_bodies_are_a_400_naming_the_field(client, demo_world):
    cfa, lycee = demo_world
    o, lo = cfa.objects, lycee.objects
    session = o["session"]
    cases = [
        # (who, URL, field, id of the same kind in the other centre)
        ("trainer", f"/livrets/{o['learner'].pk}/ccf/", "candidate", lo["candidate"].pk),
        (
            "manager",
            f"/promotions/{o['bacpro_cohort'].pk}/attestation-intermediaire/",
            "learner",
            lo["learner"].pk,
        ),
        ("exam_admin", f"/examens/{session.pk}/inscrire/", "cohort", lo["cohort"].pk),
    ]
    for role, url, field, foreign in cases:
        client.force_login(cfa.users[role])
        for bad in ("abc", "", "-1", "1.5", str(10**20), "１"):
            response = client.post(url, {field: bad})
            assert _bad_request_names(response, field), (url, field, bad, response.status_code)
        # Another centre's id is well formed: it names nothing this user may see.
        assert client.post(url, {field: foreign}).status_code == 404, (url, field)
    # The grades grid: keys are g-<candidate>-<unit>.
    client.force_login(cfa.users["exam_admin"])
    for key in ("g-abc", "g-1", "g-abc-U4", f"g-{10**20}-U4", "g--1-U4", "g-1-"):
        response = client.post(f"/examens/{session.pk}/notes/", {key: "12"})
        assert _bad_request_names(response, key), (key, response.status_code)
    # A module's grid (m-<learner>-<assessment>) and its appreciations (a-<learner>).
    client.force_login(cfa.users["trainer"])
    module = o["module"]
    for key in ("m-abc", f"m-{o['learner'].pk}", f"m-{o['learner'].pk}-²", "m--1-1"):
        response = client.post(f"/modules/{module.pk}/", {key: "12"})
        assert _bad_request_names(response, key), (key, response.status_code)
    for key in ("a-abc", "a-²", f"a-{10**20}"):
        response = client.post(f"/modules/{module.pk}/appreciations/", {key: "Bien."})
        assert _bad_request_names(response, key), (key, response.status_code)
    # A VAE offer chosen by id.
    client.force_login(cfa.users["candidate"])
    assert _bad_request_names(client.post("/vae/commencer/", {"offer": "abc"}), "offer")


def test_an_id_no_database_holds_in_a_multiple_choice_is_a_form_error(client, demo_world):
    cfa, _ = demo_world
    client.force_login(cfa.users["manager"])
    response = client.post(
        "/centre/promotions/nouveau/", {"name": "Promo", "trainers": str(10**20)}
    )
    # SQLite refused to bind the number (OverflowError, a 500): now the form says it is no choice.
    assert response.status_code in (200, 400)
    assert f"{10**20} n’en fait pas partie" in response.content.decode()
