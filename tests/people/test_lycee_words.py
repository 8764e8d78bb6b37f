"""Words follow the learner's status (livret.engine.wording): a lycée pupil is an élève and does
PFMP (Code de l'éducation, art. L. 124-1), not an apprenticeship nor a « stage ». On the demo as
installed, the lycée pupil and his PFMP tutor never read « apprenti » or « stage » on the pages
they see — his home, his livret, his PFMP and their review, visits, a situation he declares
(the Bac pro file gives no competences yet: he declares in his own words); the CFA's
apprentice still reads « apprenti »."""

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import strip_tags

from livret.competences.models import Situation
from livret.ops import demo
from livret.people.models import Learner
from livret.referentiels.loader import default_files, load_files

# « période(s) en entreprise » is the apprentice's word: a pupil's is PFMP (issue 25, item 6).
WRONG = re.compile(
    r"\b(apprentie?s?|stages?|maître d'apprentissage|périodes? en entreprise)\b", re.I
)


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(strip_tags(html)))


@pytest.mark.django_db
def test_the_lycee_pupil_and_his_tutor_read_eleve_and_pfmp(client):
    load_files(default_files())
    demo.create(today=datetime.date(2026, 11, 26))
    users = {u.username: u for u in get_user_model().objects.all()}
    pupil = Learner.objects.get(user__username="eleve-lycee")
    assert pupil.status == Learner.SCHOOL
    client.force_login(users["eleve-lycee"])
    declared = client.post(
        reverse("situation_new", args=[pupil.pk]),
        {
            "occurred_on": "2026-11-20",
            "place": "Galerie marchande",
            "title": "Accueil et filtrage",
            "description": "J'ai contrôlé les accès de la réserve avec mon tuteur.",
        },
    )
    assert declared.status_code == 302  # no competence in the Bac pro file: free text only
    situation = Situation.objects.get(learner=pupil, title="Accueil et filtrage")
    period = pupil.periods.order_by("start").first()
    pages = [
        reverse("livret", args=[pupil.pk]),
        reverse("learner_periods", args=[pupil.pk]),
        reverse("period_review", args=[pupil.pk, period.pk]),
        reverse("follow_ups", args=[pupil.pk]),
        reverse("situation_detail", args=[situation.pk]),
        reverse("thread", args=[pupil.pk]),
    ]
    seen = {}
    for who, home in (("eleve-lycee", "learner_home"), ("tuteur-lycee", "tutor_home")):
        client.force_login(users[who])
        for url in [reverse(home), *pages]:
            response = client.get(url)
            assert response.status_code == 200, (who, url)
            text = _text(response)
            seen[(who, url)] = text
            wrong = WRONG.findall(text)
            assert not wrong, (who, url, wrong)
    periods = seen[("eleve-lycee", reverse("learner_periods", args=[pupil.pk]))]
    assert "semaines de PFMP" in periods and "(PFMP)" in periods
    assert "Mes PFMP" in seen[("eleve-lycee", reverse("learner_home"))]
    # His menu names his learners by their status: élèves, or apprenants when they are mixed.
    statuses = set(
        Learner.objects.filter(tutor=users["tuteur-lycee"]).values_list("status", flat=True)
    )
    mine = "Mes élèves" if statuses == {Learner.SCHOOL} else "Mes apprenants"
    assert mine in seen[("tuteur-lycee", reverse("tutor_home"))]
    assert (
        "Renvoyer à l'élève"
        in seen[("tuteur-lycee", reverse("situation_detail", args=[situation.pk]))]
    )
    # His tutor sends it back: the step reads « Renvoyée à l'élève » for both of them.
    client.force_login(users["tuteur-lycee"])
    returned = client.post(
        reverse("situation_validate", args=[situation.pk]),
        {"action": "return", "comment": "Précisez l'heure et le lieu du contrôle."},
        follow=True,
    )
    assert "Situation renvoyée à l'élève" in _text(returned)
    for who in ("eleve-lycee", "tuteur-lycee"):
        client.force_login(users[who])
        text = _text(client.get(reverse("situation_detail", args=[situation.pk])))
        assert "Renvoyée à l'élève" in text and not WRONG.findall(text), who
    # His trainer plans a visit: the message names the PFMP tutor and the pupil.
    client.force_login(users["formateur-lycee"])
    planned = client.post(
        reverse("follow_ups", args=[pupil.pk]),
        {"kind": "visit", "planned_on": "2026-12-10", "mode": "site", "place": "Galerie"},
        follow=True,
    )
    assert "le tuteur de PFMP et l'élève sont prévenus" in _text(planned)
    # The CFA's apprentice keeps his words.
    apprentice = Learner.objects.get(user__username="apprenti")
    assert apprentice.status == Learner.APPRENTICE
    client.force_login(apprentice.user)
    text = _text(client.get(reverse("follow_ups", args=[apprentice.pk])))
    assert "le tuteur et l'apprenti lisent" in text
    assert "Mes périodes en entreprise" in _text(client.get(reverse("learner_home")))
