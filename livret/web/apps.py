from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "livret.web"
    verbose_name = "Interface web"

    def ready(self):
        # Rights are registered once the models exist, not as a side effect of an import.
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in
        from django.utils import timezone

        from livret import access

        access.register()

        from . import params

        # An id no database column holds is no choice: refused by the form, not a 500.
        params.register_lookups()

        # A login is not a change of the account: record its date without a history row.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")

        def stamp_last_login(sender, user, **kwargs):
            get_user_model().objects.filter(pk=user.pk).update(last_login=timezone.now())

        user_logged_in.connect(stamp_last_login, dispatch_uid="livret_last_login", weak=False)

        from django.contrib.auth.signals import user_login_failed

        from . import login_security

        user_logged_in.connect(login_security.remember_device, dispatch_uid="livret_device")
        user_login_failed.connect(
            login_security.count_device_failure, dispatch_uid="livret_device_failure"
        )
