from django.apps import AppConfig
from django.core import checks
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from portal import metrics, navigation
from portal.checks import check_registered_url_names


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # Every query timed for /metrics, by SQL verb (ADR 0102).
        connection_created.connect(metrics.instrument_connection, dispatch_uid="tandem-metrics-db")
        checks.register(check_registered_url_names, checks.Tags.urls)
        navigation.register(100, "home", _("Home"))
        navigation.register(700, "notifications:list", _("Notifications"))
