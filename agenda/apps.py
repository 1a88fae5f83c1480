from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import demo as demo_data
from portal import home, navigation


class AgendaConfig(AppConfig):
    name = "agenda"
    verbose_name = _("Work agenda")

    def ready(self):
        # Models can be imported only once the app registry is ready, so not at the top.
        from agenda import demo, progress
        from contacts.models import Role

        demo_data.register(demo.seed)

        navigation.register(400, "agenda:index", _("Work agenda"))

        for role in Role:
            home.register(
                role,
                "agenda:index",
                _("Work agenda"),
                _("Ambitions, goals, activities and meetings of the region."),
            )
        home.register_worklist(Role.STEERING_MEMBER, progress.steering_worklist)
        for role in (Role.PARTNERSHIP_DIRECTOR, Role.MUNICIPAL_OFFICER, Role.STEERING_MEMBER):
            home.register(
                role, "agenda:my_activities", _("My activities"), _("Post progress on what you own.")
            )
