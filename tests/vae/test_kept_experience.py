"""Issue 25, item 8, for a VAE candidate's experience: a refused one says each error beside its
field (aria-invalid, aria-describedby) and in the summary, keeps what was typed, saves nothing.
This reproduced the bug: the errors were only in a banner, the controls unstyled."""

import re
from html import unescape

from django.urls import reverse

from livret.vae.models import Candidacy, Experience


def _beside(html: str, field_id: str) -> str:
    found = re.search(rf'<ul[^>]*id="{field_id}_error"[^>]*>(.*?)</ul>', html, re.S)
    return unescape(re.sub(r"<[^>]+>", " ", found.group(1))) if found else ""


def _control(html: str, field_id: str) -> str:
    found = re.search(rf'<(?:input|textarea|select)[^>]*id="{field_id}"[^>]*>', html)
    return found.group(0) if found else ""


def test_a_refused_experience_says_each_error_beside_its_field(client, vae, candidate):
    c = Candidacy.objects.create(candidate=candidate, offer=vae["offer"])
    client.force_login(candidate)
    r = client.post(
        reverse("vae_experience_new", args=[c.pk]),
        {
            "kind": "salaried",
            "employer": "",
            "job_title": "Agent de sécurité",
            "start": "2020-03-01",
            "end": "2019-01-01",
            "time": "full_time",
            "part_time_percent": "100",
        },
    )
    html = r.content.decode()
    assert r.status_code == 400 and not Experience.objects.exists()
    assert "obligatoire" in _beside(html, "id_employer")
    assert "La fin précède le début" in _beside(html, "id_end")
    for field in ("id_employer", "id_end"):
        control = _control(html, field)
        assert 'aria-invalid="true"' in control and f"{field}_error" in control, field
        assert f'href="#{field}"' in html, field
    assert 'value="Agent de sécurité"' in _control(html, "id_job_title")
    assert 'class="form-control' in _control(html, "id_job_title")


def test_a_refused_profile_says_the_error_beside_its_field(client, vae, candidate):
    """The candidate's profile on his VAE home: same helpers (the error was only in a banner)."""
    client.force_login(candidate)
    r = client.post(
        reverse("vae_home"),
        {"phone": "06 12 34 56 78", "city": "Nantes", "birth_date": "2999-01-01"},
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert "Une date de naissance est passée" in _beside(html, "id_birth_date")
    control = _control(html, "id_birth_date")
    assert 'aria-invalid="true"' in control and "id_birth_date_error" in control
    assert 'href="#id_birth_date"' in html and 'value="Nantes"' in _control(html, "id_city")
