from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Referrals")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from contacts.models import Role
        from portal import home

        home.register(
            Role.SCHOOL_COORDINATOR,
            "referrals:create",
            _("New referral"),
            _("Refer a pupil for youth care in school."),
        )
        home.register(Role.SCHOOL_COORDINATOR, "referrals:list", _("Your school's referrals"))
        home.register(
            Role.DISTRICT_WORKER,
            "referrals:inbox",
            _("Triage inbox"),
            _("Referrals routed to your team, longest waiting first."),
        )
