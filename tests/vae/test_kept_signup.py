"""Issue 25, item 8, for the VAE sign-up: a refused sign-up says each error beside its field
(aria-invalid, aria-describedby) and in the summary at the top, keeps what was typed (never the
password), creates no account. This reproduced the bug: the errors were only in a banner."""

import re
from html import unescape

from django.contrib.auth import get_user_model
from django.urls import reverse


def _beside(html: str, field_id: str) -> str:
    found = re.search(rf'<ul[^>]*id="{field_id}_error"[^>]*>(.*?)</ul>', html, re.S)
    return unescape(re.sub(r"<[^>]+>", " ", found.group(1))) if found else ""


def _control(html: str, field_id: str) -> str:
    found = re.search(rf'<(?:input|textarea|select)[^>]*id="{field_id}"[^>]*>', html)
    return found.group(0) if found else ""


def test_a_refused_sign_up_says_each_error_beside_its_field(client, db):
    r = client.post(
        reverse("vae_signup"),
        {"first_name": "Sam", "last_name": "", "email": "pas-un-courriel", "password": "court"},
    )
    html = r.content.decode()
    assert r.status_code == 400
    for field in ("last_name", "email", "password"):
        assert _beside(html, f"id_{field}"), field
        control = _control(html, f"id_{field}")
        assert 'aria-invalid="true"' in control and f"id_{field}_error" in control, field
        assert f'href="#id_{field}"' in html  # the summary links to it
    assert "obligatoire" in _beside(html, "id_last_name")
    # what was typed is kept, except the password
    assert 'value="Sam"' in _control(html, "id_first_name")
    assert 'value="pas-un-courriel"' in _control(html, "id_email")
    assert "court" not in _control(html, "id_password")
    assert 'class="form-control' in _control(html, "id_first_name")
    assert not get_user_model().objects.filter(first_name="Sam").exists()
