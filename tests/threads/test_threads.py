"""Le fil du livret (issue 25, item 3): who reads and writes a learner's thread, what a message
may be about, who is notified, the read marks, and the history of a message."""

import datetime
import re

import pytest
from django.urls import reverse

from livret.notifications.models import Notification
from livret.periods.models import Period
from livret.referentiels.models import Competence
from livret.threads import services
from livret.threads.models import Message, ReadMark
from tests.worker import run_worker

D = datetime.date


def thread_url(learner):
    return reverse("thread", args=[learner.pk])


def post_url(learner):
    return reverse("thread_post", args=[learner.pk])


def write(client, user, learner, text, about=""):
    client.force_login(user)
    return client.post(post_url(learner), {"text": text, "about": about})


# --- who reads, who writes ------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, read, write_status",
    [
        ("learner1", 200, 302),  # the learner himself
        ("trainer_a", 200, 302),  # a trainer of his cohort
        ("trainer_a2", 200, 302),  # the other trainer of his cohort
        ("tutor_x", 200, 302),  # his tutor
        ("manager_a", 200, 403),  # his centre's manager reads, does not write
        ("learner2", 404, 404),  # another learner of the same cohort
        ("tutor_y", 404, 404),  # the tutor of another company of the same centre
        ("manager_b", 404, 404),  # another centre's manager
        ("trainer_b", 404, 404),  # another centre's trainer
        ("admin", 404, 404),  # the platform administrator (he has the admin site)
        ("nobody", 404, 404),  # an account without a role
    ],
)
def test_who_reads_and_who_writes(client, world, role, read, write_status):
    learner = world.learner1
    client.force_login(world.users[role])
    assert client.get(thread_url(learner)).status_code == read
    response = client.post(post_url(learner), {"text": f"Bonjour de {role}"})
    assert response.status_code == write_status
    written = Message.objects.filter(learner=learner, text=f"Bonjour de {role}").exists()
    assert written == (write_status == 302)


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_the_login(client, world):
    response = client.get(thread_url(world.learner1))
    assert response.status_code == 302 and "connexion" in response["Location"]
    assert client.post(post_url(world.learner1), {"text": "x"}).status_code == 302
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_the_three_parties_read_each_other(client, world):
    learner, u = world.learner1, world.users
    write(client, u["learner1"], learner, "Je ne comprends pas la consigne de la ronde.")
    write(client, u["tutor_x"], learner, "On la reprend ensemble demain matin.")
    write(client, u["trainer_a"], learner, "Je passe le voir jeudi.")
    for reader in ("learner1", "tutor_x", "trainer_a", "manager_a"):
        client.force_login(u[reader])
        page = client.get(thread_url(learner)).content.decode()
        for text in ("la consigne de la ronde", "ensemble demain matin", "le voir jeudi"):
            assert text in page, (reader, text)
    roles = list(Message.objects.order_by("pk").values_list("author_role", flat=True))
    assert roles == [Message.LEARNER, Message.TUTOR, Message.TRAINER]
    # The manager reads but is offered no form.
    client.force_login(u["manager_a"])
    page = client.get(thread_url(learner)).content.decode()
    assert post_url(learner) not in page and "Vous lisez ce fil" in page


# --- the message itself ---------------------------------------------------------------------
@pytest.mark.django_db
def test_text_is_trimmed_required_and_bounded(client, world):
    learner, u = world.learner1, world.users
    assert write(client, u["learner1"], learner, "   \n  ").status_code == 400
    response = write(client, u["learner1"], learner, "x" * 2001)
    assert response.status_code == 400
    page = response.content.decode()
    assert "2000 caractères au plus" in page and 'aria-invalid="true"' in page
    assert not Message.objects.exists()
    assert write(client, u["learner1"], learner, "  Bonjour  \n").status_code == 302
    assert Message.objects.get().text == "Bonjour"
    assert write(client, u["learner1"], learner, "é" * 2000).status_code == 302


@pytest.mark.django_db
def test_a_message_may_be_about_his_competence_situation_or_period(client, world):
    learner, u = world.learner1, world.users
    period = Period.objects.create(
        learner=learner, company=learner.company, start=D(2026, 1, 5), end=D(2026, 1, 30)
    )
    for about in (
        f"competence:{world.competence.pk}",
        f"situation:{world.situation.pk}",
        f"period:{period.pk}",
    ):
        assert write(client, u["trainer_a"], learner, f"Sur {about}", about).status_code == 302
    m1, m2, m3 = Message.objects.order_by("pk")
    assert m1.competence == world.competence and not (m1.situation or m1.period)
    assert m2.situation == world.situation and m3.period == period
    client.force_login(u["learner1"])
    page = client.get(thread_url(learner)).content.decode()
    assert "À propos de la compétence" in page and "« Ronde »" in page
    assert "À propos de la période" in page


@pytest.mark.django_db
def test_another_learners_objects_are_never_a_subject(client, world, mos):
    learner, u = world.learner1, world.users
    from livret.competences.models import Situation

    other_situation = Situation.objects.create(
        learner=world.learner2,
        occurred_on=D(2026, 4, 2),
        place="Ailleurs",
        title="Pas la sienne",
        description="…",
        created_by=u["learner2"],
    )
    other_period = Period.objects.create(
        learner=world.learner_b,
        company=world.learner1.company,
        start=D(2026, 1, 5),
        end=D(2026, 1, 30),
    )
    # A competence of another référentiel than his cohort's.
    from livret.referentiels.loader import default_files, load_files

    load_files(default_files())
    foreign = Competence.objects.exclude(referentiel=learner.cohort.referentiel).first()
    for about in (
        f"situation:{other_situation.pk}",
        f"period:{other_period.pk}",
        f"competence:{foreign.pk}",
        "competence:999999",
        "pas-un-sujet",
    ):
        response = write(client, u["trainer_a"], learner, "Sur un objet d'ailleurs", about)
        assert response.status_code == 400, about
        assert (
            "Choisissez une compétence, une situation ou une période" in response.content.decode()
        )
    assert not Message.objects.exists()
    # The service refuses it too, whoever calls it.
    with pytest.raises(services.ValidationError):
        services.post_message(learner, u["trainer_a"], "Direct", ("situation", other_situation))
    with pytest.raises(services.ValidationError):
        services.post_message(learner, u["trainer_a"], "Direct", ("competence", foreign))
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_a_message_is_never_edited_and_its_history_is_kept(world):
    msg = services.post_message(world.learner1, world.users["tutor_x"], "Première version")
    assert msg.history.count() == 1
    assert msg.history.get().text == "Première version"
    from django.urls import NoReverseMatch

    for name in ("thread_edit", "thread_message_edit", "thread_delete"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[msg.pk])


# --- notifications ----------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_each_message_notifies_the_other_parties_not_the_writer(world, smtp):
    u, learner = world.users, world.learner1
    for name in ("learner1", "tutor_x", "trainer_a", "trainer_a2", "manager_a"):
        u[name].email = f"{name}@exemple.fr"
        u[name].save()
    services.post_message(learner, u["tutor_x"], "Pensez à la main courante.")
    notified = set(
        Notification.objects.filter(kind="thread").values_list("recipient__username", flat=True)
    )
    assert notified == {"learner1", "trainer_a", "trainer_a2"}
    services.post_message(learner, u["learner1"], "C'est fait.")
    notified = list(
        Notification.objects.filter(kind="thread", title__contains="Learner1")
        .order_by("pk")
        .values_list("recipient__username", flat=True)
    )
    assert sorted(notified[3:]) == ["trainer_a", "trainer_a2", "tutor_x"]
    # The e-mails (immediate by default) go to the parties, never to the writer or the manager.
    assert smtp.messages == []  # sent by the worker, once the message is committed
    run_worker()
    to = sorted(m["To"] for m in smtp.messages)
    assert to == sorted(
        [
            "learner1@exemple.fr",
            "trainer_a@exemple.fr",
            "trainer_a2@exemple.fr",
            "trainer_a@exemple.fr",
            "trainer_a2@exemple.fr",
            "tutor_x@exemple.fr",
        ]
    )
    assert not smtp.to("manager_a@exemple.fr")
    mail = smtp.to("learner1@exemple.fr")[0]
    assert "Pensez à la main courante." in mail.get_content()
    assert f"/livrets/{learner.pk}/fil/" in mail.get_content()


@pytest.mark.django_db
def test_opening_the_thread_reads_its_notifications(client, world):
    u, learner = world.users, world.learner1
    services.post_message(learner, u["tutor_x"], "Un mot.")
    n = Notification.objects.get(recipient=u["learner1"], kind="thread")
    assert n.read_at is None
    client.force_login(u["learner1"])
    client.get(thread_url(learner))
    n.refresh_from_db()
    assert n.read_at is not None


# --- read marks and the unread count --------------------------------------------------------
@pytest.mark.django_db
def test_read_marks_per_reader_and_the_unread_count_on_the_links(client, world):
    u, learner = world.users, world.learner1
    services.post_message(learner, u["tutor_x"], "Un")
    services.post_message(learner, u["trainer_a"], "Deux")

    def badge(user, url):
        """The unread count a person reads on the thread link of a page (0 if none)."""
        client.force_login(user)
        page = client.get(url).content.decode()
        found = re.findall(r'>(\d+)<span class="visually-hidden"> messages? non lus?', page)
        return int(found[0]) if found else 0

    livret = reverse("livret", args=[learner.pk])
    assert badge(u["learner1"], reverse("learner_home")) == 2
    assert badge(u["learner1"], livret) == 2
    assert badge(u["tutor_x"], reverse("tutor_home")) == 1  # his own does not count
    assert badge(u["trainer_a"], livret) == 0  # he wrote after the tutor: he had read it
    assert badge(u["trainer_a2"], livret) == 2
    assert badge(u["manager_a"], livret) == 2
    # The learner reads the thread: his count falls to zero, the others' do not move.
    client.force_login(u["learner1"])
    page = client.get(thread_url(learner)).content.decode()
    assert 'id="nouveaux"' in page  # where the new messages start
    assert badge(u["learner1"], reverse("learner_home")) == 0
    assert badge(u["tutor_x"], reverse("tutor_home")) == 1
    mark = ReadMark.objects.get(learner=learner, user=u["learner1"])
    assert mark.read_up_to == Message.objects.latest("pk").pk
    # Read again: no "new" divider any more.
    client.force_login(u["learner1"])
    page = client.get(thread_url(learner)).content.decode()
    assert 'id="nouveaux"' not in page
    # Writing is reading: the writer's mark moves to his message.
    services.post_message(learner, u["tutor_x"], "Trois")
    assert badge(u["tutor_x"], reverse("tutor_home")) == 0
    assert badge(u["learner1"], reverse("learner_home")) == 1


@pytest.mark.django_db
def test_the_homes_and_the_livret_show_whom_to_reach(client, world):
    u, learner = world.users, world.learner1
    u["trainer_a"].email = "julien.petit@cfa.example"
    u["trainer_a"].save()
    u["tutor_x"].email = "karim@vigilis.example"
    u["tutor_x"].save()
    client.force_login(u["learner1"])
    page = client.get(reverse("learner_home")).content.decode()
    assert "Vos interlocuteurs" in page
    assert "Trainer_a Test" in page and "Trainer_a2 Test" in page
    assert 'href="mailto:julien.petit@cfa.example"' in page
    assert "Tutor_x Test (Entreprise X)" in page and "mailto:karim@vigilis.example" in page
    assert thread_url(learner) in page
    client.force_login(u["tutor_x"])
    page = client.get(reverse("tutor_home")).content.decode()
    assert "mailto:julien.petit@cfa.example" in page and thread_url(learner) in page
    assert thread_url(world.learner2) not in page  # not his apprentice
    # The platform administrator sees the livret, the contacts, but no thread link.
    client.force_login(u["admin"])
    page = client.get(reverse("livret", args=[learner.pk])).content.decode()
    assert "Trainer_a Test" in page and thread_url(learner) not in page


@pytest.mark.django_db
def test_older_messages_are_one_link_away(client, world):
    from livret.threads import queries

    u, learner = world.users, world.learner1
    for i in range(queries.PAGE + 3):
        services.post_message(learner, u["trainer_a"], f"Message numéro {i:03d}")
    client.force_login(u["learner1"])
    page = client.get(thread_url(learner)).content.decode()
    assert "Message numéro 000" not in page and f"Message numéro {queries.PAGE + 2:03d}" in page
    older = Message.objects.order_by("pk")[3].pk
    assert f"?avant={older}" in page
    page = client.get(thread_url(learner) + f"?avant={older}").content.decode()
    assert "Message numéro 000" in page and "Message numéro 003" not in page
    assert client.get(thread_url(learner) + "?avant=abc").status_code == 400


# --- preferences: the thread's kind for those it can notify ---------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, listed",
    [
        ("learner1", True),
        ("tutor_x", True),
        ("trainer_a", True),
        ("manager_a", False),  # reads the threads, writes in none, is never notified
    ],
)
def test_preferences_offer_the_thread_to_its_parties_only(client, world, role, listed):
    client.force_login(world.users[role])
    page = client.get(reverse("notification_preferences")).content.decode()
    assert ("Un message dans le fil du livret" in page) == listed


@pytest.mark.django_db
def test_a_message_never_notifies_the_manager(client, world):
    write(client, world.users["tutor_x"], world.learner1, "Bonjour à tous")
    assert not Notification.objects.filter(recipient=world.users["manager_a"]).exists()


# --- « écrire à ce sujet » ------------------------------------------------------------------
@pytest.mark.django_db
def test_write_about_a_situation_a_competence_or_a_period_prefills_the_subject(client, world):
    learner = world.learner1
    period = Period.objects.create(
        learner=learner, company=learner.company, start=D(2026, 1, 5), end=D(2026, 1, 30)
    )
    pages = {
        "situation": (reverse("situation_detail", args=[world.situation.pk]), world.situation),
        "competence": (
            reverse("history", args=[learner.pk, world.competence.pk]),
            world.competence,
        ),
        "period": (reverse("period_review", args=[learner.pk, period.pk]), period),
    }
    for role in ("tutor_x", "learner1", "trainer_a"):
        client.force_login(world.users[role])
        for kind, (url, obj) in pages.items():
            page = client.get(url).content.decode()
            link = re.search(r'href="([^"]*)">Écrire à ce sujet dans le fil du livret<', page)
            assert link, (role, kind)
            target = link.group(1).replace("&amp;", "&")
            assert target == f"{thread_url(learner)}?sujet={kind}:{obj.pk}#ecrire"
            thread = client.get(target).content.decode()
            assert re.search(rf'<option value="{kind}:{obj.pk}"[^>]*selected', thread), (role, kind)
    # The manager reads the thread but writes in none: no such link for him.
    client.force_login(world.users["manager_a"])
    for url, _ in pages.values():
        assert "Écrire à ce sujet" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_an_empty_message_is_said_beside_the_text_through_web_forms(client, world):
    """Issue 25, item 8: the message form through web/forms — the error beside the text
    (aria-invalid, aria-describedby naming it and the help), the summary linking to it."""
    import re

    learner, u = world.learner1, world.users
    response = write(client, u["learner1"], learner, "  ")
    page = response.content.decode()
    assert response.status_code == 400
    assert re.search(r'<ul[^>]*id="id_text_error"[^>]*>.*?Écrivez votre message', page, re.S)
    control = re.search(r'<textarea[^>]*id="id_text"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in control
    assert 'aria-describedby="id_text_helptext id_text_error"' in control
    assert 'href="#id_text"' in page and 'id="id_text_helptext"' in page
