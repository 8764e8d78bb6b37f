"""Demo VAE files at each step of the journey, all accompanied by the demo accompagnateur, so
that the certifier and the accompagnateur see the whole journey at once: a feasibility file
waiting, one incomplete, one recevable being written, one sent with its jury composed and
convened, one decided (partial validation with préconisations). The candidate `candidat` logs in
to the last one. Built with the models directly (no mail leaves while seeding)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from livret.engine import vae_flow, vae_jury
from livret.referentiels.models import Bloc, Competence

from . import jury, services
from .models import (
    AdmissibilityDecision,
    BlocNarrative,
    Candidacy,
    CandidacyEvent,
    Experience,
    JuryConvocation,
    VaeOffer,
)

MEMBERS = (
    ("Anne Roy", vae_jury.PRESIDENT, vae_jury.WOMAN, True),
    ("Bruno Lac", vae_jury.TEACHER, vae_jury.MAN, False),
    ("Chloé Val", vae_jury.PROFESSIONAL, vae_jury.WOMAN, True),
)
PEOPLE = (
    # (username, first, last, status reached)
    ("candidat-faisabilite", "Hugo", "Marchand", Candidacy.SENT),
    ("candidat-incomplet", "Julie", "Perrin", Candidacy.INCOMPLETE),
    ("candidat-recevable", "Léa", "Martin", Candidacy.ADMISSIBLE),
    ("candidat-jury", "Nora", "Benali", Candidacy.VALIDATION_SENT),
    ("candidat", "Sam", "Vigier", Candidacy.JURY_DONE),
)
ORDER = [
    Candidacy.SENT,
    Candidacy.INCOMPLETE,
    Candidacy.ADMISSIBLE,
    Candidacy.VALIDATION_SENT,
    Candidacy.JURY_DONE,
]


def _event(c, action, source, target, actor):
    CandidacyEvent.objects.create(
        candidacy=c, action=action, from_status=source, to_status=target, actor=actor
    )


def seed(staff, guide, today: datetime.date, make_user) -> list[Candidacy]:
    offer = VaeOffer.objects.filter(
        certifier=staff.profile.organisation, referentiel__diploma__slug="bts-mos"
    ).first()
    if offer is None:
        return []
    ref = offer.referentiel
    blocs = list(Bloc.objects.filter(referentiel=ref, optional=False).order_by("position"))
    competences = list(Competence.objects.filter(referentiel=ref).order_by("position")[:4])
    made = []
    for n, (username, first, last, status) in enumerate(PEOPLE):
        person = make_user(username, first, last)
        from .models import VaeProfile

        VaeProfile.objects.get_or_create(
            user=person, defaults={"city": "Créteil", "current_job": "Chef de poste sécurité"}
        )
        c = Candidacy.objects.create(
            candidate=person,
            offer=offer,
            guide=guide,
            motivation="Faire reconnaître dix ans d'encadrement d'équipes de sécurité.",
            submitted_at=timezone.now() - datetime.timedelta(days=30 + 20 * n),
        )
        e = Experience.objects.create(
            candidacy=c,
            employer="Vigilis Sécurité",
            job_title="Chef de poste",
            start=datetime.date(2016, 3, 1),
            end=datetime.date(2025, 6, 30),
            description="Plannings, consignes, encadrement de 12 agents, relation client.",
        )
        e.competences.set(competences)
        reached = ORDER.index(status)
        _event(c, "submit", Candidacy.DRAFT, Candidacy.SENT, person)
        if status == Candidacy.INCOMPLETE:
            AdmissibilityDecision.objects.create(
                candidacy=c,
                decision=Candidacy.INCOMPLETE,
                reasons="Joignez l'attestation de votre employeur pour 2016-2020.",
                decided_by=staff,
            )
            _event(c, "incomplete", Candidacy.SENT, Candidacy.INCOMPLETE, staff)
        elif reached >= ORDER.index(Candidacy.ADMISSIBLE):
            AdmissibilityDecision.objects.create(
                candidacy=c, decision=Candidacy.ADMISSIBLE, reasons="", decided_by=staff
            )
            _event(c, "admissible", Candidacy.SENT, Candidacy.ADMISSIBLE, staff)
            for bloc, text in zip(
                blocs[1:3],
                (
                    "J'organise le service de nuit d'un site logistique : plannings, consignes.",
                    "Je rends compte chaque mois au client et à ma hiérarchie.",
                ),
                strict=True,
            ):
                BlocNarrative.objects.create(candidacy=c, bloc=bloc, text=text)
        if reached >= ORDER.index(Candidacy.VALIDATION_SENT):
            _event(c, "send_validation", Candidacy.ADMISSIBLE, Candidacy.VALIDATION_SENT, person)
        Candidacy.objects.filter(pk=c.pk).update(
            status=Candidacy.VALIDATION_SENT if status == Candidacy.JURY_DONE else status
        )
        c.refresh_from_db()
        if reached >= ORDER.index(Candidacy.VALIDATION_SENT):
            for name, quality, gender, qualified in MEMBERS:
                jury.add_member(
                    c,
                    {
                        "name": name,
                        "quality": quality,
                        "gender": gender,
                        "qualified": qualified,
                        "declared_no_link": True,
                    },
                    staff,
                )
            when = today + datetime.timedelta(
                days=21 if status == Candidacy.VALIDATION_SENT else -10
            )
            JuryConvocation.objects.create(
                candidacy=c,
                at=timezone.make_aware(datetime.datetime.combine(when, datetime.time(9, 30))),
                place="DAVA, 4 rue Georges-Enesco, Créteil, salle 2",
                modalities="Entretien de 45 minutes avec le jury sur votre dossier de validation.",
                sent_by=staff,
            )
        if status == Candidacy.JURY_DONE:
            services.record_jury(
                c,
                "partial",
                today - datetime.timedelta(days=10),
                blocs[1:3],
                "Expérience solide en management ; la préparation des prestations reste à "
                "démontrer.",
                staff,
                sat=list(c.jury_members.all()),
                recommendations={
                    b.pk: (
                        vae_jury.TRAINING if b == blocs[0] else vae_jury.EXPERIENCE,
                        "Module de formation continue sur la préparation des prestations."
                        if b == blocs[0]
                        else "",
                    )
                    for b in blocs
                    if b not in blocs[1:3]
                },
            )
        assert vae_flow.PROGRESS[c.status] >= 0
        made.append(c)
    return made
