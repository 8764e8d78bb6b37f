"""The accompagnateur (décret n° 2023-1275): chosen by the candidate, he sees his candidates only,
comments their files (the candidate is told), and does nothing else."""

from django.urls import reverse

from livret.notifications.models import Notification
from livret.people.models import Organisation, Profile
from livret.vae.models import Candidacy, GuideComment
from tests.world import make_user

from .test_journey import add_experience


def _world(client, vae, candidate, django_user_model):
    aap = Organisation.objects.create(name="Relais VAE Sud", kind=Organisation.TRAINING_BODY)
    guide = make_user(django_user_model, "accompagnateur", Profile.VAE_GUIDE, aap)
    other_guide = make_user(django_user_model, "autre-accompagnateur", Profile.VAE_GUIDE, aap)
    client.force_login(candidate)
    client.post(reverse("vae_start"), {"offer": vae["offer"].pk})
    c = Candidacy.objects.get(candidate=candidate)
    return guide, other_guide, c


def test_the_candidate_chooses_his_guide_who_comments_and_nothing_more(
    client, vae, candidate, django_user_model
):
    guide, other_guide, c = _world(client, vae, candidate, django_user_model)
    dossier = reverse("vae_dossier", args=[c.pk])
    action = reverse("vae_action", args=[c.pk])
    page = client.get(dossier).content.decode()
    assert "Accompagnateur" in page and "Relais VAE Sud" in page  # the directory
    # A user who is not an accompagnateur cannot be chosen.
    r = client.post(action, {"action": "guide", "guide": vae["staff"].pk}, follow=True)
    assert "Accompagnateur inconnu" in r.content.decode()
    client.post(action, {"action": "guide", "guide": guide.pk})
    c.refresh_from_db()
    assert c.guide == guide
    add_experience(client, c, ["A2.1C1"])

    client.force_login(guide)
    assert "Mes candidats VAE" in client.get(reverse("vae_home")).content.decode()
    assert client.get(dossier).status_code == 200
    client.post(action, {"action": "comment", "text": "Détaillez vos missions d'encadrement."})
    assert GuideComment.objects.get().author == guide
    note = Notification.objects.get(recipient=candidate, kind="vae")
    assert "Détaillez vos missions" in note.body and note.url == dossier
    # He does not edit the candidate's file, nor writes his narrative…
    assert client.get(reverse("vae_experience_new", args=[c.pk])).status_code == 403
    assert client.post(action, {"action": "withdraw"}).status_code == 403
    # …but he may deposit the feasibility file for him (Code du travail, art. R. 6412-3).
    client.post(action, {"action": "submit"})
    c.refresh_from_db()
    assert c.status == Candidacy.SENT
    assert c.events.get().actor == guide

    # Another accompagnateur sees nothing of it.
    client.force_login(other_guide)
    assert client.get(dossier).status_code == 404
    assert client.post(action, {"action": "comment", "text": "x"}).status_code == 404
    assert (
        "Aucun candidat ne vous a encore choisi" in client.get(reverse("vae_home")).content.decode()
    )

    # The candidate reads the comment; he cannot comment as the accompagnateur.
    client.force_login(candidate)
    assert "Détaillez vos missions d&#x27;encadrement." in client.get(dossier).content.decode()
    assert client.post(action, {"action": "comment", "text": "moi"}).status_code == 403
    assert GuideComment.objects.count() == 1


def test_a_guide_left_sees_the_file_no_more(client, vae, candidate, django_user_model):
    guide, _, c = _world(client, vae, candidate, django_user_model)
    action = reverse("vae_action", args=[c.pk])
    client.post(action, {"action": "guide", "guide": guide.pk})
    client.post(action, {"action": "guide", "guide": ""})
    client.force_login(guide)
    assert client.get(reverse("vae_dossier", args=[c.pk])).status_code == 404
