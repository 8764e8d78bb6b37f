"""The period form (issue 25, item 8): rendered through the shared helper (labels, Bootstrap
controls), its dates inside the learner's training, every error beside its field as well as in
the summary, values kept, nothing saved."""

import datetime
import re

import pytest
from django.urls import reverse

from livret.periods.models import Period

pytestmark = pytest.mark.django_db


def _post(client, world, **changes):
    client.force_login(world.users["trainer_a"])
    data = {
        "kind": "internship",
        "company": world.learner1.company.pk,
        "start": "2026-01-05",
        "end": "2026-01-30",
        **changes,
    }
    return client.post(reverse("period_new", args=[world.learner1.pk]), data)


def _beside(page, name):
    return page.split(f'id="id_{name}_error"')[1].split("</ul>")[0]


def test_the_form_is_styled_and_labelled_in_french(client, world):
    client.force_login(world.users["trainer_a"])
    page = client.get(reverse("period_new", args=[world.learner1.pk])).content.decode()
    for label in ("Type", "Entreprise", "Début", "Fin", "Attestation reçue"):
        assert re.search(rf"<label[^>]*>{label}", page), label
    start = re.search(r'<input[^>]*name="start"[^>]*>', page).group(0)
    assert 'class="form-control"' in start and 'type="date"' in start
    assert re.search(r'<select[^>]*name="company"[^>]*class="form-select"', page) or re.search(
        r'<select[^>]*class="form-select"[^>]*name="company"', page
    )


def test_the_end_before_the_start_is_said_beside_the_end(client, world):
    response = _post(client, world, start="2026-03-13", end="2026-03-02")
    assert response.status_code == 400 and not Period.objects.exists()
    page = response.content.decode()
    assert "La fin précède le début." in _beside(page, "end")
    end = re.search(r'<input[^>]*name="end"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in end and "id_end_error" in end
    assert 'href="#id_end"' in page  # and in the summary
    assert 'value="2026-03-13"' in page and 'value="2026-03-02"' in page


def test_dates_outside_the_training_are_refused_beside_each_date(client, world):
    learner = world.learner1
    learner.contract_start, learner.contract_end = (
        datetime.date(2025, 9, 1),
        datetime.date(2027, 8, 31),
    )
    learner.save()
    response = _post(client, world, start="1900-01-01", end="2030-01-01")
    assert response.status_code == 400 and not Period.objects.exists()
    page = response.content.decode()
    assert "Le début précède le début du contrat ou de la convention (01/09/2025)." in _beside(
        page, "start"
    )
    assert "La fin dépasse la fin du contrat ou de la convention (31/08/2027)." in _beside(
        page, "end"
    )
    assert _post(client, world).status_code == 302
