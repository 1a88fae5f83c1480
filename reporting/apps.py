from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import demo as demo_data
from portal import home, navigation


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reports")

    def ready(self):
        # Models can be imported only once the app registry is ready, so not at the top.
        from contacts.models import Role
        from portal import outbox
        from reporting import demo, tasks, worklist

        outbox.delivery_failed.connect(tasks.mark_undelivered, dispatch_uid="reporting-undelivered")

        demo_data.register(demo.seed)

        report_roles = (Role.STEERING_MEMBER, Role.PARTNERSHIP_DIRECTOR, Role.MUNICIPAL_OFFICER)
        navigation.register(800, "reporting:dashboard", _("Dashboard"), roles=report_roles)
        navigation.register(900, "reporting:report_list", _("Reports"), roles=report_roles)
        # Every account of a region reads what its steering group published (ADR 0150).
        navigation.register(950, "reporting:published_list", _("Published reports"))
        # The yearly startfoto is read by the same accounts (ADR 0155).
        navigation.register(960, "reporting:startfoto", _("Startfoto"))

        for role in report_roles:
            home.register(
                role, "reporting:dashboard", _("Dashboard"), _("figures of referrals, network and agenda")
            )
            home.register(
                role, "reporting:report_list", _("Progress reports"), _("request and download the PDF")
            )
        for role in (Role.SCHOOL_COORDINATOR, Role.DISTRICT_WORKER):
            home.register(
                role,
                "reporting:published_list",
                _("Published reports"),
                _("the steering group's progress reports"),
            )
        home.register_worklist(Role.STEERING_MEMBER, worklist.steering_worklist)
