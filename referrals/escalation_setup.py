"""Home-page entry points for escalations and the precedent library (called from apps.py)."""

from django.utils.translation import gettext_lazy as _

from contacts.models import Role
from portal import home


def register():
    home.register(
        Role.PARTNERSHIP_DIRECTOR, "escalations:inbox", _("Escalations"), _("cases waiting for your decision")
    )
    home.register(
        Role.MUNICIPAL_OFFICER, "escalations:inbox", _("Escalations"), _("cases waiting for your decision")
    )
    for role in (Role.SCHOOL_COORDINATOR, Role.DISTRICT_WORKER):
        home.register(role, "escalations:inbox", _("Escalations"), _("escalated referrals of yours"))
    for role in (
        Role.SCHOOL_COORDINATOR,
        Role.DISTRICT_WORKER,
        Role.PARTNERSHIP_DIRECTOR,
        Role.MUNICIPAL_OFFICER,
        Role.STEERING_MEMBER,
    ):
        home.register(role, "escalations:precedents", _("Precedents"), _("earlier decisions on grey areas"))
