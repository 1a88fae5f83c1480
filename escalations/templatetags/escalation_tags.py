"""`{% load escalation_tags %}{% escalation_actions referral %}` on the referral page: the
escalations of this referral the user may see, and an "Escalate" link when the user may raise."""

from django import template

from escalations import permissions as perms

register = template.Library()


@register.inclusion_tag("escalations/_referral_actions.html", takes_context=True)
def escalation_actions(context, referral):
    user = context["request"].user
    escalations = list(
        perms.visible_escalations(user).filter(referral=referral).order_by("-raised_at", "-pk")
    )
    return {"referral": referral, "escalations": escalations, "can_raise": perms.can_raise(user, referral)}
