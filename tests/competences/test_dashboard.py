"""The manager's dashboard (progress by bloc over time, what waits for whom) and the search for
people, accents ignored, within rights."""

import datetime

from django.urls import reverse

from livret.competences.dashboard import cohort_charts
from livret.competences.models import Situation
from livret.competences.services import record_evaluation
from livret.referentiels.models import Bloc


def test_progress_by_bloc_over_time_counts_what_was_acquired_each_month(world):
    w = world
    bloc = Bloc.objects.filter(referentiel=w.ref, optional=False).order_by("position").first()
    comps = list(bloc.competences.all()[:3])
    for day, comp in zip(
        (datetime.date(2025, 10, 6), datetime.date(2026, 1, 12), datetime.date(2026, 1, 20)),
        comps,
        strict=True,
    ):
        record_evaluation(
            learner=w.learner1,
            competence=comp,
            level="acquired",
            observed_on=day,
            evaluator=w.users["trainer_a"],
        )
    chart = cohort_charts([w.cohort_a], datetime.date(2026, 2, 15))[0]
    series = next(s for s in chart["series"] if s.label == bloc.code)
    size = bloc.competences.count()
    months = [m.strftime("%Y-%m") for m in chart["months"]]
    assert months[0] == "2025-09" and months[-1] == "2026-02"
    expected = {"2025-09": 0, "2025-10": 1, "2026-01": 3, "2026-02": 3}
    for month, acquired in expected.items():
        share = round(100 * acquired / (2 * size), 1)  # two learners in cohort A
        assert series.values[months.index(month)] == share, month


def test_dashboard_page_and_what_waits(client, world):
    Situation.objects.create(
        learner=world.learner2,
        occurred_on=datetime.date(2026, 3, 1),
        place="Site",
        title="Accueil",
        description="…",
        created_by=world.users["learner2"],
    )
    client.force_login(world.users["manager_a"])
    html = client.get(reverse("dashboard")).content.decode()
    assert "Progression des promotions par bloc" in html and "<polyline" in html
    assert "Tutor_x Test : <strong>1</strong> situation, la plus ancienne du 01/04/2026" in html
    assert "Tutor_y Test : <strong>1</strong> situation" in html
    assert "MOS B" not in html
    client.force_login(world.users["trainer_a"])
    assert client.get(reverse("dashboard")).status_code == 404


def test_people_search_ignores_accents_and_stays_within_rights(client, world):
    w = world
    w.learner1.last_name = "Bénali"
    w.learner1.save()
    w.learner_b.last_name = "Benalia"
    w.learner_b.save()
    client.force_login(w.users["manager_a"])
    html = client.get(reverse("people_search"), {"q": "BENALI"}).content.decode()
    assert "Learner1 BÉNALI" in html and "BENALIA" not in html
    html = client.get(reverse("people_search"), {"q": "entreprise x"}).content.decode()
    assert "Entreprise X" in html
    client.force_login(w.users["manager_b"])
    html = client.get(reverse("people_search"), {"q": "benali"}).content.decode()
    assert "Learner_b BENALIA" in html and "BÉNALI" not in html
    client.force_login(w.users["learner1"])
    assert client.get(reverse("people_search"), {"q": "x"}).status_code == 404


def test_chart_coordinates_are_not_localised(client, world):
    client.force_login(world.users["manager_a"])
    html = client.get(reverse("dashboard")).content.decode()
    assert 'y1="150.0"' in html and "150,0" not in html
