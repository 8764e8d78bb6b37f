"""The VAE tests' shared world: a certifier with the BTS MOS open to VAE, and a candidate."""

import pytest

from livret.people.models import Organisation, Profile
from livret.vae.models import VaeOffer
from tests.world import PASSWORD, make_user


@pytest.fixture
def vae(mos, django_user_model):
    dava = Organisation.objects.create(name="DAVA", kind=Organisation.TRAINING_BODY)
    other = Organisation.objects.create(name="Autre certificateur", kind=Organisation.TRAINING_BODY)
    offer = VaeOffer.objects.create(certifier=dava, referentiel=mos)
    return {
        "offer": offer,
        "staff": make_user(django_user_model, "staff", Profile.CERTIFIER, dava),
        "other_staff": make_user(django_user_model, "other_staff", Profile.CERTIFIER, other),
        "trainer": make_user(django_user_model, "trainer", Profile.TRAINER, dava),
    }


@pytest.fixture
def candidate(vae, django_user_model):
    user = django_user_model.objects.create_user(
        "cand@exemple.fr",
        email="cand@exemple.fr",
        password=PASSWORD,
        first_name="Sam",
        last_name="Vigier",
    )
    return user
