"""What the badge tests share: a learner who has acquired every competence of a bloc."""

import datetime

from livret.competences.services import record_evaluation
from livret.referentiels.models import Bloc


def acquire(world, learner, code="B1"):
    """Every competence of the bloc `code` acquired by `learner`; returns the bloc."""
    bloc = Bloc.objects.get(referentiel=world.ref, code=code)
    for comp in bloc.competences.all():
        record_evaluation(
            learner=learner,
            competence=comp,
            level="acquired",
            observed_on=datetime.date(2026, 5, 1),
            evaluator=world.users["trainer_a"],
        )
    return bloc
