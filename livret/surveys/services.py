"""Satisfaction questionnaires: build, send, answer (anonymously), remind, close. Each atomic.

Who answered is the system's alone (`Participation`), and only while the questionnaire is open:
closing freezes the counts (`Tally`) and forgets who answered.

Funders' contacts have no account: each invitation of theirs gets an answer link by e-mail
(`AnswerLink`: the token only in the e-mail, its hash in the database), made by the background
task that sends the e-mail — never by the request, so that no task argument carries it — at the
sending and again at each reminder, for the invitations not answered yet."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from livret.engine import survey_flow as flow
from livret.engine import surveys as engine
from livret.lifecycle import after_commit, check, step
from livret.notifications import services as notifications
from livret.people.models import Learner

from .models import (
    AnswerLink,
    FunderContact,
    Invitation,
    Participation,
    Response,
    Survey,
    Tally,
    link_digest,
)

_ANONYMOUS = (
    "Vos réponses sont anonymes ; le centre ne voit que les résultats d'au moins "
    f"{engine.MIN_RESPONDENTS} réponses."
)


def survey_state(survey: Survey) -> str:
    return flow.state_of(survey.pk is not None, survey.sent_at is not None, bool(survey.closed_at))


def _take(pk: int, action: str, role: str = flow.MANAGER) -> Survey:
    """The questionnaire's row locked (a sending, an answer, a closing never cross), its step
    checked by engine/survey_flow."""
    locked = Survey.objects.select_for_update().get(pk=pk)
    step(flow.MACHINE, survey_state(locked), action, role)
    return locked


def check_survey(survey: Survey, action: str) -> None:
    """Refused (lifecycle.Refused) unless the manager may take this step now."""
    check(flow.MACHINE, survey_state(survey), action, flow.MANAGER)


@transaction.atomic
def save(form, centre, user) -> Survey:
    """The form has checked the questions (every faulty line named); they are stored parsed."""
    if form.instance.pk is None:
        step(flow.MACHINE, flow.NEW, "save", flow.MANAGER)
    else:
        _take(form.instance.pk, "save")
    survey = form.save(commit=False)
    survey.centre = centre
    if survey.created_by_id is None:
        survey.created_by = user
    survey.questions = [{"label": q.label, "kind": q.kind} for q in form.cleaned_questions]
    survey.save()
    form.save_m2m()
    return survey


def _recipients(survey) -> list[tuple[int, int]]:
    """(user, cohort) pairs, active accounts only: the cohorts' learners, their tutors, the
    cohorts' trainers, or the contacts of the companies hosting their learners (the accounts of
    those companies: Qualiopi indicator 30 asks for the companies' appreciations)."""
    from django.contrib.auth.models import User

    from livret.people.models import Cohort, Profile

    if survey.audience == Survey.FUNDERS:
        return []  # funders' contacts have no account: _contact_recipients
    cohorts = survey.cohorts.all()
    learners = Learner.objects.filter(cohort__in=cohorts)
    if survey.audience == Survey.LEARNERS:
        pairs = learners.filter(user__isnull=False, user__is_active=True).values_list(
            "user_id", "cohort_id"
        )
    elif survey.audience == Survey.TRAINERS:
        active = User.objects.filter(is_active=True).values("pk")
        pairs = Cohort.trainers.through.objects.filter(
            cohort__in=cohorts, user_id__in=active
        ).values_list("user_id", "cohort_id")
    elif survey.audience == Survey.EMPLOYERS:
        hosts = set(learners.filter(company__isnull=False).values_list("company_id", "cohort_id"))
        contacts: dict[int, set[int]] = {}
        for user_id, company_id in Profile.objects.filter(
            role=Profile.TUTOR,
            organisation_id__in={c for c, _ in hosts},
            user__is_active=True,
        ).values_list("user_id", "organisation_id"):
            contacts.setdefault(company_id, set()).add(user_id)
        pairs = [(u, cohort) for company, cohort in hosts for u in contacts.get(company, ())]
    else:
        pairs = learners.filter(tutor__isnull=False, tutor__is_active=True).values_list(
            "tutor_id", "cohort_id"
        )
    return sorted(set(pairs))


def _contact_recipients(survey) -> list[tuple[int, int]]:
    """(contact, cohort) pairs: the active contacts of the centre's funders financing the
    questionnaire's cohorts (Qualiopi indicator 30 asks for the funders' appreciations)."""
    if survey.audience != Survey.FUNDERS:
        return []
    pairs = FunderContact.objects.filter(
        active=True,
        funder__centre_id=survey.centre_id,
        funder__cohorts__in=survey.cohorts.all(),
    ).values_list("pk", "funder__cohorts")
    return sorted(set(pairs))


NOBODY = {
    Survey.LEARNERS: "compte apprenant.",
    Survey.TUTORS: "tuteur.",
    Survey.TRAINERS: "formateur.",
    Survey.EMPLOYERS: "entreprise d'accueil avec un contact (compte).",
    Survey.FUNDERS: "financeur avec un contact (Mon centre › Financeurs).",
}


@transaction.atomic
def send(survey: Survey, by=None) -> int:
    """Invite the audience; who sent it and when are kept (`by`: the manager)."""
    survey = _take(survey.pk, "send")
    if survey.audience == Survey.FUNDERS:
        return _send_to_contacts(survey, by)
    pairs = _recipients(survey)
    if not pairs:
        raise ValidationError(
            "Aucun destinataire : les promotions choisies n'ont pas de " + NOBODY[survey.audience]
        )
    from django.contrib.auth.models import User

    users = User.objects.filter(pk__in={u for u, _ in pairs})
    # Fixed now, for good: only accounts older than the questionnaire count towards the threshold.
    opened = dict(users.values_list("pk", "date_joined"))
    Invitation.objects.bulk_create(
        Invitation(
            survey=survey,
            user_id=u,
            cohort_id=c,
            eligible=engine.counts_for_threshold(opened[u], survey.created_at),
        )
        for u, c in pairs
    )
    survey.sent_at, survey.sent_by = timezone.now(), by
    survey.save(update_fields=["sent_at", "sent_by"])
    notifications.notify(
        users,
        "survey",
        f"Questionnaire : {survey.title}",
        _ANONYMOUS,
        reverse("surveys"),
    )
    return len(pairs)


def _send_to_contacts(survey: Survey, by) -> int:
    pairs = _contact_recipients(survey)
    if not pairs:
        raise ValidationError(
            "Aucun destinataire : les promotions choisies n'ont pas de " + NOBODY[survey.audience]
        )
    # As for accounts: a contact recorded after the questionnaire was made does not count
    # towards the threshold (the sender could have added him for the occasion).
    added = dict(
        FunderContact.objects.filter(pk__in={c for c, _ in pairs}).values_list("pk", "created_at")
    )
    Invitation.objects.bulk_create(
        Invitation(
            survey=survey,
            contact_id=c,
            cohort_id=cohort,
            eligible=engine.counts_for_threshold(added[c], survey.created_at),
        )
        for c, cohort in pairs
    )
    survey.sent_at, survey.sent_by = timezone.now(), by
    survey.save(update_fields=["sent_at", "sent_by"])
    from .tasks import send_links

    after_commit(send_links.enqueue, survey.pk)
    return len(pairs)


@transaction.atomic
def remind(survey: Survey) -> int:
    """Remind those who have not answered yet: the system knows them, the manager gets a number
    (one he already reads: invitations minus answers). People who joined the cohorts since the
    sending are invited now; they never count towards the threshold (the sender could have
    placed them there).

    The reminder is an e-mail sent by a background task, never a stored notification: a row per
    person reminded would list who had not answered, and a learner's notifications travel in his
    personal-data export, which his centre's manager downloads."""
    survey = _take(survey.pk, "remind")
    known_contacts = set(
        Invitation.objects.filter(survey=survey, contact__isnull=False).values_list(
            "contact_id", "cohort_id"
        )
    )
    Invitation.objects.bulk_create(
        Invitation(survey=survey, contact_id=c, cohort_id=cohort, eligible=False)
        for c, cohort in _contact_recipients(survey)
        if (c, cohort) not in known_contacts
    )
    known = set(
        Invitation.objects.filter(survey=survey, user__isnull=False).values_list(
            "user_id", "cohort_id"
        )
    )
    new = Invitation.objects.bulk_create(
        Invitation(survey=survey, user_id=u, cohort_id=c, eligible=False)
        for u, c in _recipients(survey)
        if (u, c) not in known
    )
    if new:
        # Everyone new gets the same notification as at the sending: it tells nothing of answers.
        from django.contrib.auth.models import User

        notifications.notify(
            User.objects.filter(pk__in={i.user_id for i in new}),
            "survey",
            f"Questionnaire : {survey.title}",
            _ANONYMOUS,
            reverse("surveys"),
        )
    from .tasks import send_reminders

    after_commit(send_reminders.enqueue, survey.pk)
    return len(_not_answered(survey)) + len(_contacts_not_answered(survey))


def _not_answered(survey) -> list:
    """The accounts of the questionnaire without an answer (one per person, several cohorts)."""
    from django.contrib.auth.models import User

    return list(
        User.objects.filter(
            is_active=True,
            survey_invitations__survey=survey,
            survey_invitations__participation__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )


def _contacts_not_answered(survey) -> dict:
    """Funders' contacts without an answer → their invitations not answered (one per cohort)."""
    found: dict = {}
    for invitation in (
        Invitation.objects.filter(
            survey=survey,
            contact__isnull=False,
            contact__active=True,
            participation__isnull=True,
        )
        .select_related("contact", "cohort")
        .order_by("contact_id", "cohort__name", "pk")
    ):
        found.setdefault(invitation.contact, []).append(invitation)
    return found


def send_links(survey_id: int, reminder: bool = False) -> int:
    """The answer links' e-mails (run by a task): to each funder's contact who has not answered,
    one new link per invitation not answered (each cohort's answers count apart). The tokens are
    made here and written only into the e-mails; the database keeps their hashes."""
    from django.conf import settings
    from django.core.mail import EmailMessage, get_connection

    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None or not survey.is_open:
        return 0
    site = settings.SITE_URL.rstrip("/")
    page = site + reverse("survey_link")
    optout_page = site + reverse("survey_optout")
    messages = []
    for contact, invitations in _contacts_not_answered(survey).items():
        with transaction.atomic():
            tokens = [(i.cohort.name, AnswerLink.issue(i)) for i in invitations]
        lines = "\n\n".join(
            f"Promotion {cohort} :\n{page}#{token}\n(ou, sur {page}, le code : {token})"
            for cohort, token in tokens
        )
        intro = (
            f"Vous n'avez pas encore répondu au questionnaire « {survey.title} »."
            if reminder
            else f"{survey.centre.name} vous demande votre avis : questionnaire « {survey.title} »."
        )
        messages.append(
            EmailMessage(
                ("Livret : rappel — " if reminder else "Livret : ")
                + f"questionnaire « {survey.title} »",
                f"Bonjour {contact.name},\n\n{intro}\n"
                f"{_ANONYMOUS}\nChaque lien sert une fois, jusqu'à la clôture du questionnaire ; "
                "ne le transmettez pas.\n\n"
                f"{lines}\n\n"
                f"Ne plus recevoir les questionnaires de {survey.centre.name} : "
                f"{optout_page}#{optout_token(contact)}\n",
                settings.DEFAULT_FROM_EMAIL,
                [contact.email],
            )
        )
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


OPTOUT_SALT = "livret.surveys.optout"


def optout_token(contact: FunderContact) -> str:
    """The contact's own opt-out code: signed (HMAC under a salt of its own), with no date — a
    contact may opt out from any of his e-mails, old ones too. It opens nothing else."""
    return signing.dumps(contact.pk, salt=OPTOUT_SALT)


@transaction.atomic
def opt_out(token: str) -> FunderContact | None:
    """The contact of a genuine opt-out code, asked no more (kept in the contact's history, as
    the contact's own act); None for any other code."""
    try:
        pk = signing.loads((token or "").strip(), salt=OPTOUT_SALT)
    except signing.BadSignature:
        return None
    contact = FunderContact.objects.select_for_update().filter(pk=pk).first()
    if contact is not None and contact.active:
        contact.active = False
        contact._change_reason = "désinscription demandée par le contact (lien du courriel)"
        contact.save(update_fields=["active"])
    return contact


def invitation_for_token(token: str) -> AnswerLink | None:
    """The link a typed or followed token opens: only while its questionnaire is open and its
    invitation not answered (its links are deleted then)."""
    token = (token or "").strip()
    if not token or len(token) > 100:
        return None
    return _open_link(AnswerLink.objects.filter(digest=link_digest(token)))


def link_by_id(link_id) -> AnswerLink | None:
    """The link kept in the visitor's session (its id, never its token), if it still opens."""
    if not isinstance(link_id, int):
        return None
    return _open_link(AnswerLink.objects.filter(pk=link_id))


def _open_link(qs) -> AnswerLink | None:
    link = (
        qs.select_related("invitation__survey__centre", "invitation__cohort")
        .filter(
            invitation__survey__sent_at__isnull=False,
            invitation__survey__closed_at__isnull=True,
            invitation__participation__isnull=True,
        )
        .first()
    )
    return link


def send_reminders(survey_id: int) -> int:
    """The reminder's e-mails (run by a task): to whoever still has not answered, has an
    address, and has not turned the questionnaires' notifications off."""
    from django.conf import settings
    from django.core.mail import EmailMessage, get_connection

    from livret.notifications.kinds import OFF
    from livret.notifications.models import Preference

    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None or not survey.is_open:
        return 0
    users = [u for u in _not_answered(survey) if u.email]
    off = set(
        Preference.objects.filter(user__in=users, kind="survey", mode=OFF).values_list(
            "user_id", flat=True
        )
    )
    site = settings.SITE_URL.rstrip("/")
    messages = [
        EmailMessage(
            f"Livret : rappel — questionnaire « {survey.title} »",
            f"Bonjour {u.get_full_name() or u.username},\n\n"
            f"Vous n'avez pas encore répondu au questionnaire « {survey.title} ».\n"
            f"{_ANONYMOUS}\n\n{site}{reverse('surveys')}\n",
            settings.DEFAULT_FROM_EMAIL,
            [u.email],
        )
        for u in users
        if u.pk not in off
    ]
    if messages:
        get_connection().send_messages(messages)
    return len(messages) + send_links(survey_id, reminder=True)


@transaction.atomic
def forget_contact(contact: FunderContact) -> None:
    """A funder's contact the centre no longer works with: his name and address are forgotten,
    past versions included (the forgetting itself stays, who and when); his invitations stay for
    the counts, and his links die (nothing more can be answered in his name)."""
    contact = FunderContact.objects.select_for_update().get(pk=contact.pk)
    AnswerLink.objects.filter(invitation__contact=contact).delete()
    contact.history.all().delete()
    contact.name, contact.email, contact.active = FORGOTTEN, "", False
    contact.save()


FORGOTTEN = "Contact effacé"


@transaction.atomic
def close(survey: Survey, by=None) -> None:
    """No more answers; each cohort's counts frozen, and who answered forgotten; who closed it
    and when are kept (`by`: the manager)."""
    survey = _take(survey.pk, "close")
    invitations = Invitation.objects.filter(survey=survey)
    counts = {}
    for cohort_id, eligible, answered in invitations.values_list(
        "cohort_id", "eligible", "participation"
    ):
        c = counts.setdefault(cohort_id, [0, 0, 0])
        c[0] += 1
        c[1] += answered is not None
        c[2] += answered is not None and eligible
    for cohort_id in survey.cohorts.values_list("pk", flat=True):
        counts.setdefault(cohort_id, [0, 0, 0])
    Tally.objects.bulk_create(
        Tally(
            survey=survey,
            cohort_id=cohort_id,
            invited=invited,
            respondents=respondents,
            eligible_respondents=eligible,
        )
        for cohort_id, (invited, respondents, eligible) in sorted(counts.items())
    )
    Participation.objects.filter(invitation__survey=survey).delete()
    AnswerLink.objects.filter(invitation__survey=survey).delete()  # links expire at closing
    survey.closed_at, survey.closed_by = timezone.now(), by
    survey.save(update_fields=["closed_at", "closed_by"])


def answer_items(questions: list, typed: dict[int, str], errors: dict[str, str]) -> list[dict]:
    """The answer form's questions (an account's page and a contact's link page alike): each
    with its number `i`, what was typed, and its error (keyed q<i>, as `answer` raises them)."""
    return [
        {"i": i, "q": q, "value": typed.get(i, ""), "error": errors.get(f"q{i}")}
        for i, q in enumerate(questions)
    ]


@transaction.atomic
def answer(invitation: Invitation, raw: dict[int, str]) -> None:
    """Store the answers without their author; only the system learns that this invitation was
    answered (`Participation`), and forgets it at closing."""
    # The questionnaire locked: an answer and the closing (which counts answers) never cross.
    survey = _take(invitation.survey_id, "answer", flow.RESPONDENT)
    invitation = Invitation.objects.select_related("participation").get(pk=invitation.pk)
    if invitation.answered:
        raise ValidationError("Vous avez déjà répondu à ce questionnaire.")
    questions = survey.parsed
    answers, errors = engine.check_answers(questions, raw)
    if errors:
        raise ValidationError({f"q{i}": [msg] for i, msg in errors.items()})
    Response.objects.create(
        survey=survey,
        cohort_id=invitation.cohort_id,
        answers=[answers.get(i) for i in range(len(questions))],
    )
    Participation.objects.create(invitation=invitation)
    # A link works once: the invitation's links (the first e-mail's, the reminders') are gone.
    AnswerLink.objects.filter(invitation=invitation).delete()
