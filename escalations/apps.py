"""Escalations with doorzettingsmacht, their decisions and the precedent library (ADR 0060,
0061, 0062). The app sits above referrals: it imports referrals, referrals never imports it.
What referrals must know about escalations it learns through the hooks registered here."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import demo as demo_data
from portal import home, navigation


class EscalationsConfig(AppConfig):
    name = "escalations"
    verbose_name = _("Escalations")

    def ready(self):
        # Imported here, not at the top: these modules import models, which cannot be loaded
        # before the app registry is ready; it is no import circle being dodged.
        from contacts import permissions as contact_permissions
        from contacts.models import Role
        from escalations import demo, permissions, retention, selectors, services
        from escalations.models import Mediator
        from referrals import permissions as referral_permissions
        from referrals import retention as referral_retention
        from referrals import workflow

        demo_data.register(demo.seed)
        referral_permissions.register_reader(permissions.DECIDER_GRANT)
        referral_permissions.register_reader(permissions.MEDIATOR_GRANT)
        contact_permissions.register_user_flag(
            permissions.MEDIATOR_FLAG, permissions.mediator_flag, models=[Mediator]
        )
        referral_retention.register_part(retention.PART)
        referral_retention.register_part(retention.MEDIATION_PART)
        workflow.register_after_move(services.close_overtaken_mediation)

        navigation.register(
            1000,
            "escalations:inbox",
            _("Escalations"),
            roles=[Role.PARTNERSHIP_DIRECTOR, Role.MUNICIPAL_OFFICER],
        )
        navigation.register(
            1100,
            "escalations:precedents",
            _("Precedents"),
            roles=[
                Role.SCHOOL_COORDINATOR,
                Role.DISTRICT_WORKER,
                Role.PARTNERSHIP_DIRECTOR,
                Role.MUNICIPAL_OFFICER,
                Role.STEERING_MEMBER,
            ],
        )

        # A mediator's own list, for whoever is or was named mediator (ADR 0162).
        navigation.register(
            1050, "escalations:my_mediations", _("My mediations"), visible=permissions.is_or_was_mediator
        )
        home.register_personal(
            _("Mediator"),
            "escalations:my_mediations",
            _("My mediations"),
            lambda user: selectors.open_mediation_note(user, permissions.own_mediations(user)),
            permissions.is_or_was_mediator,
        )

        # The registry administrator names the region's mediators (ADR 0149).
        home.register(
            Role.REGISTRY_ADMIN,
            "escalations:mediators",
            _("Mediators"),
            _("who may be asked to mediate before an escalation"),
        )

        deciding = _("cases waiting for your decision")
        home.register(Role.PARTNERSHIP_DIRECTOR, "escalations:inbox", _("Escalations"), deciding)
        home.register(Role.MUNICIPAL_OFFICER, "escalations:inbox", _("Escalations"), deciding)
        for role in permissions.DECIDER_ROLES:
            home.register_worklist(role, selectors.decider_worklist)
        for role in (Role.SCHOOL_COORDINATOR, Role.DISTRICT_WORKER):
            home.register(role, "escalations:inbox", _("Escalations"), _("escalated referrals of yours"))
        for role in (
            Role.SCHOOL_COORDINATOR,
            Role.DISTRICT_WORKER,
            Role.PARTNERSHIP_DIRECTOR,
            Role.MUNICIPAL_OFFICER,
            Role.STEERING_MEMBER,
        ):
            home.register(
                role, "escalations:precedents", _("Precedents"), _("earlier decisions on grey areas")
            )
