from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reports")

    def ready(self):
        from contacts.models import Role
        from portal import home

        for role in (Role.STEERING_MEMBER, Role.PARTNERSHIP_DIRECTOR, Role.MUNICIPAL_OFFICER):
            home.register(
                role, "reporting:dashboard", _("Dashboard"), _("figures of referrals, network and agenda")
            )
            home.register(
                role, "reporting:report_list", _("Progress reports"), _("request and download the PDF")
            )
