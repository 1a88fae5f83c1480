"""Invitations: the registry administrator invites a person into a role (ADR 0135).

The membership exists from the invitation on; the person's account stays inactive without a
usable password until they accept. The one-time link's secret is never stored: the link's
token is a public `selector` (to find the row) followed by a secret verifier of which only the
SHA-256 hash is kept, compared with hmac.compare_digest. The e-mail task makes the token when
it sends the e-mail (contacts/tasks.py), so the token exists only in that e-mail.
"""

import hashlib
import hmac
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models.accounts import Membership, User

SELECTOR_BYTES = 9  # token_urlsafe(9): exactly 12 characters
SELECTOR_LENGTH = 12
VERIFIER_BYTES = 32  # 256 bits of secret


def hash_verifier(verifier):
    return hashlib.sha256(verifier.encode()).hexdigest()


def new_token():
    """(token for the link, selector, hash of the verifier)."""
    selector = secrets.token_urlsafe(SELECTOR_BYTES)
    verifier = secrets.token_urlsafe(VERIFIER_BYTES)
    return selector + verifier, selector, hash_verifier(verifier)


def split_token(token):
    """(selector, verifier) of a token from a link, or None when it cannot be one of ours."""
    if not isinstance(token, str) or len(token) <= SELECTOR_LENGTH or len(token) > 200:
        return None
    return token[:SELECTOR_LENGTH], token[SELECTOR_LENGTH:]


class InvitationQuerySet(models.QuerySet):
    def open(self, now=None):
        """Not accepted and not expired."""
        return self.filter(accepted_at__isnull=True, expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        EXPIRED = "expired", _("expired")

    user = models.ForeignKey(
        User, verbose_name=_("invited person"), on_delete=models.CASCADE, related_name="invitations"
    )
    membership = models.ForeignKey(
        Membership, verbose_name=_("membership"), on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        User,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited at"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # The link's token: empty until the e-mail task makes one, emptied again by a resend.
    selector = models.CharField(_("link selector"), max_length=SELECTOR_LENGTH, blank=True)
    token_hash = models.CharField(_("hash of the link's secret"), max_length=64, blank=True)
    # When the e-mail with the current token went out; empty while it waits in the outbox.
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    times_sent = models.PositiveSmallIntegerField(_("times sent"), default=1)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["selector"], condition=~models.Q(selector=""), name="invitation_unique_selector"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.membership.get_role_display()}"

    def state(self, now=None):
        if self.accepted_at is not None:
            return self.State.ACCEPTED
        if self.expires_at <= (now or timezone.now()):
            return self.State.EXPIRED
        return self.State.OPEN

    def matches(self, verifier):
        return bool(self.token_hash) and hmac.compare_digest(self.token_hash, hash_verifier(verifier))
