"""Issue 26, item 8: a centre in Alsace-Moselle or overseas says so, and its alternance calendars
skip its own public holidays."""

import pytest
from django.urls import reverse

from livret.people.models import Organisation


def week_of(page, monday):
    return page.split(f'<th scope="row">{monday}</th>')[1].split("</tr>")[0]


@pytest.mark.django_db
def test_an_alsace_moselle_centre_sees_good_friday_off_and_the_other_centre_does_not(client, world):
    cohort = world.cohort_a
    cohort.rhythm = "CCCCC"
    cohort.save()
    url = reverse("cohort_calendar", args=[cohort.pk])
    client.force_login(world.users["manager_a"])
    # Good Friday 2026 is 3 April (week of 30 March): a working day in the mainland.
    assert week_of(client.get(url).content.decode(), "30/03/2026").count("Férié") == 0
    response = client.post(
        reverse("centre_home"), {**_settings(cohort.centre), "local_holidays": "57"}
    )
    assert response.status_code == 302
    assert Organisation.objects.get(pk=cohort.centre.pk).local_holidays == "57"
    page = client.get(url).content.decode()
    assert week_of(page, "30/03/2026").count("Férié") == 1
    assert week_of(page, "06/04/2026").count("Férié") == 1  # Easter Monday, everywhere
    # The other centre keeps the mainland's.
    other = world.cohort_b
    other.rhythm = "CCCCC"
    other.save()
    client.force_login(world.users["manager_b"])
    page = client.get(reverse("cohort_calendar", args=[other.pk])).content.decode()
    assert week_of(page, "30/03/2026").count("Férié") == 0


def _settings(centre):
    return {
        "name": centre.name,
        "retention_years": centre.retention_years,
        "access_log_days": centre.access_log_days,
    }
