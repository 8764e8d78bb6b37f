"""One way for every form (issue 25, item 8): every page of the rights matrix that shows a form is
opened by a role that may open it, then its forms are posted empty. The test fails on an English
label or an English message (Django's defaults: « Learner », « This field is required. »), and on
an error shown only in the banner at the top instead of beside its field as well."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import get_resolver

from tests.access.test_matrix import CENTRE_ROLES, RULES, build_world, fill, kwargs_for, walk

# Django's own messages, left untranslated when a form or a template writes its own English.
ENGLISH_MESSAGES = (
    "This field is required",
    "Enter a valid",
    "Select a valid choice",
    "Ensure this value",
    "is not one of the available choices",
    "No file was submitted",
    "The submitted file",
    "Upload a valid",
    "Enter a whole number",
    "Enter a number",
)
# Words of an English label (a model field without verbose_name gives « Learner », « Start
# date », « Occurred on »); none is a French word.
ENGLISH_WORDS = {
    "learner",
    "cohort",
    "company",
    "tutor",
    "start",
    "end",
    "title",
    "kind",
    "name",
    "file",
    "the",
    "of",
    "occurred",
    "observed",
    "first",
    "last",
    "user",
    "password",
    "level",
    "context",
    "reason",
    "text",
    "subject",
    "created",
    "updated",
    "due",
    "held",
    "attendees",
}
# Who opens a page, in this order of preference among those the matrix allows.
ORDER = (
    "manager",
    "trainer",
    "tutor",
    "learner",
    "exam_admin",
    "admin",
    "certifier",
    "guide",
    "candidate",
)
VOID = {"input", "br", "img", "meta", "link", "hr", "source", "col", "area", "base", "wbr"}


class Page(HTMLParser):
    """What the test reads of a page's <main>: its post forms and their controls, the labels,
    the banners' errors, the errors beside fields."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, attrs, capture index or None)
        self.in_main = 0
        self.forms = []  # {"action", "controls": [(tag, type, name)]}
        self.labels = []
        self.banners = []  # (items, whole text)
        self.beside = []
        self.invalid = 0
        self._captures = []  # [kind, text parts, extra]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "main":
            self.in_main += 1
        if not self.in_main:
            if tag not in VOID:
                self.stack.append((tag, None))
            return
        if a.get("aria-invalid") == "true":
            self.invalid += 1
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self.forms.append({"action": a.get("action") or "", "controls": []})
        if tag in ("input", "select", "textarea") and self.forms:
            self.forms[-1]["controls"].append((tag, (a.get("type") or "").lower(), a.get("name")))
        css = (a.get("class") or "").split()
        capture = None
        if tag in ("label", "legend"):
            capture = ["label", []]
        elif "alert-danger" in css:
            capture = ["banner", [], []]
        elif tag == "li" and any(c[0] == "banner" for c in self._captures):
            capture = ["item", []]
        elif "invalid-feedback" in css or re.search(r"[_-]error$", a.get("id") or ""):
            capture = ["beside", []]
        if capture is not None:
            self._captures.append(capture)
        if tag not in VOID:
            self.stack.append((tag, capture))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, capture = self.stack.pop()
            if capture is not None:
                self._close(capture)
            if open_tag == "main":
                self.in_main -= 1
            if open_tag == tag:
                break

    def _close(self, capture):
        self._captures.remove(capture)
        text = " ".join("".join(capture[1]).split())
        if capture[0] == "label":
            self.labels.append(text)
        elif capture[0] == "beside":
            self.beside.append(text)
        elif capture[0] == "item":
            for c in reversed(self._captures):
                if c[0] == "banner":
                    c[2].append(text)
                    break
        elif capture[0] == "banner":
            self.banners.append((capture[2], text))

    def handle_data(self, data):
        for c in self._captures:
            c[1].append(data)


def read(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def english_label(label: str) -> bool:
    words = set(re.findall(r"[a-z]+", label.lower()))
    return bool(words & ENGLISH_WORDS)


def problems_of(html: str, where: str, posted: bool = True) -> list[str]:
    page = read(html)
    found = []
    for label in page.labels:
        if english_label(label):
            found.append(f"{where}: libellé en anglais « {label} »")
    for message in ENGLISH_MESSAGES:
        if message in html:
            found.append(f"{where}: message en anglais « {message} »")
    beside = " ".join(page.beside)
    for items, whole in page.banners:
        if not items:  # a message of the page (messages.error): never beside any field
            # (on a page opened, it is what an earlier action left: not this page's form)
            if posted and whole and whole not in beside:
                found.append(f"{where}: erreur seulement dans le bandeau « {whole[:80]} »")
            continue
        for item in items:
            label, sep, message = item.partition(" : ")
            if sep and message and message not in beside:
                found.append(f"{where}: erreur seulement dans le bandeau « {item[:80]} »")
    if page.beside and not page.invalid:
        found.append(f"{where}: erreurs sans aria-invalid sur leur champ")
    return found


def fillable(form) -> bool:
    """A form someone types into (not a lone button, a hidden action, a file to send only)."""
    return any(
        tag in ("select", "textarea") or kind not in ("hidden", "submit", "button", "file")
        for tag, kind, _ in form["controls"]
    )


# Where a banner's error is a refusal of the whole act, not of one field: the login (which of
# the two was wrong is not said, on purpose) and a signature outside the session's window.
REFUSALS = {"login", "attendance_sign"}


@pytest.mark.django_db(transaction=False)
def test_every_form_speaks_french_and_says_each_error_beside_its_field(
    django_user_model, tmp_path, settings
):
    import logging

    logging.disable(logging.WARNING)
    settings.AXES_ENABLED = False
    centres, users = build_world(django_user_model, tmp_path, settings)
    centre = centres["cfa"]

    def account(role):
        if role in CENTRE_ROLES or role in ("candidate", "guide"):
            return centre.users[role]
        return {"admin": users["admin"], "certifier": users["certificateur"]}[role]

    clients = {}

    def client_for(user):
        key = user.pk if user else None
        if key not in clients:
            clients[key] = Client()
            if user:
                clients[key].force_login(user)
        return clients[key]

    found, walked = [], 0
    for pattern, name, _ in walk(get_resolver().url_patterns):
        if pattern.startswith("admin/") or (name or "").startswith("api-v1:"):
            continue
        r = RULES.get(name)
        if r is None or r.post_only:  # an unknown URL is the rights matrix's failure
            continue
        # Each role that may open it, until one is shown a form to fill (the manager reads a
        # thread, its writers get the form).
        roles = [None] if r.public else [x for x in ORDER if x in r.ok]
        kinds = list(centre.objects["records"]) if "<slug:kind>" in pattern else [None]
        for kind in kinds:
            url = fill(pattern, kwargs_for(pattern, name, r, centre, kind))
            for role in roles:
                cl = client_for(account(role) if role else None)
                response = cl.get(url)
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                if getattr(response, "streaming", False):
                    continue
                html = response.content.decode()
                forms = [f for f in read(html).forms if fillable(f)]
                if not forms:
                    continue
                walked += 1
                where = f"{name} ({role or 'anonyme'})"
                found += problems_of(html, where, posted=False)
                for form in forms:
                    action = (form["action"] or url).split("#")[0] or url
                    if "deconnexion" in action or action.startswith("http"):
                        continue
                    # Every field sent empty (an empty body would leave `request.POST or None`
                    # forms unbound, their errors never shown).
                    empty = {
                        n: ""
                        for _, kind, n in form["controls"]
                        if n and n != "csrfmiddlewaretoken" and kind not in ("checkbox", "radio")
                    }
                    posted = cl.post(action, empty or {"_": ""})
                    if posted.status_code in (301, 302, 303):
                        cl.get(posted["Location"])  # its message read there, not on the next page
                    elif posted.status_code in (200, 400) and "html" in posted.get(
                        "Content-Type", ""
                    ):
                        found += problems_of(posted.content.decode(), f"{where} → POST {action}")
                break
    assert walked > 30, walked
    left = sorted(
        {
            p
            for p in found
            if not (p.split(" (")[0] in REFUSALS and "seulement dans le bandeau" in p)
        }
    )
    assert not left, "\n".join(left)
