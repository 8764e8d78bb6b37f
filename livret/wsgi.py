import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livret.settings")
application = get_wsgi_application()


def _refuse_unsafe_keys() -> None:
    """gunicorn started by hand imports this module too: it refuses the same keys as `livret serve`."""
    from django.conf import settings

    from livret.instance_keys import settings_problems

    found = settings_problems(settings)
    if found:
        raise ImproperlyConfigured("Livret ne démarre pas : " + " ; ".join(found))


_refuse_unsafe_keys()
