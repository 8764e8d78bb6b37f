"""Ruptures, référents and the référent's contacts leave with the centre's archive and come back
whole, travel in the learner's personal-data export, and are scrubbed by anonymisation."""

import datetime
import json

import pytest
from django.core import serializers
from django.core.management import call_command

from livret.ops.archive import export_archive, restore_archive
from livret.ops.rights import anonymise, export_learner
from livret.people.models import Learner, Profile
from livret.periods import services
from livret.periods.models import Contract, Period, PeriodContact, Rupture

D = datetime.date
MODELS = (Rupture, Rupture.history.model, PeriodContact, PeriodContact.history.model)


def _data(w):
    learner = w.learner1
    learner.referent = w.users["trainer_a2"]
    learner.save()
    Profile.objects.filter(user=w.users["tutor_x"]).update(diploma="BTS MOS", experience_years=7)
    contract = Contract.objects.create(
        learner=learner,
        kind=Contract.APPRENTICESHIP,
        company=learner.company,
        start=D(2025, 9, 1),
        end=D(2027, 8, 31),
    )
    period = Period.objects.create(
        learner=learner,
        kind=Period.PFMP,
        company=w.learner2.company,
        start=D(2026, 11, 2),
        end=D(2026, 12, 18),
        referent=w.users["trainer_a"],
    )
    services.record_rupture(contract, w.users["manager_a"], D(2026, 6, 10), "agreement", "Motif A")
    contact = PeriodContact(period=period, day=D(2026, 11, 20), mode="phone", note="Tout va bien.")

    class Form:
        def save(self, commit):
            return contact

    services.record_contact(period, Form(), w.users["trainer_a"])
    return learner, contract, period


def _rows(model):
    return json.loads(serializers.serialize("json", model.objects.order_by("pk")))


@pytest.mark.django_db(transaction=True)
def test_archive_round_trip_carries_ruptures_referents_and_contacts(world):
    w = world
    learner, contract, period = _data(w)
    before = {m._meta.label: _rows(m) for m in MODELS}
    assert all(before.values())
    archive = export_archive(learner.centre)
    call_command("flush", interactive=False, verbosity=0)
    restore_archive(json.loads(json.dumps(archive)))
    assert {m._meta.label: _rows(m) for m in MODELS} == before
    restored = Learner.objects.get(pk=learner.pk)
    assert restored.referent.username == "trainer_a2"
    assert Period.objects.get(pk=period.pk).referent.username == "trainer_a"
    assert (
        Profile.objects.filter(user__username="tutor_x")
        .values_list("diploma", "experience_years")
        .get()
    ) == ("BTS MOS", 7)


def test_personal_data_export_and_anonymisation(world):
    w = world
    learner, contract, period = _data(w)
    data = export_learner(learner)
    (rupture,) = data["contract_ruptures"]
    assert (rupture["date"], rupture["initiative"], rupture["reason"]) == (
        "2026-06-10",
        "agreement",
        "Motif A",
    )
    assert [c["note"] for c in data["period_contacts"]] == ["Tout va bien."]
    assert data["learner"][0]["referent"] is not None
    anonymise(learner, today=D(2040, 1, 1))
    r = Rupture.objects.get()
    assert r.reason == "" and r.date == D(2026, 6, 10)  # the fact stays for the rupture rate
    assert PeriodContact.objects.get().note == ""
    assert not Rupture.history.exclude(reason="").exists()
    assert not PeriodContact.history.exclude(note="").exists()
