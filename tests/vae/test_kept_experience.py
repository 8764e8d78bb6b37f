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
