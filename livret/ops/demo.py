"""A living demo centre: a CFA with two BTS MOS cohorts, companies, tutors, two years of livret.

Deterministic (fixed seed) and idempotent: running it twice creates nothing the second time.
Facts are bulk-inserted and the statuses computed with the same engine the app uses.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from livret.attendance import demo as attendance_demo
from livret.competences.models import CompetenceEvaluation, CompetenceStatus, Context, Situation
from livret.competences.services import rebuild_statuses
from livret.engine.progress import ACQUIRED, IN_PROGRESS, NOT_ACQUIRED
from livret.people.models import Cohort, Learner, Organisation, Profile
from livret.referentiels.models import Competence, Referentiel, Task
from livret.threads import demo as threads_demo

DEMO_PASSWORD = "livret-demo-2026"
CENTRE_NAME = "CFA des Métiers de la Sécurité"
ACCOUNTS = [
    ("admin", "administrateur de la plateforme (seul à ouvrir /admin/)"),
    ("responsable", "CFA : responsable formation (« Mon centre », imports)"),
    ("formateur", "CFA : formateur (BTS MOS 1re et 2e année)"),
    ("tuteur", "CFA : maître d'apprentissage (Vigilis Sécurité)"),
    ("apprenti", "CFA : apprenti de 2e année"),
    ("examens", "CFA : administratrice des examens (examen blanc BTS MOS, sessions du titre pro)"),
    (
        "responsable-lycee",
        "lycée : responsable (proviseur adjoint ; attestation de réussite intermédiaire)",
    ),
    ("formateur-lycee", "lycée : professeure (Bac pro, CAP, BTS MOS)"),
    ("tuteur-lycee", "lycée : tuteur de PFMP (Sécuritas Loire)"),
    ("eleve-lycee", "lycée : élève de terminale Bac pro Métiers de la sécurité"),
    ("examens-lycee", "lycée : administratrice des examens (examen blanc BTS MOS)"),
    (
        "certificateur",
        "chargée de certification VAE (un candidat VAE crée son compte sur /vae/inscription/)",
    ),
    ("accompagnateur", "accompagnateur VAE (le candidat le choisit dans son dossier)"),
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
DEMO_DOMAIN = "demo.livret.example"


def _user(username, first, last, **extra):
    # One hash for every demo account: hashing ~60 passwords one by one would take seconds.
    if not _HASH:
        _HASH.append(make_password(DEMO_PASSWORD))
    user_model = get_user_model()
    # Every demo account has an address on the reserved .example domain (RFC 2606): the mail
    # journeys can be shown with a local SMTP sink (README), and nothing leaves for a real inbox.
    extra.setdefault("email", f"{username}@{DEMO_DOMAIN}")
    user, _ = user_model.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "password": _HASH[0], **extra},
    )
    return user


@transaction.atomic
def create(today: datetime.date | None = None) -> bool:
    """Create both demo centres; return False if they are already there."""
    if Organisation.objects.filter(name=CENTRE_NAME).exists():
        return False
    today = today or timezone.localdate()
    ref = Referentiel.objects.public().filter(diploma__slug="bts-mos").order_by("-version").first()
    if ref is None:
        raise RuntimeError("load the référentiels first (livret referentiel load)")
    _user("admin", "Admin", "Démo", is_staff=True, is_superuser=True)
    # One pool of names for both centres: every demo account gets a username of its own.
    names = [(f, last) for f in FIRST for last in LAST]
    random.Random(41000).shuffle(names)
    _cfa(today, ref, names)
    _lycee(today, ref, names)
    _vae(today)
    return True


def _logo(letters: str, colour) -> ContentFile:
    """A small generated PNG logo (the demo ships no image file)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (120, 48), "white")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((2, 2, 46, 46), radius=8, fill=colour)
    draw.polygon([(14, 34), (24, 12), (34, 34)], fill="white")
    draw.text((54, 16), letters, fill=colour, font_size=20)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue())


def _school_year(today) -> int:
    return today.year if today.month >= 9 else today.year - 1


def _cfa(today, ref, names) -> None:
    rng = random.Random(41000)
    centre = Organisation.objects.create(name=CENTRE_NAME, kind=Organisation.CFA, city="Paris")
    centre.habilitations.set([ref.diploma])  # its apprentices sit the CCF forms
    centre.logo.save("logo.png", _logo("CFA", (29, 79, 145)), save=True)
    manager = _user("responsable", "Camille", "Martin")
    Profile.objects.create(user=manager, role=Profile.MANAGER, organisation=centre)
    trainers = [_user("formateur", "Julien", "Petit"), _user("formatrice", "Hélène", "Durand")]
    for t in trainers:
        Profile.objects.create(user=t, role=Profile.TRAINER, organisation=centre)
    companies, tutors = _companies(centre, COMPANIES, TUTORS)
    year = _school_year(today)
    cohorts = [
        (_cohort(centre, ref, f"BTS MOS {year - 1}-{year + 1} (2e année)", year - 1, trainers), 24),
        (_cohort(centre, ref, f"BTS MOS {year}-{year + 2} (1re année)", year, trainers), 22),
    ]
    learners = []
    for cohort, size in cohorts:
        learners += _populate(
            centre,
            cohort,
            size,
            trainers,
            tutors,
            names,
            rng,
            today,
            first_username="apprenti" if cohort.start_year == year - 1 else None,
        )
    _periods(learners, companies, today)
    _referents_and_rupture(learners, trainers, manager, today)
    _exam_session(centre, cohorts[0][0], today, ("examens", "Nathalie", "Roche"))
    _follow_up(centre, learners, trainers[0], today)
    # Le fil du livret: a few messages between the demo apprentice, his tutor and his trainer.
    apprentice = next(lr for lr in learners if lr.user and lr.user.username == "apprenti")
    threads_demo.seed(apprentice, trainers[0], today)
    for cohort, _ in cohorts:
        _marks(cohort, trainers, today, rng, PROGRAMME_UNITS[:5])
    attendance_demo.seed(apprentice, trainers[0], manager, today)
    _survey(centre, manager, cohorts[0][0], rng, answers=9)
    _funders(centre, [c for c, _ in cohorts])
    _titre_pro(centre, trainers, tutors, names, rng, today)


def _funders(centre, cohorts) -> None:
    """Who pays for the apprentices' training, and whom a questionnaire to the funders asks
    (Qualiopi indicator 30): an OPCO financing both cohorts, two contacts on the demo domain."""
    from livret.surveys.models import Funder, FunderContact

    opco = Funder.objects.create(centre=centre, kind=Funder.OPCO, name="OPCO de démonstration")
    opco.cohorts.set(cohorts)
    for name, email in (
        ("Sophie Leroy", "sophie.leroy@opco.demo.livret.example"),
        ("Marc Aubert", "marc.aubert@opco.demo.livret.example"),
    ):
        FunderContact.objects.create(funder=opco, name=name, email=email)


def _titre_pro(centre, trainers, tutors, names, rng, today) -> None:
    """A titre professionnel group (formation continue) and its two official sessions: June, signed
    (titres, partial validations), and the next one, where the CCPs obtained in June are carried."""
    from livret.exams import services, titre
    from livret.exams.models import ExamSession

    ref = (
        Referentiel.objects.public()
        .filter(diploma__slug="tp-operateur-videoprotection")
        .order_by("-version")
        .first()
    )
    if ref is None:
        return
    year = _school_year(today)
    cohort = _cohort(
        centre, ref, f"TP Opérateur vidéoprotection {year - 1}-{year}", year - 1, trainers[1:], 1
    )
    _populate(centre, cohort, 8, trainers[1:], tutors, names, rng, today, status=Learner.CONTINUING)
    admin = get_user_model().objects.get(username="examens")
    jury = [
        ["M. Olivier Garnier", "président, responsable de PC de télésurveillance"],
        ["Mme Sonia Haddad", "opératrice vidéoprotection, professionnelle"],
    ]
    june = ExamSession.objects.create(
        referentiel=ref,
        organiser=centre,
        year=year,
        name=f"Session titre OVT — juin {year}",
        kind=ExamSession.OFFICIAL,
        official_reference=f"PV de jury DREETS Île-de-France n° {year}-OVT-017 (démonstration)",
        jury_members=jury,
    )
    services.register_cohort(june, cohort, admin)
    # (CCP1, CCP2) per candidate, in registration order.
    plans = [("acquis", "acquis")] * 4 + [("acquis", "non_acquis")] * 2
    plans += [("non_acquis", "acquis"), ("non_acquis", "non_acquis")]
    comments = {"non_acquis": "Levée de doute incomplète lors de la mise en situation."}
    for c, (ccp1, ccp2) in zip(june.candidates.order_by("number"), plans, strict=False):
        titre.set_decisions(
            c,
            {"CCP1": (ccp1, comments.get(ccp1, "")), "CCP2": (ccp2, comments.get(ccp2, ""))},
            admin,
        )
    services.sign_minutes(june, admin)
    # The next session: those without the titre come back; their June CCPs stay acquired.
    later = ExamSession.objects.create(
        referentiel=ref,
        organiser=centre,
        year=year + 1,
        name=f"Session titre OVT — février {year + 1}",
        kind=ExamSession.OFFICIAL,
        official_reference=f"Convocation DREETS Île-de-France n° {year + 1}-OVT-003 (démonstration)",
        jury_members=jury,
    )
    services.register_cohort(later, cohort, admin)  # the June titres are not registered again


def _marks(cohort, trainers, today, rng, units) -> None:
    """Contrôle continu: modules from the centre's programme, two assessments a semester in each
    up to today, marks for everyone (a few absences), and an appreciation for each learner."""
    from simple_history.utils import bulk_create_with_history

    from livret.bulletins.models import Appreciation, Assessment, Mark, TeachingModule
    from livret.bulletins.queries import current_semester

    now = current_semester(cohort, today)
    learners = list(cohort.learners.all())
    marks, appreciations = [], []
    for i, (title, _, _) in enumerate(units):
        trainer = trainers[i % len(trainers)]
        module = TeachingModule.objects.create(
            cohort=cohort, title=title, coefficient=[1, 1, 2, 3, 3][i % 5]
        )
        module.trainers.set([trainer])
        for semester in range(1, now + 1):
            start = datetime.date(cohort.start_year + semester // 2, 9 if semester % 2 else 3, 1)
            for k, (name, kind, coef) in enumerate(
                (("Écrit", "written", 2), ("Restitution orale", "oral", 1))
            ):
                held = start + datetime.timedelta(days=35 + 40 * k + 3 * i)
                if held > today:
                    continue
                a = Assessment.objects.create(
                    module=module,
                    title=f"{name} {k + 1}",
                    kind=kind,
                    coefficient=coef,
                    held_on=held,
                    semester=semester,
                    created_by=trainer,
                )
                for lr in learners:
                    absent = rng.random() < 0.04
                    marks.append(
                        Mark(
                            assessment=a,
                            learner=lr,
                            hundredths=None if absent else rng.randint(12, 36) * 50,
                            mark="ABS" if absent else "",
                            entered_by=trainer,
                        )
                    )
            if semester < now:
                appreciations += [
                    Appreciation(
                        learner=lr,
                        module=module,
                        semester=semester,
                        text=rng.choice(APPRECIATIONS),
                        author=trainer,
                    )
                    for lr in learners
                ]
    bulk_create_with_history(marks, Mark, default_user=trainers[0])
    bulk_create_with_history(appreciations, Appreciation, default_user=trainers[0])


def _survey(centre, manager, cohort, rng, answers) -> None:
    """A satisfaction questionnaire sent to the cohort, some answered (the demo apprentice has
    not: he can try), and a draft for the tutors."""
    from livret.engine import surveys as engine_surveys
    from livret.surveys import services
    from livret.surveys.forms import DEFAULT_QUESTIONS
    from livret.surveys.models import Invitation, Survey

    def make(title, audience, moment, lines):
        survey = Survey.objects.create(
            centre=centre,
            title=title,
            audience=audience,
            moment=moment,
            created_by=manager,
            questions=[
                {"label": q.label, "kind": q.kind}
                for q in engine_surveys.parse_questions("\n".join(lines))[0]
            ],
        )
        survey.cohorts.set([cohort])
        return survey

    survey = make(
        "Questionnaire de satisfaction — fin de première année",
        Survey.LEARNERS,
        Survey.OTHER,
        DEFAULT_QUESTIONS[Survey.LEARNERS],
    )
    # The cohort's accounts were opened at its start: they count towards the threshold of 5.
    get_user_model().objects.filter(learner__cohort=cohort).update(
        date_joined=survey.created_at - datetime.timedelta(days=200)
    )
    services.send(survey)
    remarks = ["Plus de mises en situation.", "Très bon suivi en entreprise.", ""]
    for invitation in (
        Invitation.objects.filter(survey=survey)
        .exclude(user__username="apprenti")
        .order_by("pk")[:answers]
    ):
        raw = {i: str(rng.randint(3, 5)) for i in range(5)}
        raw |= {5: rng.choice(["oui", "oui", "non"]), 6: rng.choice(remarks)}
        services.answer(invitation, raw)
    make(
        "Satisfaction des tuteurs — fin de période",
        Survey.TUTORS,
        Survey.END_OF_PERIOD,
        DEFAULT_QUESTIONS[Survey.TUTORS],
    )


APPRECIATIONS = [
    "Travail régulier et sérieux ; continuez ainsi.",
    "Des résultats en progrès ; l'oral reste à renforcer.",
    "Bonne participation, mais des devoirs rendus en retard.",
    "Ensemble solide ; approfondir l'analyse des situations.",
]


def _follow_up(centre, learners, trainer, today) -> None:
    """The alternance triangle on the demo apprentice: a visit reported and countersigned by the
    tutor, an interview planned, two appraisals by the tutor (one differing from the trainer)."""
    from livret.competences.models import TutorAppraisal
    from livret.periods.models import FollowUp

    centre.visit_every_weeks, centre.interview_every_weeks = 10, 12
    centre.holiday_zone = "C"  # Paris
    centre.save()
    learner = next(lr for lr in learners if lr.user and lr.user.username == "apprenti")
    visit = FollowUp.objects.create(
        learner=learner,
        kind=FollowUp.VISIT,
        planned_on=today - datetime.timedelta(days=24),
        mode="site",
        place=learner.company.name if learner.company else "",
        planned_by=trainer,
        held_on=today - datetime.timedelta(days=24),
        attendees="Maître d'apprentissage, apprentie, formateur",
        report="Bonne intégration dans l'équipe de nuit ; rondes et main courante tenues "
        "sans reprise. Point à travailler : la transmission des consignes à la relève.",
        objectives="Rédiger les consignes de poste du site d'ici la prochaine période.",
        reported_by=trainer,
        reported_at=timezone.now() - datetime.timedelta(days=23),
        tutor_signed_at=timezone.now() - datetime.timedelta(days=20),
    )
    FollowUp.objects.create(
        learner=learner,
        kind=FollowUp.INTERVIEW,
        planned_on=today + datetime.timedelta(days=9),
        mode="video",
        place="Lien envoyé par le CFA",
        planned_by=trainer,
    )
    # The others were seen on time, but for a few: the alerts show those, as a centre's would.
    held = [
        lr
        for i, lr in enumerate(learners)
        if lr.pk != learner.pk and lr.status in ("apprentice", "professionalisation") and i % 9
    ]
    FollowUp.objects.bulk_create(
        FollowUp(
            learner=lr,
            kind=kind,
            planned_on=today - datetime.timedelta(days=days),
            held_on=today - datetime.timedelta(days=days),
            planned_by=trainer,
            report="Point de suivi sans difficulté particulière.",
            reported_by=trainer,
            reported_at=timezone.now() - datetime.timedelta(days=days),
        )
        for lr in held
        for kind, days in ((FollowUp.VISIT, 30 + lr.pk % 20), (FollowUp.INTERVIEW, 40 + lr.pk % 30))
    )
    statuses = list(
        CompetenceStatus.objects.filter(learner=learner)
        .select_related("competence")
        .order_by("competence__position")[:2]
    )
    for status, level in zip(statuses, ("acquired", None), strict=False):
        TutorAppraisal.objects.create(
            learner=learner,
            competence=status.competence,
            level=level or status.level,
            observed_on=visit.held_on,
            tutor=learner.tutor,
            comment="Vu sur le site lors des rondes de nuit.",
        )


# The second demo centre: an independent lycée professionnel, so that every page has another
# organisation's objects to hide. Its Bac pro and CAP files still lack competences and exam rules
# (they are marked partial), so it also runs a BTS MOS section with a livret and a mock exam.
LYCEE_NAME = "Lycée professionnel Jean-Moulin"
LYCEE_COMPANIES = [
    ("Sécuritas Loire", "Saint-Étienne"),
    ("Centre commercial Les Halles de Firminy — PC sécurité", "Firminy"),
    ("Métropole Sûreté Transports", "Saint-Étienne"),
]
LYCEE_TUTORS = [
    ("tuteur-lycee", "Mathieu", "Vidal"),
    ("tuteur2-lycee", "Fatima", "Bensaïd"),
    ("tuteur3-lycee", "Gilles", "Poirier"),
]


def _lycee(today, mos, names) -> None:
    rng = random.Random(2027)
    centre = Organisation.objects.create(
        name=LYCEE_NAME,
        kind=Organisation.LYCEE,
        city="Saint-Étienne",
        holiday_zone="A",  # académie de Lyon
        public_sector=True,
    )
    # A public lycée habilitated for every diploma it prepares.
    centre.habilitations.set(Referentiel.objects.values_list("diploma", flat=True).distinct())
    manager = _user("responsable-lycee", "Bernard", "Aubert")
    Profile.objects.create(user=manager, role=Profile.MANAGER, organisation=centre)
    trainers = [
        _user("formateur-lycee", "Claire", "Besson"),
        _user("formateur2-lycee", "Yves", "Dupuis"),
    ]
    for t in trainers:
        Profile.objects.create(user=t, role=Profile.TRAINER, organisation=centre)
    companies, tutors = _companies(centre, LYCEE_COMPANIES, LYCEE_TUTORS)
    year = _school_year(today)
    learners = []
    for slug, label, years in (
        ("bacpro-metiers-securite", "Bac pro Métiers de la sécurité", 3),
        ("cap-agent-securite", "CAP Agent de sécurité", 2),
    ):
        ref = Referentiel.objects.public().filter(diploma__slug=slug).order_by("-version").first()
        if ref is None:
            continue
        # The Bac pro pupils are in terminale: their première (and its attestation) is done.
        start = year - 2 if years == 3 else year - 1
        level = "terminale" if years == 3 else "2e année"
        cohort = _cohort(
            centre, ref, f"{label} {start}-{start + years} ({level})", start, trainers, years
        )
        group = _populate(
            centre,
            cohort,
            14,
            trainers,
            tutors,
            names,
            rng,
            today,
            first_username="eleve-lycee" if slug.startswith("bacpro") else None,
            status=Learner.SCHOOL,
        )
        learners += group
        _pfmp(group, companies, today, rng)
        _pfmp_referents(group, trainers, today)
        _pfmp_reviews(group, trainers, today, rng)
        if years == 3:
            _premiere(cohort, trainers, manager, rng)
    mos_cohort = _cohort(
        centre, mos, f"BTS MOS {year - 1}-{year + 1} (2e année)", year - 1, trainers
    )
    mos_learners = _populate(centre, mos_cohort, 12, trainers, tutors, names, rng, today)
    _periods(mos_learners, companies, today)
    _exam_session(centre, mos_cohort, today, ("examens-lycee", "Sylvie", "Garnier"))
    _marks(mos_cohort, trainers, today, rng, PROGRAMME_UNITS[:3])
    _survey(centre, manager, mos_cohort, rng, answers=3)


def _companies(centre, companies, tutors):
    made = [
        Organisation.objects.create(name=n, kind=Organisation.COMPANY, city=c, centre=centre)
        for n, c in companies
    ]
    pairs = []
    for (username, first, last), company in zip(tutors, made, strict=True):
        u = _user(username, first, last)
        Profile.objects.create(user=u, role=Profile.TUTOR, organisation=company)
        pairs.append((u, company))
    return made, pairs


def _cohort(centre, ref, name, start_year, trainers, duration=2):
    cohort = Cohort.objects.create(
        centre=centre,
        referentiel=ref,
        name=name,
        start_year=start_year,
        duration_years=duration,
        # Written exams are in May (seed 004); the date is the demo's choice.
        exam_date=datetime.date(start_year + duration, 5, 18),
        closures=[
            [f"{y}-12-21", f"{y + 1}-01-03"] for y in range(start_year, start_year + duration)
        ],
    )
    cohort.trainers.set(trainers)
    return cohort


def _populate(
    centre,
    cohort,
    size,
    trainers,
    tutors,
    names,
    rng,
    today,
    first_username=None,
    status=None,
):
    """Learners of a cohort with accounts, a livret of facts over their training, situations."""
    competences = list(
        Competence.objects.filter(
            referentiel=cohort.referentiel, module_unit__isnull=True
        ).order_by("position")
    )
    tasks = list(Task.objects.filter(referentiel=cohort.referentiel))
    start = datetime.date(cohort.start_year, 9, 1)
    facts, situations, learners = [], [], []
    for i in range(size):
        first, last = names.pop()
        username = (
            first_username
            if (first_username and i == 0)
            else f"{first}.{last}".lower().replace(" ", "")
        )
        username = username.translate(str.maketrans("éèëêïîçöô", "eeeeiicoo"))
        user = _user(username, first, last)
        Profile.objects.create(user=user, role=Profile.LEARNER, organisation=centre)
        tutor, company = tutors[0] if i == 0 else tutors[rng.randrange(len(tutors))]
        learner = Learner.objects.create(
            user=user,
            centre=centre,
            cohort=cohort,
            first_name=first,
            last_name=last,
            email=user.email,  # one address per person: the account's
            status=status or Learner.APPRENTICE,
            contract_start=start if not status else None,
            contract_end=datetime.date(cohort.start_year + cohort.duration_years, 8, 31)
            if not status
            else None,
            company=company,
            tutor=tutor,
            birth_date=datetime.date(
                cohort.start_year - (15 if status else 19) - rng.randrange(4),
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
                        evaluator=trainers[rng.randrange(len(trainers))],
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
                    rng.sample(competences[:28], k=3) if len(competences) >= 28 else [],
                    rng.sample(tasks, k=2) if len(tasks) >= 2 else [],
                )
            )
    CompetenceEvaluation.objects.bulk_create(facts, batch_size=2000)
    # The statuses as the app computes them, by its own service (bulk).
    rebuild_statuses(learners)
    for situation, comps, task_list in situations:
        situation.save()
        situation.competences.set(comps)
        situation.tasks.set(task_list)
    return learners


PREMIERE_MODULES = [  # (title, its role in the attestation de réussite intermédiaire)
    ("Français", "teaching"),
    ("Histoire-géographie et enseignement moral et civique", "teaching"),
    ("Mathématiques", "teaching"),
    ("Langue vivante A (anglais)", "teaching"),
    ("Prévention santé environnement", "teaching"),
    ("Enseignement professionnel — Métiers de la sécurité", "specialty"),
    ("Chef-d'œuvre", "chef_oeuvre"),
]


def _premiere(cohort, trainers, manager, rng) -> None:
    """Last year's première of the Bac pro cohort: two marks a semester in each teaching, and the
    attestation de réussite intermédiaire it gives; the head of the establishment has decided for
    the pupils between 9 and 10 but one, still to be decided."""
    from simple_history.utils import bulk_create_with_history

    from livret.bulletins import ari
    from livret.bulletins.models import Assessment, Mark, TeachingModule

    learners = list(cohort.learners.order_by("pk"))
    # Each pupil's level, spread so that every decision of the rule shows.
    levels = [12.5, 9.6, 11, 8.2, 14, 9.3, 10.4, 13, 7.4, 11.8, 9.8, 15, 10.9, 12.2]
    marks = []
    for i, (title, role) in enumerate(PREMIERE_MODULES):
        trainer = trainers[i % len(trainers)]
        module = TeachingModule.objects.create(cohort=cohort, title=title, ari_role=role)
        module.trainers.set([trainer])
        for semester, held in ((3, (10, 14)), (4, (3, 21))):
            month, day = held
            when = datetime.date(cohort.start_year + (1 if month >= 9 else 2), month, day + i)
            a = Assessment.objects.create(
                module=module,
                title=f"Évaluation du semestre {semester}",
                held_on=when,
                semester=semester,
                created_by=trainer,
            )
            for k, learner in enumerate(learners):
                value = rng.gauss(levels[k % len(levels)], 0.4)
                hundredths = round(min(20, max(0, value)) * 2) * 50
                marks.append(
                    Mark(assessment=a, learner=learner, hundredths=hundredths, entered_by=trainer)
                )
    bulk_create_with_history(marks, Mark, default_user=trainers[0])
    band = [r for r in ari.rows(cohort)[1] if r.council_band]
    opinions = [
        (True, "Appréciation très positive de la PFMP ; élève assidu et engagé."),
        (False, "PFMP à consolider ; engagement irrégulier au troisième trimestre."),
    ]
    for k, row in enumerate(band[:-1]):
        granted, reason = opinions[k % 2]
        ari.record_council(cohort, row.learner, granted, reason, manager)


PFMP_APPRAISALS = [
    "Élève ponctuel et impliqué ; bonne tenue au poste d'accueil et lors des rondes.",
    "Progrès nets dans la rédaction de la main courante ; doit gagner en assurance à l'oral.",
    "Posture professionnelle affirmée, consignes appliquées avec rigueur.",
    "Période contrastée : investissement irrégulier, retards en début de période.",
]


def _pfmp_reviews(learners, trainers, today, rng) -> None:
    """The review of each finished PFMP: the teacher's pedagogical appraisal, the tutor's,
    validated — what the conseil de classe restreint reads for the attestation."""
    from livret.periods.models import PeriodReview

    now = timezone.now()
    for learner in learners:
        for period in learner.periods.filter(end__lt=today):
            PeriodReview.objects.create(
                period=period,
                pedagogical=rng.choice(PFMP_APPRAISALS),
                tutor_appraisal="Stagiaire sérieux, bonne intégration dans l'équipe de sécurité.",
                written_by=trainers[0],
                tutor=learner.tutor,
                tutor_signed_at=now,
                validated_at=now,
            )


def _pfmp(learners, companies, today, rng) -> None:
    """PFMP of the lycée's pupils: blocks of 3 to 4 weeks in each school year begun."""
    from livret.periods.models import Period

    for learner in learners:
        for n, (month, day, weeks) in enumerate(((1, 12, 4), (5, 18, 3))):
            for y in range(learner.cohort.start_year + 1, learner.cohort.start_year + 3):
                start = _monday(y, month, day)
                if start > today:
                    continue
                end = start + datetime.timedelta(days=7 * weeks - 3)
                done = end < today
                Period.objects.create(
                    learner=learner,
                    kind=Period.PFMP,
                    company=companies[(learner.pk + n) % len(companies)],
                    start=start,
                    end=end,
                    attestation_received=done,
                    attestation_signed=done and rng.random() > 0.1,
                )


def _referents_and_rupture(learners, trainers, manager, today) -> None:
    """A formateur référent for each apprentice (the two trainers in turn), and one broken
    contract whose six months at the centre end within the month (its alert shows)."""
    from livret.periods import services as period_services

    for n, learner in enumerate(learners):
        Learner.objects.filter(pk=learner.pk).update(referent=trainers[n % len(trainers)])
    oldest = min(lr.cohort.start_year for lr in learners)
    broken = next(
        lr
        for lr in reversed(learners)
        if lr.cohort.start_year == oldest
        and lr.status == Learner.APPRENTICE
        and lr.tutor_id != learners[0].tutor_id  # not the demo tutor's apprentice
        and lr.contracts.exists()
    )
    period_services.record_rupture(
        broken.contracts.get(),
        manager,
        today - datetime.timedelta(days=160),
        "agreement",
        "Rupture d'un commun accord : déménagement de l'apprenti dans une autre région.",
    )


def _pfmp_referents(learners, trainers, today) -> None:
    """An enseignant référent for each PFMP, and his contacts with the tutor during those
    already begun (one at the start, one midway, as L124-1's « à plusieurs reprises »)."""
    from django.utils import timezone

    from livret.periods.models import Period, PeriodContact

    for n, period in enumerate(Period.objects.filter(learner__in=learners, kind=Period.PFMP)):
        referent = trainers[n % len(trainers)]
        Period.objects.filter(pk=period.pk).update(referent=referent)
        days = [period.start + datetime.timedelta(days=d) for d in (2, 10)]
        PeriodContact.objects.bulk_create(
            PeriodContact(
                period=period,
                day=day,
                mode="phone" if i == 0 else "visit",
                note="Appel au tuteur : intégration correcte, horaires respectés."
                if i == 0
                else "Visite à mi-période : activités conformes à l'annexe pédagogique.",
                recorded_by=referent,
                recorded_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(17))),
            )
            for i, day in enumerate(days)
            if day <= min(today, period.end)
        )


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


def _exam_session(centre, cohort, today, account) -> None:
    """A finished mock exam (examen blanc) for the 2nd-year cohort: grades, NV, ABS, control, signed PV."""
    from livret.engine import jury
    from livret.exams import services
    from livret.exams.models import ExamSession

    rng = random.Random(2026)
    admin = _user(*account)
    Profile.objects.create(user=admin, role=Profile.EXAM_ADMIN, organisation=centre)
    session = ExamSession.objects.create(
        referentiel=cohort.referentiel,
        organiser=centre,
        year=today.year,
        name=f"Examen blanc BTS MOS — {today:%m/%Y}",
        jury_members=_jury(centre, cohort),
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
    # The E4 CCF situations of the first candidates: held, graded by the panel, reported.
    from livret.exams import ccf

    trainer = cohort.trainers.order_by("pk").first()
    for c in session.candidates.order_by("number")[:4]:
        grade = c.grades.filter(unit="U4", control=False, hundredths__isnull=False).first()
        if grade is None:
            continue
        situation = ccf.plan(
            c,
            "U4",
            today - datetime.timedelta(days=45),
            "Centre de formation, salle 4",
            "Mme Leclerc, responsable d'agence de sécurité",
            trainer,
        )
        situation.appreciations = [
            {**a, "text": "Conforme aux attendus." if k % 2 else "Bonne maîtrise, à consolider."}
            for k, a in enumerate(situation.appreciations)
        ]
        situation.proposed_hundredths = grade.hundredths
        situation.proposed_at = situation.reported_at = timezone.now()
        situation.save()
    services.sign_minutes(session, admin)


def _jury(centre, cohort) -> list[list[str]]:
    manager = Profile.objects.filter(organisation=centre, role=Profile.MANAGER).first().user
    trainer = cohort.trainers.order_by("pk").first()
    tutor = cohort.learners.exclude(tutor=None).order_by("pk").first().tutor
    return [
        [manager.get_full_name(), "présidence, responsable formation"],
        [trainer.get_full_name(), "formateur"],
        [tutor.get_full_name(), "professionnel"],
    ]


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
        ref = Referentiel.objects.public().filter(diploma__slug=slug).order_by("-version").first()
        VaeOffer.objects.create(certifier=certifier, referentiel=ref)
    # An accompanying organisation and its accompagnateur (décret n° 2023-1275).
    relay = Organisation.objects.create(
        name="Relais VAE de démonstration (accompagnement)",
        kind=Organisation.TRAINING_BODY,
        city="Paris",
    )
    guide = _user("accompagnateur", "Karine", "Lemoine")
    Profile.objects.create(user=guide, role=Profile.VAE_GUIDE, organisation=relay)
    # Files at each step, all accompanied by her, one decided by a jury of three (vae/demo.py).
    from livret.vae import demo as vae_demo

    vae_demo.seed(staff, guide, today, _user)
    # Their deadlines shown: the dates of journeys in progress (vae/clock_demo.py).
    from livret.vae import clock_demo

    clock_demo.seed(certifier, today)
