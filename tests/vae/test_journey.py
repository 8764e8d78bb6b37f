"""VAE: every step and every refusal, the rights matrix, the FTE arithmetic."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from livret.engine.vae import coverage, fte_months
from livret.vae import services
from livret.vae.models import Candidacy, Experience, JuryResult, ValidatedBloc
from tests.world import PASSWORD

D = datetime.date
STRONG = "une phrase de passe assez longue"


def test_fte_months():
    assert round(float(fte_months([(D(2024, 1, 1), D(2024, 12, 31), 100)])), 1) == 12.0
    assert round(float(fte_months([(D(2024, 1, 1), D(2024, 12, 31), 50)])), 1) == 6.0
    # Two half-time jobs at once make one full time; two full-time jobs never more than one.
    assert fte_months(
        [(D(2024, 1, 1), D(2024, 6, 30), 50), (D(2024, 1, 1), D(2024, 6, 30), 50)]
    ) == fte_months([(D(2024, 1, 1), D(2024, 6, 30), 100)])
    assert fte_months([(D(2024, 1, 1), D(2024, 6, 30), 100)] * 2) == fte_months(
        [(D(2024, 1, 1), D(2024, 6, 30), 100)]
    )
    assert coverage({"B1": ["a", "b"]}, {"b"}) == {"B1": (["b"], ["a"])}


def test_sign_up_needs_confirmation(client, vae):
    response = client.post(
        reverse("vae_signup"),
        {"first_name": "Sam", "last_name": "Vigier", "email": "Sam@Exemple.fr", "password": STRONG},
    )
    assert response.status_code == 200 and "Confirmez votre adresse" in response.content.decode()
    refused = client.post(reverse("login"), {"username": "sam@exemple.fr", "password": STRONG})
    assert (
        refused.status_code == 200
        and "Identifiant ou mot de passe incorrect" in refused.content.decode()
    )  # inactive until confirmed
    code = re.search(r"/vae/confirmer/#(\S+)", mail.outbox[0].body).group(1)
    assert client.post(reverse("vae_confirm"), {"code": code}).status_code == 302
    client.post(reverse("login"), {"username": "sam@exemple.fr", "password": STRONG})
    assert client.get(reverse("vae_home")).status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"first_name": "A", "last_name": "B", "email": "a@b.fr", "password": "court"},
            "12 caractères",
        ),
        (
            {"first_name": "A", "last_name": "B", "email": "pas-une-adresse", "password": STRONG},
            "adresse de courriel valide",
        ),
    ],
)
def test_sign_up_refusals(client, vae, data, message):
    response = client.post(reverse("vae_signup"), data)
    assert response.status_code == 400 and message in response.content.decode()


def test_bad_or_tampered_confirmation_link(client, vae):
    assert client.post(reverse("vae_confirm"), {"code": "faux-jeton"}).status_code == 400


def add_experience(client, candidacy, mos_codes, **extra):
    from livret.referentiels.models import Competence

    comps = Competence.objects.filter(referentiel=candidacy.offer.referentiel, code__in=mos_codes)
    data = {
        "kind": "salaried",
        "employer": "Vigilis",
        "job_title": "Chef de poste",
        "start": "2022-01-01",
        "end": "2023-06-30",
        "time": "full_time",
        "part_time_percent": 100,
        "description": "Encadrement d'équipe",
        "competences": [c.pk for c in comps],
        **extra,
    }
    return client.post(reverse("vae_experience_new", args=[candidacy.pk]), data)


def test_whole_journey_with_partial_validation(
    client, vae, candidate, django_capture_on_commit_callbacks
):
    client.force_login(candidate)
    client.post(reverse("vae_start"), {"offer": vae["offer"].pk})
    c = Candidacy.objects.get(candidate=candidate)
    assert c.status == Candidacy.DRAFT
    # Submitting an empty dossier is refused.
    client.post(reverse("vae_action", args=[c.pk]), {"action": "submit"})
    c.refresh_from_db()
    assert c.status == Candidacy.DRAFT
    assert add_experience(client, c, ["A2.1C1", "A2.1C2", "A2.1C3", "A1.1C1"]).status_code == 302
    summary = services.summary(c, D(2024, 1, 1))
    assert summary.months == 17.9  # 546 days / 30.44, for information: no minimum since 2022
    b2 = [row for row in summary.blocs if row[0].code == "B2"][0]
    assert b2[1] == ["A2.1C1", "A2.1C2", "A2.1C3"] and len(b2[2]) == 14
    # The page names each competence, not only its code.
    from livret.referentiels.models import Competence

    title = Competence.objects.get(referentiel=c.offer.referentiel, code="A2.1C1").title
    page = client.get(reverse("vae_dossier", args=[c.pk])).content.decode()
    assert f'<span class="code">A2.1C1</span> {escape(title)}' in page
    client.post(reverse("vae_action", args=[c.pk]), {"action": "submit"})
    c.refresh_from_db()
    assert c.status == Candidacy.SENT
    # The candidate cannot edit a submitted dossier nor decide on it.
    assert (
        client.post(
            reverse("vae_action", args=[c.pk]),
            {"action": "admissibility", "decision": "feasibility_admissible"},
        ).status_code
        == 403
    )
    c.refresh_from_db()
    assert c.status == Candidacy.SENT
    # Certifier: "incomplet" needs reasons, then "recevable".
    client.force_login(vae["staff"])
    client.post(
        reverse("vae_action", args=[c.pk]),
        {"action": "admissibility", "decision": "feasibility_incomplete", "reasons": ""},
    )
    c.refresh_from_db()
    assert c.status == Candidacy.SENT
    # (the decision's letter leaves once the decision is committed)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("vae_action", args=[c.pk]),
            {"action": "admissibility", "decision": "feasibility_admissible", "reasons": ""},
        )
    c.refresh_from_db()
    assert c.status == Candidacy.ADMISSIBLE and "recevable" in mail.outbox[-1].body
    # Livret 2, then the jury validates two blocs.
    client.force_login(candidate)
    from livret.referentiels.models import Bloc

    b1, b2 = (
        Bloc.objects.get(referentiel=c.offer.referentiel, code="B1"),
        Bloc.objects.get(referentiel=c.offer.referentiel, code="B2"),
    )
    client.post(
        reverse("vae_action", args=[c.pk]),
        {"action": "narrative", "bloc": b2.pk, "text": "J'ai organisé le service de 12 agents."},
    )
    client.post(
        reverse("vae_action", args=[c.pk]), {"action": "send_validation", "confirm_empty": "1"}
    )
    c.refresh_from_db()
    assert c.status == Candidacy.VALIDATION_SENT
    client.force_login(vae["staff"])
    from livret.vae import jury

    for name, quality in [("Ana Roy", "president"), ("Bo Lin", "professionnel")]:
        jury.add_member(
            c,
            {"name": name, "quality": quality, "qualified": True, "declared_no_link": True},
            vae["staff"],
        )
    sat = list(c.jury_members.values_list("pk", flat=True))
    others = {
        f"rec_kind_{b.pk}": "training"
        for b in Bloc.objects.filter(referentiel=c.offer.referentiel, optional=False).exclude(
            pk__in=[b1.pk, b2.pk]
        )
    }
    decision = reverse("vae_jury_decision", args=[c.pk])
    refused = client.post(
        decision,
        {"step": "confirm", "result": "partial", "jury_date": "2026-13-45", "sat": sat, **others},
    )
    c.refresh_from_db()
    assert c.status == Candidacy.VALIDATION_SENT  # a partial validation names its blocs
    # Each error beside its field: every id an aria-describedby names is on the page (the date's
    # error was id_jury_date-error, its control named id_jury_date_error).
    html = refused.content.decode()
    assert refused.status_code == 400 and 'aria-invalid="true"' in html
    for ids in re.findall(r'aria-describedby="([^"]+)"', html):
        for named in ids.split():
            assert f'id="{named}"' in html, named
    client.post(
        decision,
        {
            "step": "confirm",
            "result": "partial",
            "jury_date": "2026-11-20",
            "blocs": [b1.pk, b2.pk],
            "sat": sat,
            **others,
        },
    )
    c.refresh_from_db()
    assert c.status == Candidacy.JURY_DONE and c.jury_result.result == JuryResult.PARTIAL
    assert set(
        ValidatedBloc.objects.filter(person=candidate).values_list("bloc__code", flat=True)
    ) == {"B1", "B2"}
    # Decision letter and dossier PDFs.
    client.force_login(candidate)
    import io

    from pypdf import PdfReader

    letter = client.get(reverse("vae_decision_pdf", args=[c.pk]))
    text = PdfReader(io.BytesIO(letter.content)).pages[0].extract_text()
    assert "validation partielle" in text and "B2" in text and "Sam Vigier" in text
    dossier = client.get(reverse("vae_dossier_pdf", args=[c.pk]))
    assert "Chef de poste" in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(dossier.content)).pages
    )
    # Partial validations stay on the record and count when he comes back.
    client.post(reverse("vae_start"), {"offer": vae["offer"].pk})
    again = Candidacy.objects.filter(candidate=candidate).exclude(pk=c.pk).get()
    held = {row[0].code for row in services.summary(again).blocs if row[3]}
    assert held == {"B1", "B2"}


def test_withdraw_and_status_refusals(client, vae, candidate):
    client.force_login(candidate)
    client.post(reverse("vae_start"), {"offer": vae["offer"].pk})
    c = Candidacy.objects.get(candidate=candidate)
    with pytest.raises(
        services.ValidationError, match="Impossible de déclarer le dossier recevable"
    ):
        services.decide_admissibility(c, Candidacy.ADMISSIBLE, "", vae["staff"])
    from livret.referentiels.models import Bloc

    with pytest.raises(
        services.ValidationError, match="Impossible de rédiger le dossier de validation"
    ):
        services.save_narrative(
            c, Bloc.objects.get(referentiel=c.offer.referentiel, code="B1"), "trop tôt"
        )
    client.post(reverse("vae_action", args=[c.pk]), {"action": "withdraw"})
    c.refresh_from_db()
    assert c.status == Candidacy.WITHDRAWN
    with pytest.raises(services.ValidationError, match="clos"):
        services.withdraw(c)


def test_experience_form_refusals(client, vae, candidate):
    client.force_login(candidate)
    client.post(reverse("vae_start"), {"offer": vae["offer"].pk})
    c = Candidacy.objects.get(candidate=candidate)
    response = add_experience(client, c, [], start="2023-01-01", end="2022-01-01")
    assert response.status_code == 400 and "La fin précède le début" in response.content.decode()
    response = add_experience(client, c, [], start="2099-01-01", end="")
    assert response.status_code == 400 and "dans le futur" in response.content.decode()
    assert not Experience.objects.exists()


def test_rights_matrix(client, vae, candidate, django_user_model):
    other = django_user_model.objects.create_user("autre@exemple.fr", password=PASSWORD)
    c = Candidacy.objects.create(candidate=candidate, offer=vae["offer"])
    urls = [reverse("vae_dossier", args=[c.pk]), reverse("vae_dossier_pdf", args=[c.pk])]
    expect_draft = {
        candidate: 200,
        other: 404,
        vae["staff"]: 404,
        vae["other_staff"]: 404,
        vae["trainer"]: 404,
    }
    for user, status in expect_draft.items():
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == status, (user, url)
    Candidacy.objects.filter(pk=c.pk).update(status=Candidacy.SENT)
    for user, status in {
        candidate: 200,
        other: 404,
        vae["staff"]: 200,
        vae["other_staff"]: 404,
        vae["trainer"]: 404,
    }.items():
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == status, (user, url)
    # Acting: the candidate may not decide, another certifier may not even see.
    client.force_login(candidate)
    client.post(
        reverse("vae_action", args=[c.pk]),
        {"action": "admissibility", "decision": "feasibility_admissible"},
    )
    client.force_login(vae["other_staff"])
    assert (
        client.post(
            reverse("vae_action", args=[c.pk]),
            {"action": "admissibility", "decision": "feasibility_admissible"},
        ).status_code
        == 404
    )
    c.refresh_from_db()
    assert c.status == Candidacy.SENT
    client.force_login(vae["staff"])
    assert (
        client.post(reverse("vae_action", args=[c.pk]), {"action": "withdraw"}).status_code == 403
    )
    assert client.get(reverse("vae_certifier")).status_code == 200
    client.force_login(candidate)
    # The certifiers' page does not exist for anyone else.
    assert client.get(reverse("vae_certifier")).status_code == 404
    client.logout()
    assert client.get(reverse("vae_dossier", args=[c.pk])).status_code == 302
    assert client.get(reverse("vae_signup")).status_code == 200  # public
