"""The situation's forms (issue 25, items 4 and 8): the declaration's competences grouped by bloc
with a search box, every error beside its field as well as in the summary, values kept, nothing
saved; a situation dated inside the training only (not before it began, not in the future); the
trainer's conversion with one level for all, changeable line by line."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from livret.competences import services
from livret.competences.models import CompetenceEvaluation, Situation
from livret.engine import dates
from livret.referentiels.models import Bloc, Competence

D = datetime.date


# --- the rule: a day lived in company lies inside the training ------------------------------
TODAY = D(2026, 12, 5)


@pytest.mark.parametrize(
    "contract_start, start_year, day, error",
    [
        # The contract's first day is the training's when the centre typed it.
        (D(2025, 9, 1), 2025, D(2025, 9, 1), None),
        (D(2025, 9, 1), 2025, D(2025, 8, 31), "précède le début du contrat ou de la convention"),
        (D(2025, 9, 1), 2025, D(1900, 1, 1), "(01/09/2025)"),
        # Else only the cohort's first year is known: from its 1 January.
        (None, 2025, D(2025, 1, 1), None),
        (None, 2025, D(2024, 12, 31), "promotion commencée en 2025"),
        # Never in the future, whatever the training.
        (None, 2025, TODAY, None),
        (None, 2025, TODAY + datetime.timedelta(days=1), "dans le futur"),
    ],
)
def test_a_lived_day_lies_inside_the_training(contract_start, start_year, day, error):
    t = dates.training(contract_start, None, start_year, 2)
    said = dates.lived_day_error(day, TODAY, t)
    assert (said is None) if error is None else (error in said)


@pytest.mark.parametrize(
    "start, end, errors",
    [
        (D(2025, 9, 1), D(2025, 12, 19), set()),
        (D(2025, 8, 1), D(2025, 12, 19), {"start"}),
        (D(2027, 6, 1), D(2027, 9, 30), {"end"}),  # after the contract's last day
        (D(1900, 1, 1), D(2030, 1, 1), {"start", "end"}),
    ],
)
def test_a_period_lies_inside_the_training(start, end, errors):
    t = dates.training(D(2025, 9, 1), D(2027, 8, 31), 2025, 2)
    assert set(dates.period_errors(start, end, t)) == errors


def test_without_a_contract_a_period_ends_with_the_cohorts_last_possible_year():
    # Begun in 2025 (perhaps in September) for two years: 2027 is still the training's.
    t = dates.training(None, None, 2025, 2)
    assert dates.period_errors(D(2027, 5, 1), D(2027, 12, 31), t) == {}
    assert "31/12/2027" in dates.period_errors(D(2027, 5, 1), D(2028, 1, 1), t)["end"]


@given(
    contract=st.one_of(st.none(), st.dates(D(2000, 1, 1), D(2030, 12, 31))),
    year=st.integers(2000, 2030),
    day=st.dates(D(1900, 1, 1), D(2035, 12, 31)),
    today=st.dates(D(2000, 1, 1), D(2035, 12, 31)),
)
def test_a_day_is_refused_exactly_when_outside_first_day_to_today(contract, year, day, today):
    t = dates.training(contract, None, year, 2)
    first = contract or D(year, 1, 1)
    assert (dates.lived_day_error(day, today, t) is None) == (first <= day <= today)


# --- the declaration's page -----------------------------------------------------------------
def _data(world, **changes):
    return {
        "occurred_on": "2026-04-02",
        "place": "Chantier Nord",
        "title": "Ronde de nuit",
        "description": "J'ai préparé la ronde.",
        "competences": [world.competence.pk],
        **changes,
    }


@pytest.mark.django_db
def test_the_competences_come_by_bloc_with_a_search_box(client, world):
    client.force_login(world.users["learner1"])
    page = client.get(reverse("situation_new", args=[world.learner1.pk])).content.decode()
    blocs = Bloc.objects.filter(referentiel=world.ref, competences__isnull=False).distinct()
    assert blocs.exists()
    for bloc in blocs:
        assert f"{bloc.code} — " in page
    assert page.count('class="competence-bloc') >= blocs.count()
    assert 'data-filter=".competence-choice"' in page and 'type="search"' in page
    # Each box once, all of the référentiel's.
    boxes = re.findall(r'name="competences" value="(\d+)"', page)
    assert len(boxes) == len(set(boxes)) == Competence.objects.filter(referentiel=world.ref).count()


@pytest.mark.django_db
def test_an_empty_declaration_says_every_problem_beside_its_field(client, world):
    client.force_login(world.users["learner1"])
    url = reverse("situation_new", args=[world.learner1.pk])
    before = Situation.objects.count()
    response = client.post(url, {"place": "Chantier Nord"})
    assert response.status_code == 400 and Situation.objects.count() == before
    page = response.content.decode()
    for name in ("occurred_on", "title", "description", "competences"):
        assert f'id="id_{name}_error"' in page, name  # beside the field
        assert f'href="#id_{name}"' in page, name  # and in the summary, linked to it
    for name in ("occurred_on", "title", "description"):
        control = re.search(rf'<[^>]*name="{name}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in control and f"id_{name}_error" in control
    assert "Cochez au moins une compétence mobilisée." in page
    assert 'value="Chantier Nord"' in page  # what was typed is kept
    assert "This field" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day, message",
    [
        ("1900-01-01", "Cette date précède le début du contrat ou de la convention (01/09/2025)."),
        ("2025-08-31", "Cette date précède le début du contrat ou de la convention (01/09/2025)."),
        (None, "Une situation vécue ne peut pas être datée dans le futur."),
    ],
)
def test_a_situation_dated_outside_the_training_is_refused_beside_the_date(
    client, world, day, message
):
    learner = world.learner1
    learner.contract_start = D(2025, 9, 1)
    learner.save()
    day = day or (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    client.force_login(world.users["learner1"])
    response = client.post(
        reverse("situation_new", args=[learner.pk]), _data(world, occurred_on=day)
    )
    assert response.status_code == 400
    page = response.content.decode()
    beside = page.split('id="id_occurred_on_error"')[1].split("</ul>")[0]
    assert message.replace("'", "&#x27;") in beside
    assert f'value="{day}"' in page
    assert not Situation.objects.filter(title="Ronde de nuit").exists()
    # The contract's first day itself is fine.
    ok = client.post(
        reverse("situation_new", args=[learner.pk]), _data(world, occurred_on="2025-09-01")
    )
    assert ok.status_code == 302


# --- the trainer's conversion, line by line ---------------------------------------------------
@pytest.mark.django_db
def test_a_situation_is_turned_with_one_level_per_competence(client, world):
    other = Competence.objects.filter(referentiel=world.ref).exclude(pk=world.competence.pk)[0]
    third = Competence.objects.filter(referentiel=world.ref).exclude(
        pk__in=[world.competence.pk, other.pk]
    )[0]
    situation = world.situation
    situation.competences.set([world.competence, other, third])
    services.validate_situation(situation, world.users["tutor_x"])
    client.force_login(world.users["trainer_a"])
    page = client.get(reverse("situation_detail", args=[situation.pk])).content.decode()
    for c in (world.competence, other, third):
        assert f'name="level_{c.pk}"' in page and c.title[:30] in page
    response = client.post(
        reverse("situation_evaluate", args=[situation.pk]),
        {"level": "in_progress", f"level_{other.pk}": "acquired", f"level_{third.pk}": ""},
    )
    assert response.status_code == 302
    levels = dict(
        CompetenceEvaluation.objects.filter(situation=situation).values_list(
            "competence_id", "level"
        )
    )
    assert levels == {
        world.competence.pk: "in_progress",  # the level for all
        other.pk: "acquired",  # its own
        third.pk: "in_progress",  # « comme ci-dessus »
    }


@pytest.mark.django_db
def test_a_bad_line_level_turns_nothing(client, world):
    situation = world.situation
    services.validate_situation(situation, world.users["tutor_x"])
    client.force_login(world.users["trainer_a"])
    response = client.post(
        reverse("situation_evaluate", args=[situation.pk]),
        {"level": "acquired", f"level_{world.competence.pk}": "excellent"},
        follow=True,
    )
    assert not CompetenceEvaluation.objects.filter(situation=situation).exists()
    assert "Sélectionnez un choix valide" in response.content.decode()
