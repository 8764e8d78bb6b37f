"""The rights matrix, generated from the URL resolver.

Every URL of the application, the Django admin and the API is requested by every role of both demo
centres (and by the platform administrator, the VAE certifier, a VAE candidate and an anonymous
visitor), with the objects of both centres. Outside rights the answer is a 404 (or the login
redirect for an anonymous visitor); an action refused on an object one may see is a 403; no page
lists another centre's people. A URL that this file does not know fails the test: a new view cannot
be added without saying who may open it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from livret.api.models import ApiToken
from livret.bulletins.models import Assessment, TeachingModule
from livret.exams.models import CcfSituation
from livret.jobs import runner
from livret.jobs.models import Job
from livret.notifications.services import notify
from livret.ops import demo
from livret.people.models import Learner, Organisation, Profile
from livret.periods.models import FollowUp
from livret.referentiels import services as ref_services
from livret.referentiels.loader import default_files, load_files
from livret.referentiels.models import Competence, Referentiel
from livret.surveys import services as survey_services
from livret.surveys.models import Survey

# --- who -------------------------------------------------------------------------------------
CENTRE_ROLES = ("manager", "trainer", "tutor", "learner", "exam_admin")
ACCOUNTS = {
    "cfa": {
        "manager": "responsable",
        "trainer": "formateur",
        "tutor": "tuteur",
        "learner": "apprenti",
        "exam_admin": "examens",
    },
    "lycee": {
        "manager": "responsable-lycee",
        "trainer": "formateur-lycee",
        "tutor": "tuteur-lycee",
        "learner": None,  # the BTS MOS apprentice of the lycée, found below
        "exam_admin": "examens-lycee",
    },
}
OTHER = {"cfa": "lycee", "lycee": "cfa"}

# --- what each URL allows, for the objects of the user's own centre ----------------------------
# ok: the page answers (200, a redirect, or 405 for a POST-only action opened with GET);
# refused: the object is visible but the action is not the user's (403); anyone else: 404.
ANY = {
    "manager",
    "trainer",
    "tutor",
    "learner",
    "exam_admin",
    "admin",
    "certifier",
    "candidate",
    "guide",
}
VIEWERS = {"manager", "trainer", "tutor", "learner", "admin"}
EXAMS = {"exam_admin", "manager", "admin"}
CENTRE = {"manager", "trainer", "admin"}
# Roles that get no API token (access.uses_api_tokens): one made before is refused, 401.
NO_API_TOKENS = {"tutor", "learner", "candidate"}


@dataclass(frozen=True)
class Rule:
    ok: frozenset
    refused: frozenset = frozenset()
    public: bool = False  # no login needed (token in the URL, or a public page)
    post_only: bool = False
    object: str | None = None  # what the URL's pk names: learner, cohort, session, …
    may_be_absent: bool = False  # 404 also for the allowed (e.g. a centre without a logo)


def rule(ok, refused=(), **kw):
    return Rule(frozenset(ok), frozenset(refused), **kw)


RULES = {
    # public pages
    "login": rule(ANY, public=True),
    "password_reset": rule(ANY, public=True),
    "password_reset_done": rule(ANY, public=True),
    "password_reset_confirm": rule(ANY, public=True),
    "password_reset_complete": rule(ANY, public=True),
    "vae_signup": rule(ANY, public=True),
    "vae_confirm": rule(ANY, public=True),
    # An expired confirmation link asks for a fresh one (throttled; the signed link is the right).
    "vae_confirm_resend": rule(ANY, public=True, post_only=True),
    "badge_verify": rule(ANY, public=True),
    "badge_issuer": rule(ANY, public=True, object="centre"),
    # What verifiers dereference: the issuer's keys and its revocation list.
    "badge_jwks": rule(ANY, public=True, object="centre"),
    "badge_key": rule(ANY, public=True, object="centre"),
    "badge_status_list": rule(ANY, public=True, object="centre"),
    "learner_ics": rule(ANY, public=True, object="learner"),  # the secret token is the right
    "logout": rule(ANY, post_only=True),
    # every logged-in user
    "home": rule(ANY),
    "role_home": rule(ANY),
    "diploma_list": rule(ANY),
    "search": rule(ANY),
    "tree": rule(ANY),
    "blocs": rule(ANY),
    "exams": rule(ANY),
    "competence": rule(ANY),
    "vae_home": rule(ANY),
    "vae_start": rule(ANY, post_only=True),
    # « Mon compte »: every role's own page; the address changes only through a link that is
    # the logged-in user's (another's, or an invalid one: 400, nothing changed).
    "account": rule(ANY),
    "account_email": rule(ANY, post_only=True),
    "account_email_confirm": rule(ANY),
    "account_password": rule(ANY),
    # API tokens: the staff roles only (not apprentices, tutors nor VAE candidates).
    "api_tokens": rule({"manager", "trainer", "exam_admin", "certifier", "guide", "admin"}),
    "api_token_revoke": rule({"manager"}, post_only=True, object="token"),
    "jobs": rule(ANY),
    "notifications": rule(ANY),
    "notifications_read_all": rule(ANY, post_only=True),
    "notification_preferences": rule(ANY),
    # satisfaction questionnaires: the manager's, answered by the learners (or tutors) asked
    "surveys": rule({"manager", "learner", "tutor", "trainer"}),
    "survey": rule({"manager", "admin"}, object="survey"),
    "survey_export": rule({"manager", "admin"}, object="survey"),
    "survey_answer": rule({"learner"}, object="invitation"),
    # A funder's contact, without an account: the code is posted (it never travels in a URL);
    # without a checked code in the session, the answer page sends back to the code's page.
    "survey_link": rule(ANY, public=True),
    "survey_link_answer": rule(ANY, public=True),
    "survey_optout": rule(ANY, public=True),
    # a notification: only its recipient (here, each centre's manager)
    "notification_open": rule({"manager"}, object="notification"),
    # a background job: only the one who asked for it (here, each centre's manager)
    "job": rule({"manager"}, object="job"),
    "job_state": rule({"manager"}, object="job"),
    "job_file": rule({"manager"}, object="job"),
    # one role's pages
    "learner_home": rule({"learner"}),
    "tutor_home": rule({"tutor"}),
    "cohort_list": rule(CENTRE),
    "dashboard": rule({"manager"}),
    "people_search": rule({"manager", "trainer", "exam_admin"}),
    "exam_sessions": rule(EXAMS),
    # the centre's exam office opens its sessions (the platform's operators: the admin site)
    "exam_session_new": rule({"exam_admin"}, {"manager", "admin"}),
    "imports": rule({"manager"}),
    # The référentiel workshop: each centre's manager and the platform's operators; a centre's
    # draft is its own (another centre's manager: 404).
    "workshop": rule({"manager", "admin"}),
    "workshop_import": rule({"manager", "admin"}),
    "workshop_version": rule({"manager", "admin"}, object="version"),
    "workshop_export": rule({"manager", "admin"}, object="version"),
    "workshop_compare": rule({"manager", "admin"}, object="version"),
    "workshop_copy": rule({"manager", "admin"}, post_only=True, object="version"),
    "workshop_publish": rule({"manager", "admin"}, post_only=True, object="version"),
    # The validator's messages for a form being typed (htmx): who may edit the draft.
    "workshop_validate": rule({"manager", "admin"}, post_only=True, object="version"),
    # Moving a cohort to another version: its centre's manager (and the platform's operators).
    "workshop_move": rule({"manager", "admin"}, {"trainer"}, object="cohort"),
    "import_template": rule({"manager"}),
    "import_template_values": rule({"manager"}),
    "centre_home": rule({"manager"}),
    "centre_archive": rule({"manager"}, post_only=True),
    "centre_logo": rule(
        {"manager", "trainer", "tutor", "learner", "exam_admin"}, may_be_absent=True
    ),
    "centre_records": rule({"manager"}),
    "centre_record_new": rule({"manager"}),
    "centre_record": rule({"manager"}, object="record"),
    "funder_contact_forget": rule({"manager"}, post_only=True, object="funder_contact"),
    "vae_certifier": rule({"certifier", "admin"}),
    # The certifier's own figures (actualisation, alerts, retention): his organisation's only.
    "vae_settings": rule({"certifier"}),
    # a learner's livret
    "livret": rule(VIEWERS, object="learner"),
    "livret_pdf": rule(VIEWERS, object="learner"),
    "history": rule(VIEWERS, object="learner"),
    "learner_periods": rule(VIEWERS, object="learner"),
    # the .ics address is the learner's own secret: only he renews it
    "calendar_renew": rule(
        {"learner"}, {"manager", "trainer", "tutor", "admin"}, post_only=True, object="learner"
    ),
    "learner_badges": rule(VIEWERS, object="learner"),
    "follow_ups": rule(VIEWERS, object="learner"),
    "bulletin": rule(VIEWERS, object="learner"),
    "learner_ccf": rule(VIEWERS, object="learner"),
    # le fil du livret: the learner, his trainers and his tutor write; his manager only reads;
    # the platform administrator is no party (404)
    "thread": rule({"manager", "trainer", "tutor", "learner"}, object="learner"),
    # attendance: the trainer of a session (and his centre's manager) calls its roll; the tutor
    # and the learner see the session but may not call it; the learner signs his own presence
    "attendance_sessions": rule(ANY),
    "attendance_roll_call": rule({"manager", "trainer"}, {"tutor", "learner"}, object="seance"),
    "attendance_code": rule({"manager", "trainer"}, {"tutor", "learner"}, object="seance"),
    "attendance_code_json": rule({"manager", "trainer"}, {"tutor", "learner"}, object="seance"),
    "attendance_sign": rule({"learner"}, object="seance"),
    "attendance_learner": rule(VIEWERS, object="learner"),
    "attendance_sheet_pdf": rule({"manager", "trainer"}, {"tutor", "learner"}, object="seance"),
    "attendance_certificate": rule(VIEWERS, object="learner"),
    "attendance_cohort_month": rule({"manager", "trainer"}, object="cohort"),
    # the manager plans a cohort's timetable (a trainer of the centre reads it), decides the
    # justificatifs the learner or his tutor send, sets the centre's thresholds and reasons.
    "attendance_cohort_pattern": rule({"manager", "trainer"}, object="cohort"),
    "attendance_cohort_timetable": rule({"manager", "trainer"}, object="cohort"),
    "attendance_session_new": rule({"manager"}, {"trainer"}, object="cohort"),
    "attendance_session_edit": rule({"manager"}, {"trainer", "tutor", "learner"}, object="seance"),
    "attendance_cohort": rule({"manager", "trainer"}, object="cohort"),
    "attendance_justifications": rule({"manager"}),
    "attendance_justification_file": rule({"manager", "tutor", "learner"}, object="justification"),
    "attendance_justification_send": rule(
        {"tutor", "learner"}, {"manager", "trainer", "admin"}, object="learner"
    ),
    "attendance_settings": rule({"manager"}),
    # the sessions feed: its secret token is the right (as learner_ics); renewed by its owner
    "attendance_ics": rule(ANY, public=True, object="feed"),
    "attendance_ics_renew": rule({"trainer", "learner"}, post_only=True),
    "attendance_month_end": rule({"manager"}, post_only=True),
    "thread_post": rule(
        {"trainer", "tutor", "learner"}, {"manager"}, post_only=True, object="learner"
    ),
    # a CCF situation: whoever sees the learner's livret, and the exam office of its session
    "ccf_situation": rule(VIEWERS | {"exam_admin"}, object="ccf"),
    "ccf_convocation": rule(VIEWERS | {"exam_admin"}, object="ccf"),
    "bulletin_pdf": rule(VIEWERS, object="learner"),
    "follow_up": rule(VIEWERS, object="follow_up"),
    "evidence": rule(VIEWERS, object="evaluation"),
    "badge_download": rule(VIEWERS, object="credential"),
    "situation_detail": rule(VIEWERS, object="situation"),
    "evaluate": rule({"trainer", "admin"}, {"manager", "tutor", "learner"}, object="learner"),
    "sign_livret": rule(
        {"trainer", "tutor", "learner"}, {"manager", "admin"}, post_only=True, object="learner"
    ),
    "appraise": rule({"tutor"}, {"manager", "trainer", "learner", "admin"}, object="learner"),
    "situation_new": rule({"learner"}, {"manager", "trainer", "tutor", "admin"}, object="learner"),
    "period_new": rule({"manager", "trainer", "admin"}, {"tutor", "learner"}, object="learner"),
    "period_edit": rule({"manager", "trainer", "admin"}, {"tutor", "learner"}, object="learner"),
    # a period's review: read by whoever reads the livret (its writers are tested in periods/)
    "period_review": rule(VIEWERS, object="learner"),
    # the enseignant référent's contacts with the tutor: read by the livret's readers (the
    # référent and the learner's trainers write, tested in periods/)
    "period_contacts": rule(VIEWERS, object="learner"),
    # a contract's rupture and the rupture rates: the centre's manager (contracts are his)
    "contract_rupture": rule({"manager", "admin"}, object="contract"),
    "rupture_rates": rule({"manager", "admin"}),
    "personal_data": rule({"manager", "learner", "admin"}, {"trainer", "tutor"}, object="learner"),
    "anonymise": rule(
        {"manager", "admin"}, {"trainer", "tutor", "learner"}, post_only=True, object="learner"
    ),
    "badge_issue": rule(
        {"manager", "admin"}, {"trainer", "tutor", "learner"}, post_only=True, object="learner"
    ),
    "badge_revoke": rule(
        {"manager", "admin"}, {"trainer", "tutor", "learner"}, post_only=True, object="credential"
    ),
    "situation_edit": rule(
        {"learner"}, {"manager", "trainer", "tutor", "admin"}, object="situation"
    ),
    "situation_validate": rule(
        {"tutor"}, {"manager", "trainer", "learner", "admin"}, post_only=True, object="situation"
    ),
    "situation_evaluate": rule(
        {"trainer", "admin"}, {"manager", "tutor", "learner"}, post_only=True, object="situation"
    ),
    # the trainer attaches competences to a situation declared in free text
    "situation_competences": rule(
        {"trainer", "admin"}, {"manager", "tutor", "learner"}, object="situation"
    ),
    # a cohort
    "grid": rule(CENTRE, object="cohort"),
    "grid_xlsx": rule(CENTRE, object="cohort"),
    "cohort_livrets": rule(CENTRE, post_only=True, object="cohort"),
    "cohort_calendar": rule(CENTRE, object="cohort"),
    "evaluate_column": rule({"trainer", "admin"}, {"manager"}, object="cohort"),
    "cohort_modules": rule(CENTRE, object="cohort"),
    # the Bac pro's attestation de réussite intermédiaire: the manager decides (POST)
    "cohort_ari": rule(CENTRE, object="bacpro_cohort"),
    "cohort_ari_pdf": rule(CENTRE, object="bacpro_cohort"),
    # a teaching module (contrôle continu): the manager sets it, its trainers mark it
    "module_grid": rule(CENTRE, object="module"),
    "module_edit": rule({"manager", "admin"}, {"trainer"}, object="module"),
    "assessment_new": rule({"trainer", "admin"}, {"manager"}, object="module"),
    "assessment_edit": rule({"trainer", "admin"}, {"manager"}, object="module"),
    "module_appreciations": rule({"trainer", "admin"}, {"manager"}, object="module"),
    # an exam session
    "exam_deliberation": rule(EXAMS, object="session"),
    "exam_csv": rule(EXAMS, object="session"),
    "exam_pv": rule(EXAMS, object="session"),
    "exam_pv_number": rule(EXAMS, object="session"),
    "exam_pv_job": rule(EXAMS, post_only=True, object="session"),
    "exam_pv_number_job": rule(EXAMS, post_only=True, object="session"),
    "exam_documents": rule({"exam_admin", "admin"}, {"manager"}, post_only=True, object="session"),
    "exam_candidate": rule(EXAMS, object="session"),
    "exam_ccf": rule(EXAMS, object="session"),
    "exam_transcript": rule(EXAMS, object="session"),
    "exam_blocs": rule(EXAMS, object="session"),
    "exam_import": rule({"exam_admin", "admin"}, {"manager"}, object="session"),
    "exam_grades": rule({"exam_admin", "admin"}, {"manager"}, object="session"),
    "exam_import_template": rule({"exam_admin", "admin"}, {"manager"}, object="session"),
    "exam_sign": rule({"exam_admin", "admin"}, {"manager"}, post_only=True, object="session"),
    "exam_register": rule({"exam_admin", "admin"}, {"manager"}, post_only=True, object="session"),
    "exam_reopen": rule({"exam_admin", "admin"}, {"manager"}, post_only=True, object="session"),
    "exam_session_edit": rule({"exam_admin", "admin"}, {"manager"}, object="session"),
    "exam_close": rule({"exam_admin", "admin"}, {"manager"}, post_only=True, object="session"),
    "exam_candidate_update": rule(
        {"exam_admin", "admin"}, {"manager"}, post_only=True, object="session"
    ),
    # a VAE dossier (the candidate's; the certifier decides)
    # (and the accompagnateur the candidate chose, who reads and comments it)
    "vae_dossier": rule({"candidate", "certifier", "admin", "guide"}, object="candidacy"),
    "vae_dossier_pdf": rule({"candidate", "certifier", "admin", "guide"}, object="candidacy"),
    "vae_decision_pdf": rule({"candidate", "certifier", "admin", "guide"}, object="candidacy"),
    # The certificate for the VAE leave: the candidate's own request (décret n° 2024-332).
    "vae_leave_certificate_pdf": rule(
        {"candidate"}, {"certifier", "admin", "guide"}, object="candidacy"
    ),
    "vae_action": rule(
        {"candidate", "certifier", "admin", "guide"}, post_only=True, object="candidacy"
    ),
    "vae_experience_new": rule({"candidate"}, {"certifier", "admin", "guide"}, object="candidacy"),
    # The jury (D. 6412-6): the certifier composes it, convenes and records the decision; the
    # candidate, his accompagnateur and the members themselves read the convocation.
    # (the platform's operators do not sit in for the certifier: 403, like his decisions)
    "vae_jury": rule({"certifier"}, {"candidate", "guide", "admin"}, object="candidacy"),
    "vae_jury_decision": rule({"certifier"}, {"candidate", "guide", "admin"}, object="candidacy"),
    "vae_convocation_pdf": rule({"candidate", "certifier", "admin", "guide"}, object="candidacy"),
    "vae_experience": rule({"candidate"}, {"certifier", "admin", "guide"}, object="candidacy"),
    # the API (a personal token carries its owner's rights)
    "api-v1:openapi-json": rule(ANY, public=True),
    "api-v1:openapi-view": rule(ANY, public=True),
    "api-v1:api-root": rule(ANY, public=True),
    "api-v1:list_referentiels": rule(ANY),
    "api-v1:list_competences": rule(ANY),
    "api-v1:list_cohorts": rule(ANY),
    "api-v1:list_learners": rule(ANY),
    "api-v1:get_learner": rule(VIEWERS, object="learner"),
    "api-v1:list_evaluations": rule(VIEWERS, object="learner"),
    "api-v1:create_evaluation": rule(
        {"trainer", "admin"}, {"manager", "tutor", "learner"}, post_only=True, object="learner"
    ),
    "api-v1:list_situations": rule(VIEWERS, object="learner"),
    "api-v1:list_periods": rule(VIEWERS, object="learner"),
    "api-v1:list_grades": rule(EXAMS, object="session"),
    "api-v1:list_ccp_results": rule(EXAMS, object="session"),
}
# URLs on the VAE side have no centre: the "other" object is another candidate's dossier.
VAE = {name for name, r in RULES.items() if r.object == "candidacy"}


def walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = (
                f"{namespace}:{p.namespace}"
                if p.namespace and namespace
                else (p.namespace or namespace)
            )
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield prefix + str(p.pattern), name, p


# --- the world: both demo centres, with one of every kind of object --------------------------
@dataclass
class Centre:
    key: str
    org: Organisation
    users: dict
    learner: Learner
    objects: dict


def build_world(django_user_model, tmp_path, settings):
    from livret.competences.services import record_evaluation
    from livret.credentials import services as badges
    from livret.credentials.models import Credential
    from livret.exams.models import ExamSession
    from livret.periods.models import Agreement, Period
    from livret.referentiels.models import Bloc
    from livret.vae import services as vae_services
    from livret.vae.models import Candidacy, Experience, VaeOffer

    settings.MEDIA_ROOT = tmp_path / "media"
    load_files(default_files())
    demo.create(today=datetime.date(2026, 11, 26))
    users = {u.username: u for u in django_user_model.objects.select_related("profile")}
    centres = {}
    for key, name in (("cfa", demo.CENTRE_NAME), ("lycee", demo.LYCEE_NAME)):
        org = Organisation.objects.get(name=name)
        accounts = {role: users.get(username) for role, username in ACCOUNTS[key].items()}
        trainer, tutor = accounts["trainer"], accounts["tutor"]
        learner = (
            Learner.objects.filter(
                centre=org,
                cohort__trainers=trainer,
                tutor=tutor,
                cohort__referentiel__diploma__slug="bts-mos",
                user__isnull=False,
            )
            .order_by("pk")
            .first()
        )
        accounts["learner"] = learner.user
        competence = (
            Competence.objects.filter(referentiel=learner.cohort.referentiel, module_unit=None)
            .order_by("position")
            .first()
        )
        upload = SimpleUploadedFile("preuve.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
        evaluation = record_evaluation(
            learner=learner,
            competence=competence,
            level="in_progress",
            observed_on=datetime.date(2026, 10, 1),
            evaluator=trainer,
            evidence=upload,
            evidence_type="application/pdf",
        )
        bloc = Bloc.objects.filter(referentiel=learner.cohort.referentiel).first()
        # A badge row as the issuing service leaves it (the matrix checks who may reach it).
        credential = Credential.objects.create(
            learner=learner,
            bloc=bloc,
            issuer=org,
            issued_by=accounts["manager"],
            ground="livret",
            jws=badges.issuer_key(org).kid,
        )
        # The centre's BTS MOS session (the CFA also runs titre pro sessions).
        session = ExamSession.objects.filter(
            organiser=org, referentiel__diploma__slug="bts-mos"
        ).first()
        token, _ = ApiToken.issue(accounts["manager"], "matrice")
        job = Job(
            kind="cohort_livrets",
            title=f"Livrets — {org.name}",
            requested_by=accounts["manager"],
            centre=org,
            status=Job.DONE,
        )
        runner.save_file(job, "livrets.zip", b"PK\x05\x06" + b"\x00" * 18)
        job.save()
        (notification,) = notify(
            [accounts["manager"]], "evaluation", f"Pour {org.name}", url="/promotions/"
        )
        module = TeachingModule.objects.create(cohort=learner.cohort, title=f"Module {key}")
        module.trainers.set([trainer])
        assessment = Assessment.objects.create(
            module=module,
            title="Écrit",
            held_on=datetime.date(2026, 10, 5),
            semester=3,
            created_by=trainer,
        )
        survey = Survey.objects.create(
            centre=org,
            title=f"Satisfaction {key}",
            audience=Survey.LEARNERS,
            moment=Survey.END_OF_COURSE,
            questions=[{"label": "Utile ?", "kind": "scale"}],
            created_by=accounts["manager"],
        )
        survey.cohorts.set([learner.cohort])
        survey_services.send(survey)
        candidate = session.candidates.get(learner=learner)
        ccf_situation = candidate.ccf_situations.filter(unit="U4").first() or (
            CcfSituation.objects.create(
                candidate=candidate, unit="U4", held_on=datetime.date(2027, 3, 15), assessor=trainer
            )
        )
        period = learner.periods.first()
        if period is None:
            period = Period.objects.create(
                learner=learner,
                company=learner.company,
                start=datetime.date(2026, 1, 5),
                end=datetime.date(2026, 1, 30),
            )
        centres[key] = Centre(
            key,
            org,
            accounts,
            learner,
            {
                "learner": learner,
                "cohort": learner.cohort,
                "bacpro_cohort": _bacpro_cohort(org, trainer),
                "session": session,
                "candidate": session.candidates.order_by("number").first(),
                "situation": learner.situations.first(),
                "evaluation": evaluation,
                "competence": competence,
                "bloc": bloc,
                "credential": credential,
                "period": period,
                "token": token,
                "job": job,
                "notification": notification,
                "module": module,
                "assessment": assessment,
                "survey": survey,
                "invitation": survey.invitations.get(user=learner.user),
                "ccf": ccf_situation,
                "follow_up": FollowUp.objects.create(
                    learner=learner,
                    kind=FollowUp.VISIT,
                    planned_on=datetime.date(2026, 12, 3),
                    planned_by=trainer,
                ),
                "seance": _seance(learner.cohort, trainer),
                "justification": _justification(learner),
                "feed": _feed(trainer),
                "centre": org,
                "records": {
                    "equipe": accounts["trainer"],
                    "tuteurs": tutor,
                    "entreprises": learner.company,
                    "promotions": learner.cohort,
                    "apprenants": learner,
                    "contrats": learner.contracts.first()
                    or org.learners.filter(contracts__isnull=False).first().contracts.first(),
                    "conventions": Agreement.objects.filter(period__learner__centre=org).first(),
                    **_funder_records(org, learner.cohort, key),
                },
            },
        )
    # Two VAE candidates, each with a submitted dossier: each one's is the other's "other".
    offer = VaeOffer.objects.select_related("referentiel").first()
    candidates = {}
    for key in ("cfa", "lycee"):
        user = django_user_model.objects.create_user(
            f"candidat-{key}", email=f"candidat-{key}@exemple.fr", password="x" * 14
        )
        candidacy = Candidacy.objects.create(candidate=user, offer=offer, motivation="Projet.")
        experience = Experience.objects.create(
            candidacy=candidacy,
            employer="Vigilis",
            job_title="Agent",
            start=datetime.date(2020, 1, 1),
            end=datetime.date(2023, 1, 1),
        )
        experience.competences.set(Competence.objects.filter(referentiel=offer.referentiel)[:3])
        vae_services.submit(candidacy)
        # The accompagnateur this candidate chose, in an accompanying organisation of his own.
        aap = Organisation.objects.create(name=f"Relais VAE {key}", kind=Organisation.TRAINING_BODY)
        guide = django_user_model.objects.create_user(f"accompagnateur-{key}", password="x" * 14)
        Profile.objects.create(user=guide, role=Profile.VAE_GUIDE, organisation=aap)
        candidacy.guide = guide
        candidacy.save()
        candidates[key] = (user, candidacy, experience, guide)
    for key, c in centres.items():
        c.users["candidate"] = candidates[key][0]
        c.users["guide"] = candidates[key][3]
        c.objects["candidacy"] = candidates[key][1]
        c.objects["experience"] = candidates[key][2]
        # Each centre's own draft référentiel version (the workshop's pages).
        mos = Referentiel.objects.public().filter(diploma__slug="bts-mos").order_by("-version")[0]
        c.objects["version"] = ref_services.draft_from(mos, owner=c.org)
    return centres, users


def _seance(cohort, trainer):
    from livret.attendance.models import Session

    seance = Session.objects.create(
        cohort=cohort,
        date=datetime.date(2026, 12, 7),
        start=datetime.time(9),
        end=datetime.time(12),
    )
    seance.trainers.set([trainer])
    return seance


def _feed(trainer):
    from livret.attendance import services as attendance_services

    return attendance_services.feed_of(trainer)


def _justification(learner):
    """The learner's justificatif of absence, with its file (sent by himself)."""
    from livret.attendance import services as attendance_services
    from livret.attendance.models import AbsenceReason

    attendance_services.seed_reasons(learner.centre)
    return attendance_services.send_justification(
        learner,
        learner.user,
        AbsenceReason.objects.filter(centre=learner.centre).first(),
        datetime.date(2026, 12, 1),
        datetime.date(2026, 12, 1),
        "",
        SimpleUploadedFile("arret.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )


def _bacpro_cohort(org, trainer):
    """The centre's 3-year Bac pro cohort that the trainer teaches (made for the CFA)."""
    from livret.people.models import Cohort
    from livret.referentiels.models import Referentiel

    found = Cohort.objects.filter(
        centre=org,
        referentiel__diploma__kind="bac_pro",
        duration_years=3,
        trainers=trainer,
    ).first()
    if found:
        return found
    ref = Referentiel.objects.filter(diploma__kind="bac_pro").order_by("-version").first()
    cohort = Cohort.objects.create(
        centre=org, referentiel=ref, name="Bac pro (matrice)", start_year=2025, duration_years=3
    )
    cohort.trainers.set([trainer])
    return cohort


def _funder_records(org, cohort, key) -> dict:
    from livret.surveys.models import Funder, FunderContact

    funder = Funder.objects.create(centre=org, kind=Funder.OPCO, name=f"OPCO Matrice {key}")
    funder.cohorts.set([cohort])
    contact = FunderContact.objects.create(
        funder=funder, name=f"Contact Financeur {key}", email=f"financeur-{key}@exemple.fr"
    )
    return {"financeurs": funder, "contacts-financeurs": contact}


def kwargs_for(pattern: str, name: str, r: Rule | None, centre: Centre, kind=None):
    o = centre.objects
    values = {}
    for param in _params(pattern):
        if param == "pk":
            values[param] = {
                "learner": o["learner"].pk,
                "cohort": o["cohort"].pk,
                "bacpro_cohort": o["bacpro_cohort"].pk,
                "session": o["session"].pk,
                "situation": o["situation"].pk,
                "candidacy": o["candidacy"].pk,
                "token": o["token"].pk,
                "job": o["job"].pk,
                "notification": o["notification"].pk,
                "follow_up": o["follow_up"].pk,
                "module": o["module"].pk,
                "survey": o["survey"].pk,
                "ccf": o["ccf"].pk,
                "invitation": o["invitation"].pk,
                "version": o["version"].pk,
                "seance": o["seance"].pk,
                "justification": o["justification"].pk,
                "feed": None,
                "record": (o["records"][kind].pk if kind else None),
                "contract": o["records"]["contrats"].pk,
                "funder_contact": o["records"]["contacts-financeurs"].pk,
            }[r.object]
        elif param == "competence_id":
            values[param] = o["competence"].pk
        elif param == "bloc_id":
            values[param] = o["bloc"].pk
        elif param == "evaluation_id":
            values[param] = o["evaluation"].pk
        elif param == "fmt":
            values[param] = "csv"
        elif param == "assessment_id":
            values[param] = o["assessment"].pk
        elif param == "period_id":
            values[param] = o["period"].pk
        elif param == "cid":
            values[param] = o["candidate"].pk
        elif param == "number":
            values[param] = 1
        elif param == "uid":
            values[param] = o["credential"].uid
        elif param == "token" and "calendrier" in pattern:
            values[param] = o["learner"].calendar_token
        elif param == "token" and "agenda" in pattern:
            values[param] = o["feed"].token
        elif param == "token":
            values[param] = "jeton-invalide"
        elif param == "uidb64":
            values[param] = "MQ"
        elif param == "eid":
            values[param] = o["experience"].pk
        elif param == "slug":
            values[param] = "bts-mos"
        elif param == "code":
            values[param] = o["competence"].code
        elif param == "kind":
            values[param] = kind or "apprenants"
        elif param == "org_id":
            values[param] = o["centre"].pk
        elif param == "name" and "badges/emetteurs" in pattern:
            values[param] = o["centre"].issuer_keys.get(active=True).name
        elif param == "learner_id":
            values[param] = o["learner"].pk
        elif param == "session_id":
            values[param] = o["session"].pk
        else:
            raise AssertionError(f"{name}: paramètre {param} inconnu de la matrice")
    return values


def _params(pattern: str):
    import re

    return re.findall(r"<(?:\w+:)?(\w+)>", pattern)


def fill(pattern: str, values: dict) -> str:
    import re

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), pattern)


def request(client, url, post: bool, token=None, payload=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if url.startswith("/api/") and post:
        # A valid body: the answer must come from the rights, not from the validation.
        return client.post(url, data=payload or {}, content_type="application/json", **headers)
    if post:
        return client.post(url, {}, **headers)
    return client.get(url, **headers)


@pytest.mark.django_db(transaction=False)
def test_every_url_every_role_both_centres(django_user_model, tmp_path, settings):
    import logging

    logging.disable(logging.WARNING)  # thousands of expected 403/404 lines otherwise
    settings.AXES_ENABLED = False
    centres, users = build_world(django_user_model, tmp_path, settings)
    patterns = list(walk(get_resolver().url_patterns))
    admin_patterns = [(p, n, u) for p, n, u in patterns if p.startswith("admin/")]
    app_patterns = [(p, n, u) for p, n, u in patterns if not p.startswith("admin/")]

    unknown = sorted({n or p for p, n, u in app_patterns if n not in RULES})
    assert not unknown, f"URL(s) absentes de la matrice des droits : {unknown}"

    # Tokens with each user's rights, for the API.
    tokens = {}

    def token_of(user):
        if user.pk not in tokens:
            tokens[user.pk] = ApiToken.issue(user, "matrice")[1]
        return tokens[user.pk]

    # The roles: each centre's five, the platform admin, the VAE side, and anonymous.
    actors = []
    for key, c in centres.items():
        for role in CENTRE_ROLES:
            actors.append((key, role, c.users[role]))
        actors.append((key, "candidate", c.users["candidate"]))
        actors.append((key, "guide", c.users["guide"]))
    actors.append((None, "admin", users["admin"]))
    actors.append((None, "certifier", users["certificateur"]))
    actors.append((None, "anonymous", None))

    counts = {"requests": 0, "urls": 0, "leaks": []}
    clients = {}

    def client_for(user):
        key = user.pk if user else None
        if key not in clients:
            cl = Client()
            if user:
                cl.force_login(user)
            clients[key] = cl
        return clients[key]

    # What would betray another centre on a page: its name, its learner, the people around him.
    markers = {
        key: [
            c.org.name,
            c.learner.email,
            f"{c.learner.first_name} {c.learner.last_name}",
            c.users["tutor"].get_full_name(),
            c.users["trainer"].get_full_name(),
            c.learner.company.name,
            c.objects["records"]["financeurs"].name,
            c.objects["records"]["contacts-financeurs"].name,
        ]
        for key, c in centres.items()
    }

    def check(name, r, url, actor_key, role, user, target_key, expected_any):
        post = r.post_only
        token = token_of(user) if (user and name.startswith("api-v1:") and not r.public) else None
        cl = client_for(None if token else user)
        payload = {
            "competence": centres[target_key].objects["competence"].code,
            "level": "in_progress",
            "observed_on": "2026-10-01",
        }
        response = request(cl, url, post, token, payload)
        counts["requests"] += 1
        status = response.status_code
        if status not in expected_any:
            counts["leaks"].append((name, url, role, actor_key, target_key, status))
        if status in (200, 400, 403, 404) and "html" in response.get("Content-Type", ""):
            # A template's own syntax on a page (a multi-line {# … #} is not a comment).
            page = b"" if response.streaming else response.content
            if b"{#" in page or b"{%" in page:
                counts["leaks"].append((name, url, role, actor_key, "gabarit", "{# ou {%"))
            # The tab's title is text: a block left open there swallows the page (and its form).
            title = re.search(rb"<title>(.*?)</title>", page, re.S)
            if title and b"<" in title.group(1):
                counts["leaks"].append((name, url, role, actor_key, "titre", title.group(1)[:60]))
        if status == 200 and user and actor_key and role != "admin" and not r.public:
            other = OTHER[actor_key]
            body = b"".join(response) if response.streaming else response.content
            try:
                text = body.decode()
            except UnicodeDecodeError:
                text = ""
            for marker in markers[other]:
                if marker and marker in text:
                    counts["leaks"].append((name, url, role, actor_key, "liste", marker))

    for pattern, name, _ in app_patterns:
        r = RULES[name]
        # The centre's records: every kind of record is a URL of its own.
        kinds = list(centres["cfa"].objects["records"]) if "<slug:kind>" in pattern else [None]
        for kind in kinds:
            counts["urls"] += 1
            for target_key, target in centres.items():
                url = fill(pattern, kwargs_for(pattern, name, r, target, kind))
                for actor_key, role, user in actors:
                    # The platform administrator's own objects are everybody's.
                    own = r.object is None or actor_key == target_key or role == "admin"
                    if r.public:
                        own = True  # a secret token or a public page: the same for everyone
                    if user is None:
                        # Anonymous: public pages answer, everything else asks to log in.
                        expected = (
                            {200, 302, 400, 405, 404}
                            if r.public
                            else ({302} if not name.startswith("api-v1:") else {401})
                        )
                        if r.public and name.startswith("api-v1:"):
                            expected = {200, 404}
                    elif name.startswith("api-v1:") and not r.public and role in NO_API_TOKENS:
                        expected = {401}
                    elif role == "certifier" and name in VAE:
                        expected = (
                            {200, 302, 405, 400}
                            if "certifier" in r.ok
                            else ({403} if "certifier" in r.refused else {404})
                        )
                    elif own and role in r.ok:
                        expected = {200, 302, 400} | ({405} if r.post_only else set())
                        if name.startswith("api-v1:") and r.post_only:
                            expected = {201, 422, 400}
                        if r.public or r.may_be_absent:
                            expected |= {404}
                    elif own and role in r.refused:
                        expected = {403}
                    elif r.post_only and not own and role == "admin":
                        expected = {200, 302, 405, 400, 201, 422}
                    else:
                        expected = {404}
                    if r.post_only and own and role in r.ok and expected != {401}:
                        # The action itself is not carried out by the matrix: GET must say 405.
                        response = client_for(user).get(
                            url,
                            **(
                                {"HTTP_AUTHORIZATION": f"Bearer {token_of(user)}"}
                                if name.startswith("api-v1:")
                                else {}
                            ),
                        )
                        counts["requests"] += 1
                        if response.status_code not in {405, 200}:
                            counts["leaks"].append(
                                (name, url, role, actor_key, target_key, response.status_code)
                            )
                        continue
                    check(name, r, url, actor_key, role, user, target_key, expected)

    # The Django admin: platform superusers only; everyone else gets a 404.
    admin_urls = []
    for pattern, name, _ in admin_patterns:
        values = {}
        ok = True
        model = _admin_model(name)
        if "([^/]+)/history/([^/]+)" in pattern:
            # simple_history's page of one past version (and its revert form).
            obj = model.objects.order_by("-pk").first()
            h = obj.history.order_by("-history_id").first()
            admin_urls.append(
                (
                    name,
                    "/"
                    + pattern.replace(
                        "^([^/]+)/history/([^/]+)/$", f"{obj.pk}/history/{h.history_id}/"
                    ),
                )
            )
            continue
        if "(?P<app_label>" in pattern:
            for label in sorted({m._meta.app_label for m in admin.site._registry}):
                admin_urls.append((f"{name}:{label}", f"/admin/{label}/"))
            continue
        for param in _params(pattern):
            if param == "object_id":
                obj = model.objects.order_by("-pk").first() if model else None
                if obj is None:
                    ok = False
                    break
                values[param] = obj.pk
            elif param == "history_id":
                obj = model.objects.order_by("-pk").first()
                h = obj.history.order_by("-history_id").first() if hasattr(obj, "history") else None
                if h is None:
                    ok = False
                    break
                values[param] = h.history_id
            elif param == "app_label":
                values[param] = "people"
            elif param == "id":
                values[param] = users["apprenti"].pk
            elif param in ("content_type_id", "object_id", "url"):
                values[param] = 1
            else:
                values[param] = "x"
        if "(?P<url>" in pattern:
            # The admin's catch-all: an unknown admin address.
            admin_urls.append(("admin:catch_all", "/admin/introuvable/"))
        elif ok:
            admin_urls.append((name, fill(pattern, values)))
    for name, url in admin_urls:
        counts["urls"] += 1
        for actor_key, role, user in actors:
            response = client_for(user).get(url)
            counts["requests"] += 1
            if user is None:
                good = response.status_code == 302
            elif role == "admin":
                # Read-only models refuse "add" (403); logout wants a POST (405).
                good = response.status_code in (200, 302, 403, 405) or name == "admin:catch_all"
            else:
                good = response.status_code == 404
            if not good:
                counts["leaks"].append((name, url, role, actor_key, "admin", response.status_code))

    logging.disable(logging.NOTSET)
    print(
        f"\nmatrice : {counts['urls']} URL × {len(actors)} rôles × 2 centres = "
        f"{counts['requests']} requêtes, {len(counts['leaks'])} écart(s)"
    )
    assert not counts["leaks"], "\n".join(map(str, counts["leaks"][:60]))


def _admin_model(name):
    if not name or not name.startswith("admin:"):
        return None
    label = name.split(":", 1)[1]
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if label.startswith(prefix):
            return model
    return None
