from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Network registry")

    def ready(self):
        from contacts.models import Role
        from contacts.permissions import COVERAGE_ROLES
        from portal import home

        for role in Role:
            home.register(
                role,
                "contacts:directory",
                _("Network directory"),
                _("who do you call for what: schools, municipalities, teams and people"),
            )
        for role in COVERAGE_ROLES:
            home.register(
                role, "contacts:coverage", _("Network coverage"), _("where a contact or tandem is missing")
            )
        home.register(Role.REGISTRY_ADMIN, "contacts:import", _("Import into the registry"), _("CSV or XLSX"))
