"""Contract ruptures (issue 22, item 6): the six months of Code du travail L6222-18-2 /
L6231-2 5°, the form on the contract, « sans employeur », the stored alert, the rupture rate."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from livret.engine import ruptures
from livret.periods import alerts, services
from livret.periods.models import Contract, LearnerAlert, Rupture

D = datetime.date


# --- the engine, from the texts ----------------------------------------------------------------
@pytest.mark.parametrize(
    "rupture, until",
    [
        # « pendant six mois » from the rupture: the day before the same date six months on
        (D(2026, 1, 15), D(2026, 7, 14)),
        (D(2026, 8, 31), D(2027, 2, 27)),  # 28 February 2027 has no 31: the last day, less one
        (D(2026, 9, 1), D(2027, 2, 28)),
        (D(2027, 8, 31), D(2028, 2, 28)),  # leap year: 29 February 2028 is the six months' day
    ],
)
def test_six_months_window(rupture, until):
    assert ruptures.kept_until(rupture) == until


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)))
def test_six_months_are_between_181_and_184_days(day):
    days = (ruptures.kept_until(day) - day).days + 1
    assert 178 <= days <= 184
    assert ruptures.kept_until(day) > day


def test_alert_as_the_end_nears_and_once_over_not_after_a_new_contract():
    r = D(2026, 1, 15)  # kept until 14/07/2026
    assert ruptures.alert(r, D(2026, 6, 1), None) is None  # 43 days left: not yet
    assert "se terminent le 14/07/2026 (30 jour(s))" in ruptures.alert(r, D(2026, 6, 14), None)
    assert "se sont terminés le 14/07/2026" in ruptures.alert(r, D(2026, 7, 15), None)
    assert ruptures.alert(r, D(2026, 7, 15), D(2026, 3, 1)) is None  # a new employer


def test_check_names_every_problem_at_once():
    errors = ruptures.check("nope", D(2027, 1, 1), D(2026, 9, 1), D(2028, 8, 31), D(2026, 12, 5))
    assert set(errors) == {"initiative", "date"}
    assert "à venir" in errors["date"]
    assert ruptures.check("agreement", D(2026, 8, 1), D(2026, 9, 1), D(2028, 8, 31), D(2026, 12, 5))


def test_trial_warning_past_45_days_in_company():
    assert ruptures.trial_warning(ruptures.TRIAL_EMPLOYER, 45) == ""
    assert "46 jours" in ruptures.trial_warning(ruptures.TRIAL_APPRENTICE, 46)
    assert ruptures.trial_warning(ruptures.AGREEMENT, 200) == ""


def test_rates_per_cohort_and_year():
    rows = [
        ruptures.Row("A", 2025, True),
        ruptures.Row("A", 2025, False),
        ruptures.Row("A", 2025, False),
        ruptures.Row("A", 2026, False),
        ruptures.Row("B", 2025, True),
    ]
    got = {(r.cohort, r.year): (r.contracts, r.broken, r.percent) for r in ruptures.rates(rows)}
    assert got == {
        ("A", 2025): (3, 1, "33,3 %"),
        ("A", 2026): (1, 0, "0,0 %"),
        ("B", 2025): (1, 1, "100,0 %"),
    }


# --- the service and the pages ------------------------------------------------------------------
@pytest.fixture
def contract(world):
    learner = world.learner1
    return Contract.objects.create(
        learner=learner,
        kind=Contract.APPRENTICESHIP,
        company=learner.company,
        start=D(2025, 9, 1),
        end=D(2027, 8, 31),
    )


def test_manager_records_a_rupture_the_apprentice_stays_without_employer(client, world, contract):
    client.force_login(world.users["manager_a"])
    url = f"/contrats/{contract.pk}/rupture/"
    assert "Enregistrer la rupture" in client.get(url).content.decode()
    # Bad input: every problem at once, what was typed kept, nothing saved.
    page = client.post(url, {"date": "2030-01-01", "initiative": "", "reason": ""})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Ce champ est obligatoire." in html and "2030-01-01" in html
    assert not Rupture.objects.exists()
    page = client.post(
        url, {"date": "2026-06-10", "initiative": "agreement", "reason": "Déménagement"}
    )
    assert page.status_code == 302
    rupture = Rupture.objects.get(contract=contract)
    assert (rupture.date, rupture.recorded_by) == (D(2026, 6, 10), world.users["manager_a"])
    assert rupture.history.first().history_user == world.users["manager_a"]
    world.learner1.refresh_from_db()
    assert world.learner1.company is None and world.learner1.tutor is None
    assert world.learner1.cohort == world.cohort_a  # still enrolled
    html = client.get(url).content.decode()
    assert "jusqu&#x27;au 09/12/2026" in html or "jusqu'au 09/12/2026" in html
    html = client.get(f"/livrets/{world.learner1.pk}/periodes/").content.decode()
    assert "Sans employeur" in html and "rompu le 10/06/2026" in html


def test_other_roles_and_centres_do_not_see_a_contract(client, world, contract):
    for username in ("trainer_a", "tutor_x", "learner1", "manager_b"):
        client.force_login(world.users[username])
        assert client.get(f"/contrats/{contract.pk}/rupture/").status_code == 404
        # The rates page is a manager's: the others do not find it.
        assert client.get("/ruptures/").status_code == (200 if username == "manager_b" else 404)


def test_rupture_alert_is_stored_as_the_six_months_end(world, contract, monkeypatch):
    services.record_rupture(
        contract, world.users["manager_a"], D(2026, 6, 10), "employer", "Faute grave"
    )
    alerts.refresh([world.learner1.pk], D(2026, 11, 20))  # kept until 09/12/2026
    (alert,) = LearnerAlert.objects.filter(learner=world.learner1, kind="rupture")
    assert "se terminent le 09/12/2026 (19 jour(s))" in alert.message
    # A new contract after the rupture: no more alert.
    Contract.objects.create(
        learner=world.learner1,
        kind=Contract.APPRENTICESHIP,
        company=world.learner2.company,
        start=D(2026, 11, 23),
        end=D(2027, 8, 31),
    )
    alerts.refresh([world.learner1.pk], D(2026, 11, 24))
    assert not LearnerAlert.objects.filter(learner=world.learner1, kind="rupture").exists()


def test_rupture_rates_page(client, world, contract):
    other = Contract.objects.create(
        learner=world.learner2,
        kind=Contract.APPRENTICESHIP,
        company=world.learner2.company,
        start=D(2025, 9, 15),
        end=D(2027, 8, 31),
    )
    services.record_rupture(
        other, world.users["manager_a"], D(2025, 10, 1), "trial_apprentice", "x"
    )
    client.force_login(world.users["manager_a"])
    html = client.get("/ruptures/").content.decode()
    assert "MOS A" in html and "50,0 %" in html
    client.force_login(world.users["manager_b"])
    html = client.get("/ruptures/").content.decode()
    assert "MOS A" not in html and "Aucun contrat" in html


def test_the_contracts_list_says_which_are_broken_and_trainers_find_their_questionnaires(
    client, world, contract
):
    services.record_rupture(contract, world.users["manager_a"], D(2026, 6, 10), "employer", "x")
    client.force_login(world.users["manager_a"])
    html = client.get("/centre/contrats/").content.decode()
    assert "Rompu le" in html and ("10 juin 2026" in html or "10/06/2026" in html)
    client.force_login(world.users["trainer_a"])
    assert 'href="/questionnaires/"' in client.get("/promotions/").content.decode()


def test_a_refused_rupture_says_each_error_beside_its_field(client, world, contract):
    """Issue 25, item 8: the rupture's form through web/forms — its errors carried ids
    (id_reason-error) other than the one their control's aria-describedby names."""
    import re

    client.force_login(world.users["manager_a"])
    url = f"/contrats/{contract.pk}/rupture/"
    html = client.post(url, {"date": "", "initiative": "", "reason": ""}).content.decode()
    for field in ("id_date", "id_initiative", "id_reason"):
        control = re.search(rf'<(?:input|select|textarea)[^>]*id="{field}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in control and f"{field}_error" in control, field
        assert f'id="{field}_error"' in html, field  # the element it names exists
        assert f'href="#{field}"' in html, field  # the summary links to it
