"""The registry's tasks (Celery's autodiscovery finds them here)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contacts.models import Invitation
from contacts.models.invitations import new_token
from portal.dates import moment_with_zone


def invitation_email(invitation, token):
    """(subject, body) of the invitation e-mail, in the installation's language: who invites
    whom for which role where, the one-time link and until when it works. No child data."""
    with translation.override(settings.LANGUAGE_CODE):
        link = f"{settings.SITE_URL}{reverse('invitations:accept', args=[token])}"
        membership = invitation.membership
        inviter = invitation.invited_by
        values = {
            "inviter": inviter.full_name if inviter else _("The registry administrator"),
            "role": membership.get_role_display(),
            "organisation": membership.organisation,
            "until": moment_with_zone(invitation.expires_at),
        }
        subject = _("Tandem: invitation as %(role)s") % values
        intro = _("%(inviter)s invites you to Tandem as %(role)s for %(organisation)s.") % values
        if invitation.user.has_usable_password():
            step = _("You already have an account: open this link to accept the new role.")
        else:
            step = _(
                "Open this link to choose your password; then you set up two-step verification "
                "with an authenticator app."
            )
        until = _("The link works once, until %(until)s.") % values
        unknown = _("Not expecting this invitation? Then you can ignore this e-mail.")
        return subject, f"{intro}\n\n{step}\n\n{link}\n\n{until}\n{unknown}\n"


@shared_task(
    name="contacts.send_invitation_email",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_invitation_email(invitation_id: int) -> None:
    """E-mail an invitation's link, at most once per (re)send however often the outbox delivers
    it (ADR 0130): the row lock and `emailed_at` claim it, and the token is made here, so only
    the e-mail holds it and the database only its hash (ADR 0135). A failing send rolls the
    claim and the token back, so the retry sends a new one."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("user", "invited_by", "membership")
            .filter(pk=invitation_id, emailed_at__isnull=True, accepted_at__isnull=True)
            .first()
        )
        if invitation is None:
            return
        token, invitation.selector, invitation.token_hash = new_token()
        invitation.emailed_at = timezone.now()
        invitation.save(update_fields=["selector", "token_hash", "emailed_at"])
        subject, body = invitation_email(invitation, token)
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[invitation.user.email])
