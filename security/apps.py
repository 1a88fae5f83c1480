from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import navigation


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Security")

    def ready(self):
        # Models can be imported only once the app registry is ready, so not at the top.
        from contacts.models import Role
        from security import signals  # noqa: F401 - connects the receivers

        navigation.register(1200, "security:access_log", _("Access log"), roles=[Role.PRIVACY_OFFICER])
        navigation.register(
            1300, "security:subject_access", _("Subject access request"), roles=[Role.PRIVACY_OFFICER]
        )
        navigation.register(1400, "security:register", _("Processing register"), roles=[Role.PRIVACY_OFFICER])
