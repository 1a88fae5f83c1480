from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.utils.translation import gettext_lazy as _

from portal import demo as demo_data
from portal import home, memberships, navigation, theme


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Network registry")

    def ready(self):
        # Models can be imported only once the app registry is ready, so not at the top.
        from contacts import demo, permissions, selectors
        from contacts.models import (
            CareProvider,
            ContactAssignment,
            DistrictTeam,
            Membership,
            Municipality,
            Partnership,
            Person,
            Region,
            RegionNorm,
            Role,
            School,
            Tandem,
        )

        demo_data.register(demo.seed)

        memberships.set_source(permissions.memberships)
        permissions.watch_for_memberships(Membership, School, DistrictTeam, Partnership, Municipality, Region)
        # The coverage counts and lists are cached with the registry too (ADR 0169).
        permissions.watch_for_memberships(ContactAssignment, Tandem, Person)
        # So are the waiting-time norms (contacts/norms.py NormBook): read on every referral list.
        permissions.watch_for_memberships(RegionNorm)
        # And the care providers: the meetings page names them from the cache (registry_labels).
        permissions.watch_for_memberships(CareProvider)
        # Within a request the registry cache is read once per key (ADR 0178).
        request_started.connect(permissions.begin_request_memo, dispatch_uid="registry-memo-begin")
        request_finished.connect(permissions.end_request_memo, dispatch_uid="registry-memo-end")
        theme.set_region_source(permissions.theme_region_id)

        navigation.register(200, "contacts:directory", _("Directory"))
        navigation.register(300, "contacts:coverage", _("Coverage"), roles=permissions.COVERAGE_ROLES)
        navigation.register(310, "contacts:norms", _("Norms"), roles=permissions.NORM_ROLES)
        navigation.register(320, "contacts:theme", _("House style"), roles=permissions.THEME_ROLES)

        for role in Role:
            home.register(
                role,
                "contacts:directory",
                _("Network directory"),
                _("who do you call for what: schools, municipalities, teams and people"),
            )
        for role in permissions.COVERAGE_ROLES:
            home.register(
                role, "contacts:coverage", _("Network coverage"), _("where a contact or tandem is missing")
            )
        for role in permissions.NORM_ROLES:
            home.register(
                role,
                "contacts:norms",
                _("Waiting-time norms"),
                _("the region's own norms for decision, start of help and automatic escalation"),
            )
        home.register(
            Role.REGISTRY_ADMIN,
            "contacts:outbox",
            _("Message queue"),
            _("e-mails and reports waiting for delivery, and those that failed"),
        )
        home.register(
            Role.REGISTRY_ADMIN,
            "contacts:accounts",
            _("Accounts"),
            _("who holds which role in your region; end roles, deactivate accounts, reset 2FA"),
        )
        home.register(
            Role.REGISTRY_ADMIN,
            "contacts:invite",
            _("Invite someone"),
            _("an account with a role at an organisation of your region"),
        )
        home.register(
            Role.REGISTRY_ADMIN,
            "contacts:theme",
            _("House style"),
            _("the region's name, logo and colours on its pages and reports"),
        )
        home.register(Role.REGISTRY_ADMIN, "contacts:import", _("Import into the registry"), _("CSV or XLSX"))
        home.register_worklist(Role.REGISTRY_ADMIN, selectors.registry_admin_worklist)
