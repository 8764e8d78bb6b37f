"""The thread is the learner's data: exported with it, carried by the centre's archive (and
restored whole, past versions and read marks included), scrubbed by anonymisation."""

import datetime
import json

import pytest
from django.core.management import call_command

from livret.ops import rights
from livret.ops.archive import export_archive, restore_archive
from livret.people.models import Organisation
from livret.threads import services
from livret.threads.models import Message, ReadMark

D = datetime.date


def _thread(world):
    u, learner = world.users, world.learner1
    services.post_message(
        learner,
        u["learner1"],
        "Learner1 demande : la ronde de nuit ?",
        ("situation", world.situation),
    )
    services.post_message(learner, u["tutor_x"], "Oui, avec Tutor_x, jeudi.")
    services.post_message(
        learner, u["trainer_a"], "Voir la compétence.", ("competence", world.competence)
    )
    # Another centre's thread, which centre A's archive must not carry.
    services.post_message(world.learner_b, u["trainer_b"], "Message du centre B")


@pytest.mark.django_db
def test_the_export_carries_his_thread(world):
    _thread(world)
    data = rights.export_learner(world.learner1)
    rows = data["thread_messages"]
    assert [r["text"] for r in rows] == [
        "Learner1 demande : la ronde de nuit ?",
        "Oui, avec Tutor_x, jeudi.",
        "Voir la compétence.",
    ]
    assert [r["author_role"] for r in rows] == ["learner", "tutor", "trainer"]
    assert rows[0]["situation"] and rows[2]["competence"].startswith("A1.2C3")
    assert "Message du centre B" not in json.dumps(data)


@pytest.mark.django_db(transaction=True)
def test_the_centre_archive_carries_the_thread_and_restores_it(world):
    _thread(world)
    centre = Organisation.objects.get(name="CFA A")

    def snapshot():
        return (
            list(
                Message.objects.order_by("pk").values(
                    "pk",
                    "learner_id",
                    "author_id",
                    "author_role",
                    "text",
                    "competence_id",
                    "situation_id",
                    "period_id",
                    "created_at",
                )
            ),
            list(Message.history.order_by("history_id").values("id", "text", "history_user_id")),
            list(ReadMark.objects.order_by("pk").values("learner_id", "user_id", "read_up_to")),
        )

    Message.objects.filter(learner=world.learner_b).delete()  # keep only what A's archive holds
    ReadMark.objects.filter(learner=world.learner_b).delete()
    services.post_message(world.learner_b, world.users["trainer_b"], "Message du centre B")
    archive = export_archive(centre)
    text = json.dumps(archive, ensure_ascii=False)
    labels = {r["model"] for r in archive["records"]}
    assert {"threads.message", "threads.historicalmessage", "threads.readmark"} <= labels
    assert "Message du centre B" not in text and "Oui, avec Tutor_x, jeudi." in text
    Message.objects.filter(learner=world.learner_b).delete()
    Message.history.filter(learner_id=world.learner_b.pk).delete()
    ReadMark.objects.filter(learner=world.learner_b).delete()
    before = snapshot()
    assert len(before[0]) == 3 and len(before[2]) == 3

    call_command("flush", interactive=False, verbosity=0)
    assert not Message.objects.exists()
    restore_archive(json.loads(json.dumps(archive)))
    assert snapshot() == before


@pytest.mark.django_db
def test_anonymisation_scrubs_the_words_and_keeps_the_count(world):
    _thread(world)
    learner = world.learner1
    ids = list(Message.objects.filter(learner=learner).values_list("pk", flat=True))
    rights.anonymise(learner, D(2033, 1, 1))
    assert set(Message.objects.filter(pk__in=ids).values_list("text", flat=True)) == {
        "Message anonymisé"
    }
    assert set(Message.history.filter(id__in=ids).values_list("text", flat=True)) == {
        "Message anonymisé"
    }
    assert not ReadMark.objects.filter(learner=learner).exists()
    dump = json.dumps(rights.export_learner(learner), ensure_ascii=False)
    for words in ("ronde de nuit", "Tutor_x, jeudi", "Voir la compétence"):
        assert words not in dump
    # Another learner's thread is untouched.
    assert Message.objects.get(learner=world.learner_b).text == "Message du centre B"
