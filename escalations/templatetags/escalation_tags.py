"""`{% load escalation_tags %}{% escalation_actions referral waiting %}` on the referral page: the
escalations and mediations of this referral the user may see, an "Ask a mediator" link (ADR
0149) and an "Escalate" link when the user may raise,
or, while escalating does not make sense yet, from when it will (ADR 0141)."""

from django import template

from escalations import permissions as perms

register = template.Library()


@register.inclusion_tag("escalations/_referral_actions.html", takes_context=True)
def escalation_actions(context, referral, waiting):
    """`waiting`: the page's waiting time of the referral (referrals.waiting.waiting_for)."""
    user = context["request"].user
    escalations = list(perms.referral_escalations(user, referral).order_by("-raised_at", "-pk"))
    mediations = list(perms.referral_mediations(user, referral).order_by("-asked_at", "-pk"))
    party = perms.may_raise_as_party(user, referral)
    # A party sees all of the referral's mediations: the list tells whether one is open.
    offer = perms.escalation_offer(referral, waiting=waiting, mediations=mediations) if party else None
    can_raise = bool(party and offer.offered)
    return {
        "referral": referral,
        "escalations": escalations,
        "mediations": mediations,
        "can_raise": can_raise,
        # Mediation first, when the region named mediators (ADR 0149).
        "can_ask_mediator": can_raise and perms.mediators_for(referral, user).exists(),
        "not_yet": offer.explanation if party and not offer.offered else "",
    }
