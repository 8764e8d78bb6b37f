"""The demo's thread: a few messages between the CFA's demo apprentice, his tutor and his trainer
(called once by livret.ops.demo). Written as rows, dated in the past, without notifications: the
demo sends no e-mail while it is built. The apprentice and his tutor have read all but the last
message, so the unread count shows on their pages."""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import Message, ReadMark


def seed(learner, trainer, today: datetime.date) -> list[Message]:
    tutor, me = learner.tutor, learner.user
    if tutor is None or me is None:
        return []
    situation = learner.situations.order_by("occurred_on", "pk").first()
    lines = [
        (
            tutor,
            Message.TUTOR,
            12,
            f"Bonjour, {learner.first_name} a tenu seul(e) la main courante cette semaine, "
            "sans reprise. Prochain point : la transmission des consignes à la relève.",
            situation,
        ),
        (
            me,
            Message.LEARNER,
            11,
            "Merci ! Pour les consignes de poste, je peux partir du modèle vu en cours ?",
            None,
        ),
        (
            trainer,
            Message.TRAINER,
            10,
            "Oui : partez du modèle du cours et adaptez-le au site. Apportez votre brouillon à "
            "la prochaine session au CFA, nous le reprendrons ensemble.",
            None,
        ),
        (
            trainer,
            Message.TRAINER,
            2,
            "Rappel : l'entretien de progrès est prévu la semaine prochaine, en visio ; le lien "
            "vous sera envoyé par le CFA.",
            None,
        ),
    ]
    messages = []
    for hour, (author, role, days, text, subject) in enumerate(lines, start=9):
        m = Message.objects.create(
            learner=learner, author=author, author_role=role, text=text, situation=subject
        )
        when = timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time(hour))
        )
        Message.objects.filter(pk=m.pk).update(created_at=when)
        m.history.update(history_date=when)
        messages.append(m)
    third, last = messages[2].pk, messages[3].pk
    ReadMark.objects.bulk_create(
        [
            ReadMark(learner=learner, user=tutor, read_up_to=third),
            ReadMark(learner=learner, user=me, read_up_to=third),
            ReadMark(learner=learner, user=trainer, read_up_to=last),
        ]
    )
    return messages
