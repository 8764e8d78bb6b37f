"""A living demo centre: a CFA with two BTS MOS cohorts, companies, tutors, two years of livret.

Deterministic (fixed seed) and idempotent: running it twice creates nothing the second time.
Facts are bulk-inserted and the statuses computed with the same engine the app uses.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from livret.competences.models import CompetenceEvaluation, CompetenceStatus, Context, Situation
from livret.engine.progress import ACQUIRED, IN_PROGRESS, NOT_ACQUIRED, Fact, current
from livret.referentiels.models import Competence, Referentiel, Task

from .models import Cohort, Learner, Organisation, Profile

DEMO_PASSWORD = "livret-demo-2026"
CENTRE_NAME = "CFA des Métiers de la Sécurité"
ACCOUNTS = [
    ("admin", "administrateur"),
    ("responsable", "responsable formation"),
    ("formateur", "formateur (BTS MOS 1re et 2e année)"),
    ("tuteur", "maître d'apprentissage (Vigilis Sécurité)"),
    ("apprenti", "apprenti de 2e année"),
    ("examens", "administratrice des examens (examen blanc, PV signé)"),
    (
        "certificateur",
        "chargée de certification VAE (un candidat VAE crée son compte sur /vae/inscription/)",
    ),
]

FIRST = [
    "Lina",
    "Yanis",
    "Emma",
    "Noah",
    "Chloé",
    "Adam",
    "Inès",
    "Rayan",
    "Léa",
    "Mathis",
    "Sarah",
    "Hugo",
    "Manon",
    "Ilyes",
    "Camille",
    "Lucas",
    "Jade",
    "Nathan",
    "Maëlys",
    "Sofiane",
    "Zoé",
    "Théo",
    "Aya",
    "Enzo",
    "Louise",
    "Mehdi",
    "Clara",
    "Hamza",
    "Eva",
    "Kylian",
]
LAST = [
    "Bernard",
    "Diallo",
    "Moreau",
    "Benali",
    "Lefèvre",
    "Traoré",
    "Garnier",
    "Nguyen",
    "Rousseau",
    "Haddad",
    "Fontaine",
    "Da Silva",
    "Chevalier",
    "Mercier",
    "Bouchard",
    "Camara",
    "Lambert",
    "Perrin",
    "Morel",
    "Girard",
    "Roux",
    "Faure",
    "André",
    "Blanc",
    "Guerin",
    "Boyer",
    "Gauthier",
    "Masson",
    "Henry",
    "Dumont",
]
COMPANIES = [
    ("Vigilis Sécurité", "Paris"),
    ("Gardiennage du Val-de-Marne", "Créteil"),
    ("Protecta Événements", "Saint-Denis"),
    ("Aéro Sûreté Services", "Roissy-en-France"),
    ("Centre hospitalier de Melun — service sécurité", "Melun"),
    ("Logisécurité Entrepôts", "Gonesse"),
]
TUTORS = [
    ("tuteur", "Karim", "Belkacem"),
    ("tuteur2", "Sophie", "Renard"),
    ("tuteur3", "Olivier", "Marchand"),
    ("tuteur4", "Nadia", "Ferreira"),
    ("tuteur5", "Pascal", "Leroy"),
    ("tuteur6", "Aurélie", "Colin"),
]
# Seed 001, "Volume horaires par Unité d'Enseignement", the same for both years. Its total
# (680 h a year, 1360 h) is 10 h above the 1350 h it announces; the calendar page shows both.
PROGRAMME_UNITS = [
    ["E1 - Culture générale et expression", 80, 80],
    ["E2 - Communication en langue vivante étrangère", 80, 80],
    ["E3 - Culture économique, juridique et managériale", 90, 90],
    ["E4 - Préparation et mise en œuvre d'une prestation de sécurité", 90, 90],
    ["E5.1 - Management des ressources humaines", 90, 90],
    ["E5.2 - Gestion de la relation client", 120, 120],
    ["E6 - Participation à la sécurité globale", 130, 130],
]
SITUATIONS = [
    (
        "Ronde de nuit et main courante",
        "Site logistique",
        "J'ai organisé les rondes de l'équipe de nuit et vérifié la tenue de la main courante.",
    ),
    (
        "Préparation d'un dispositif événementiel",
        "Stade municipal",
        "J'ai participé au diagnostic du site et au choix des moyens humains pour un concert.",
    ),
    (
        "Accueil d'un nouvel agent",
        "Siège social",
        "J'ai présenté les consignes du site et accompagné l'intégration d'un agent.",
    ),
    (
        "Exercice d'évacuation",
        "Hôpital",
        "J'ai préparé l'exercice avec le SSIAP et rédigé le compte rendu.",
    ),
    (
        "Réunion de suivi client",
        "Agence",
        "J'ai présenté le tableau de bord de la prestation au responsable sécurité du client.",
    ),
]


_HASH: list[str] = []


def _user(username, first, last, **extra):
    # One hash for every demo account: hashing ~60 passwords one by one would take seconds.
    if not _HASH:
        _HASH.append(make_password(DEMO_PASSWORD))
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "password": _HASH[0], **extra},
    )
    return user


@transaction.atomic
def create(today: datetime.date | None = None) -> bool:
    """Create the demo centre; return False if it is already there."""
    if Organisation.objects.filter(name=CENTRE_NAME).exists():
        return False
    today = today or timezone.localdate()
    rng = random.Random(41000)
    ref = Referentiel.objects.filter(diploma__slug="bts-mos").order_by("-version").first()
    if ref is None:
        raise RuntimeError("load the référentiels first (livret referentiel load)")

    _user("admin", "Admin", "Démo", is_staff=True, is_superuser=True)
    centre = Organisation.objects.create(name=CENTRE_NAME, kind=Organisation.CFA, city="Paris")
    manager = _user("responsable", "Camille", "Martin", is_staff=True)
    Profile.objects.create(user=manager, role=Profile.MANAGER, organisation=centre)
    trainers = [_user("formateur", "Julien", "Petit"), _user("formatrice", "Hélène", "Durand")]
    for t in trainers:
        Profile.objects.create(user=t, role=Profile.TRAINER, organisation=centre)

    companies = [
        Organisation.objects.create(name=n, kind=Organisation.COMPANY, city=c) for n, c in COMPANIES
    ]
    tutors = []
    for (username, first, last), company in zip(TUTORS, companies, strict=True):
        u = _user(username, first, last)
        Profile.objects.create(user=u, role=Profile.TUTOR, organisation=company)
        tutors.append((u, company))

    year = today.year if today.month >= 9 else today.year - 1
    cohorts = [
        (
            Cohort.objects.create(
                centre=centre,
                referentiel=ref,
                name=f"BTS MOS {year - 1}-{year + 1} (2e année)",
                start_year=year - 1,
            ),
            24,
        ),
        (
            Cohort.objects.create(
                centre=centre,
                referentiel=ref,
                name=f"BTS MOS {year}-{year + 2} (1re année)",
                start_year=year,
            ),
            22,
        ),
    ]
    for cohort, _ in cohorts:
        cohort.trainers.set(trainers)
        # Written exams of the BTS are in May (seed 004); the date is the demo's choice.
        cohort.exam_date = datetime.date(cohort.start_year + 2, 5, 18)
        cohort.closures = [
            [f"{y}-12-21", f"{y + 1}-01-03"]
            for y in range(cohort.start_year, cohort.start_year + 2)
        ]
        cohort.save()

    competences = list(
        Competence.objects.filter(referentiel=ref, module_unit__isnull=True).order_by("position")
    )
    tasks = list(Task.objects.filter(referentiel=ref))
    names = [(f, last) for f in FIRST for last in LAST]
    rng.shuffle(names)
    facts, situations, learners = [], [], []
    for cohort, size in cohorts:
        start = datetime.date(cohort.start_year, 9, 1)
        for i in range(size):
            first, last = names.pop()
            username = (
                "apprenti"
                if (cohort.start_year == year - 1 and i == 0)
                else f"{first}.{last}".lower().replace(" ", "")
            )
            username = username.translate(str.maketrans("éèëêïîçöô", "eeeeiicoo"))
            user = _user(username, first, last)
            Profile.objects.create(user=user, role=Profile.LEARNER, organisation=centre)
            tutor, company = (
                tutors[0] if username == "apprenti" else tutors[rng.randrange(len(tutors))]
            )
            learner = Learner.objects.create(
                user=user,
                centre=centre,
                cohort=cohort,
                first_name=first,
                last_name=last,
                email=f"{username}@exemple.fr",
                status=Learner.APPRENTICE,
                contract_start=start,
                contract_end=datetime.date(cohort.start_year + 2, 8, 31),
                company=company,
                tutor=tutor,
                birth_date=datetime.date(
                    cohort.start_year - 19 - rng.randrange(4),
                    1 + rng.randrange(12),
                    1 + rng.randrange(28),
                ),
            )
            learners.append(learner)
            ability = rng.uniform(0.45, 0.95)
            span = max((today - start).days, 1)
            for comp in competences:
                # The further in the training, the more competences were observed, and acquired.
                if rng.random() > min(0.95, 0.25 + span / 700):
                    continue
                day = start + datetime.timedelta(days=rng.randrange(span))
                levels = [NOT_ACQUIRED, IN_PROGRESS] if rng.random() > ability else [IN_PROGRESS]
                levels.append(
                    ACQUIRED if rng.random() < ability * min(1.0, 0.3 + span / 500) else IN_PROGRESS
                )
                for level in levels:
                    if day > today:
                        break
                    facts.append(
                        CompetenceEvaluation(
                            learner=learner,
                            competence=comp,
                            level=level,
                            observed_on=day,
                            evaluator=trainers[rng.randrange(2)],
                            context=rng.choice([Context.COURSE, Context.CCF, Context.COMPANY]),
                        )
                    )
                    day += datetime.timedelta(days=rng.randrange(15, 120))
            for title, place, text in rng.sample(SITUATIONS, k=rng.randrange(1, 4)):
                when = start + datetime.timedelta(days=rng.randrange(span))
                validated = rng.random() < 0.6 and when < today - datetime.timedelta(days=7)
                situations.append(
                    (
                        Situation(
                            learner=learner,
                            occurred_on=when,
                            place=place,
                            title=title,
                            description=text,
                            created_by=user,
                            state=Situation.VALIDATED if validated else Situation.PENDING,
                            validated_by=tutor if validated else None,
                            validated_at=timezone.now() if validated else None,
                            tutor_comment="Bonne implication, à poursuivre." if validated else "",
                        ),
                        rng.sample(competences[:28], k=3),
                        rng.sample(tasks, k=2),
                    )
                )
    _periods(learners, companies, today)
    _exam_session(centre, cohorts[0][0], today)
    _vae(today)
    CompetenceEvaluation.objects.bulk_create(facts, batch_size=2000)
    _rebuild_statuses(learners)
    for situation, comps, task_list in situations:
        situation.save()
        situation.competences.set(comps)
        situation.tasks.set(task_list)
    return True


def _rebuild_statuses(learners) -> None:
    """Statuses from the facts, with the app's own engine (bulk: the demo has thousands of facts)."""
    grouped: dict[tuple[int, int], list[Fact]] = {}
    for lid, cid, level, day, pk in CompetenceEvaluation.objects.filter(
        learner__in=learners
    ).values_list("learner_id", "competence_id", "level", "observed_on", "id"):
        grouped.setdefault((lid, cid), []).append(Fact(level, day, pk))
    rows = []
    for (lid, cid), facts in grouped.items():
        now = current(facts)
        rows.append(
            CompetenceStatus(
                learner_id=lid,
                competence_id=cid,
                level=now.level,
                acquired_on=now.acquired_on,
                latest_id=now.latest.seq,
                evaluations=len(facts),
            )
        )
    CompetenceStatus.objects.bulk_create(rows, batch_size=2000)


def _monday(year, month, day):
    d = datetime.date(year, month, day)
    return d - datetime.timedelta(days=d.weekday())


def _periods(learners, companies, today) -> None:
    """Contracts for the apprentices; stages for a few scolaire learners, some of them short."""
    from livret.periods.models import Agreement, Contract, Period

    second_year = [
        lr for lr in learners if lr.cohort.start_year == min(x.cohort.start_year for x in learners)
    ]
    school = second_year[1:6]
    for learner in learners:
        if learner in school:
            learner.status = Learner.SCHOOL
            learner.save()
            continue
        end = learner.contract_end
        if learner is second_year[6]:
            end = datetime.date(
                learner.cohort.start_year + 2, 3, 31
            )  # ends before the exam: an alert
        Contract.objects.create(
            learner=learner,
            kind=Contract.APPRENTICESHIP,
            company=learner.company,
            start=learner.contract_start,
            end=end,
        )
    y = school[0].cohort.start_year if school else today.year
    # (weeks in year 1, [(start, weeks)] in year 2) — the last two are short of the 14 weeks.
    plans = [
        [(_monday(y + 1, 1, 12), 6), (_monday(y + 2, 1, 11), 8)],
        [(_monday(y + 1, 5, 4), 4), (_monday(y + 1, 11, 9), 5), (_monday(y + 2, 2, 1), 5)],
        [(_monday(y + 1, 1, 12), 7), (_monday(y + 2, 1, 11), 7)],
        [(_monday(y + 1, 1, 12), 4), (_monday(y + 2, 1, 11), 4), (_monday(y + 2, 4, 5), 3)],
        [(_monday(y + 1, 1, 12), 3), (_monday(y + 2, 1, 11), 5)],
    ]
    for learner, blocks in zip(school, plans, strict=False):
        for n, (start, weeks) in enumerate(blocks):
            end = start + datetime.timedelta(days=7 * weeks - 3)  # Friday of the last week
            company = companies[(learner.pk + n) % len(companies)]
            done = end < today
            period = Period.objects.create(
                learner=learner,
                company=company,
                start=start,
                end=end,
                attestation_received=done and not (learner is school[1] and n == 0),
                attestation_signed=done and not (learner is school[1] and n == 0),
            )
            Agreement.objects.create(
                period=period,
                signed_on=start - datetime.timedelta(days=21),
                activities="Participation à la préparation et au suivi des prestations de sécurité du site.",
                tutoring="Point hebdomadaire avec le tuteur ; visite du formateur à mi-stage.",
                joint_evaluation="Bilan tripartite en fin de stage (formateur, tuteur, stagiaire).",
            )


def _exam_session(centre, cohort, today) -> None:
    """A finished mock exam (examen blanc) for the 2nd-year cohort: grades, NV, ABS, control, signed PV."""
    from livret.engine import jury
    from livret.exams import services
    from livret.exams.models import ExamSession

    rng = random.Random(2026)
    admin = _user("examens", "Nathalie", "Roche")
    Profile.objects.create(user=admin, role=Profile.EXAM_ADMIN, organisation=centre)
    session = ExamSession.objects.create(
        referentiel=cohort.referentiel,
        organiser=centre,
        year=today.year,
        name=f"Examen blanc BTS MOS — {today:%m/%Y}",
        jury_members=[
            ["Camille Martin", "présidente, responsable formation"],
            ["Julien Petit", "formateur"],
            ["Karim Belkacem", "professionnel"],
        ],
        report_deadline=today - datetime.timedelta(days=30),
    )
    services.register_cohort(session, cohort, admin)
    scheme = services.scheme_for(session)
    units = [u for u in scheme.units.values() if not u.optional]
    for i, c in enumerate(session.candidates.order_by("number")):
        level = rng.uniform(6.5, 15.5)
        for u in units:
            grade = max(
                0,
                min(
                    20,
                    round(rng.gauss(level + (0.8 if u.domain == "professional" else -0.4), 2.2) * 2)
                    / 2,
                ),
            )
            services.set_grade(c, u.code, str(grade), admin)
        c.report_submitted_on = session.report_deadline - datetime.timedelta(
            days=rng.randrange(1, 20)
        )
        if i == 3:
            services.set_grade(c, "U4", "NV", admin)  # report handed in late
            c.report_submitted_on = session.report_deadline + datetime.timedelta(days=4)
        c.save()
        if i == 7:
            services.set_grade(c, "U21", "ABS", admin)
        if i == 5:
            c.optional_units = ["UF2"]
            c.save()
            services.set_grade(c, "UF2", "14", admin)
        if i == 9:
            c.grades.filter(unit="U3").delete()
            services.add_dispensation(c, "U3", "licence_economics_law_management", admin)
    # Candidates entitled to épreuves de contrôle take them in two general units.
    for row in services.results(session):
        if row.outcome and row.outcome.decision == jury.CONTROL:
            general = sorted(
                (u for u in units if u.domain == "general"),
                key=lambda u: row.grades[u.code].hundredths or 0,
            )[:2]
            for u in general:
                services.set_grade(
                    row.candidate, u.code, str(rng.choice([8, 10.5, 12, 13.5])), admin, control=True
                )
    services.sign_minutes(session, admin)


def _vae(today) -> None:
    """A certifier opening the BTS MOS and the titre pro to VAE, with its staff account."""
    from livret.vae.models import VaeOffer

    certifier = Organisation.objects.create(
        name="DAVA de démonstration (validation des acquis)",
        kind=Organisation.TRAINING_BODY,
        city="Créteil",
    )
    staff = _user("certificateur", "Isabelle", "Vidal")
    Profile.objects.create(user=staff, role=Profile.CERTIFIER, organisation=certifier)
    for slug in ("bts-mos", "tp-operateur-videoprotection"):
        ref = Referentiel.objects.filter(diploma__slug=slug).order_by("-version").first()
        VaeOffer.objects.create(certifier=certifier, referentiel=ref, min_experience_months=12)
