"""Issue 25, item 8, for the public badge verification page: a text that is not a badge, or
nothing at all, is an error of the form, said beside the field it came from (aria-invalid,
aria-describedby) and in the summary, with status 400 and what was pasted kept. This reproduced
the bug: « Ce n'est pas un badge lisible » was only in a banner at the top."""

import re
from html import unescape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from livret.engine import badges


def _beside(html: str, field_id: str) -> str:
    found = re.search(rf'<ul[^>]*id="{field_id}_error"[^>]*>(.*?)</ul>', html, re.S)
    return unescape(re.sub(r"<[^>]+>", " ", found.group(1))) if found else ""


def _control(html: str, field_id: str) -> str:
    found = re.search(rf'<(?:input|textarea|select)[^>]*id="{field_id}"[^>]*>', html)
    return found.group(0) if found else ""


def test_a_pasted_text_that_is_no_badge_is_said_beside_the_text(client, db):
    r = client.post(reverse("badge_verify"), {"token": "pas-un-badge"})
    html = r.content.decode()
    assert r.status_code == 400
    assert badges.LABELS[badges.MALFORMED] in _beside(html, "id_token")
    control = _control(html, "id_token")
    assert 'aria-invalid="true"' in control and "id_token_error" in control
    assert 'href="#id_token"' in html and "pas-un-badge</textarea>" in html


def test_a_file_that_is_no_badge_is_said_beside_the_file(client, db):
    upload = SimpleUploadedFile("badge.jwt", b"rien de lisible")
    r = client.post(reverse("badge_verify"), {"file": upload, "token": ""})
    html = r.content.decode()
    assert r.status_code == 400
    assert badges.LABELS[badges.MALFORMED] in _beside(html, "id_file")
    assert 'aria-invalid="true"' in _control(html, "id_file")


def test_nothing_sent_asks_for_a_file_or_a_text(client, db):
    r = client.post(reverse("badge_verify"), {"token": ""})
    html = unescape(r.content.decode())
    assert r.status_code == 400
    assert "Déposez le fichier du badge ou collez son contenu" in _beside(html, "id_token")
