from django.apps import AppConfig
from django.core import checks
from django.db.backends.signals import connection_created
from django.db.models import Field, ForeignObject
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _

from portal import choices, database, metrics, navigation
from portal.checks import check_default_theme, check_registered_url_names

# The apps of this project (not Django's or a library's), whose models portal adjusts in ready().
PROJECT_APPS = ("portal", "contacts", "referrals", "escalations", "agenda", "reporting", "security")


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # Every query timed for /metrics, by SQL verb (ADR 0102).
        connection_created.connect(metrics.instrument_connection, dispatch_uid="tandem-metrics-db")
        connection_created.connect(database.keep_prepared_statements, dispatch_uid="tandem-prepared-max")
        checks.register(check_registered_url_names, checks.Tags.urls)
        # `field__any_of=[...]` (portal/database.py); a foreign key keeps lookups of its own.
        Field.register_lookup(database.AnyOf)
        ForeignObject.register_lookup(database.AnyOf)
        checks.register(check_default_theme)
        # A region's theme is read from the cache; these keep it there (ADR 0164).
        post_save.connect(_region_saved, sender="contacts.Region", dispatch_uid="tandem-theme-region")
        navigation.register(100, "home", _("Home"))
        navigation.register(700, "notifications:list", _("Notifications"))
        post_migrate.connect(_sync_calendar, sender=self)
        # Choice labels from a dict made once per field, not on every call (portal/choices.py).
        choices.cache_choice_labels(PROJECT_APPS)


def _sync_calendar(using="default", **kwargs):
    """After every migrate (and every test flush) the public-holiday table the SQL working-day
    count reads matches TANDEM_WORKDAY_HOLIDAYS (ADR 0090), and an empty school-holiday table
    (a flushed test database) gets the shipped school holidays again. A table that holds rows
    is left alone, so a file an operator loaded with load_school_holidays stays."""
    # Models only once the app registry is ready, so not at the top.
    from django.db import connections

    from portal import workdays
    from portal.models import Holiday, SchoolHoliday

    tables = connections[using].introspection.table_names()
    if Holiday._meta.db_table in tables:
        workdays.sync_calendar(using=using)
    if SchoolHoliday._meta.db_table in tables and not SchoolHoliday.objects.using(using).exists():
        workdays.load_shipped_school_holidays(using=using)


def _region_saved(sender, instance, created, **kwargs):
    """A new region has no theme yet: its pages show the default without a query."""
    if created:
        # Models only once the app registry is ready, so not at the top.
        from portal import theme

        theme.remember(instance.pk, None)
