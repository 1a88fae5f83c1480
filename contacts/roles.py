"""One sentence per role: what a member with that role does in Tandem."""

from django.utils.translation import gettext_lazy as _

from contacts.models import Role

ROLE_DESCRIPTIONS = {
    Role.SCHOOL_COORDINATOR: _("You refer pupils of your school for youth care in school."),
    Role.DISTRICT_WORKER: _("You triage and take up referrals routed to your district team."),
    Role.PARTNERSHIP_DIRECTOR: _("You decide escalated cases for the schools of your partnership."),
    Role.MUNICIPAL_OFFICER: _("You decide escalated cases for the youth care of your municipality."),
    Role.STEERING_MEMBER: _("You follow the work agenda and the progress reports of the region."),
    Role.REGISTRY_ADMIN: _("You keep the network registry and the accounts up to date."),
    Role.PRIVACY_OFFICER: _("You supervise who accessed which data (access log)."),
}
