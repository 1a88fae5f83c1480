from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import demo as demo_data
from portal import home, navigation


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Referrals")

    def ready(self):
        # Models can be imported only once the app registry is ready, so not at the top.
        from contacts.models import Role
        from referrals import demo, selectors

        demo_data.register(demo.seed)

        navigation.register(500, "referrals:list", _("Referrals"), roles=[Role.SCHOOL_COORDINATOR])
        navigation.register(600, "referrals:inbox", _("Triage inbox"), roles=[Role.DISTRICT_WORKER])

        home.register(
            Role.SCHOOL_COORDINATOR,
            "referrals:create",
            _("New referral"),
            _("Refer a pupil for youth care in school."),
        )
        home.register(Role.SCHOOL_COORDINATOR, "referrals:list", _("Your school's referrals"))
        home.register_worklist(Role.SCHOOL_COORDINATOR, selectors.school_coordinator_worklist)
        home.register_worklist(Role.DISTRICT_WORKER, selectors.district_worker_worklist)
        home.register(
            Role.DISTRICT_WORKER,
            "referrals:inbox",
            _("Triage inbox"),
            _("Referrals routed to your team, longest waiting first."),
        )
