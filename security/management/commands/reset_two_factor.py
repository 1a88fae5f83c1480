"""Reset a user's two-step verification (lost phone and recovery codes).

The user's devices and recovery codes are removed and their sessions end; at the next login
a user who must use 2FA sets it up again."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from security.services import reset_two_factor


class Command(BaseCommand):
    help = "Remove a user's two-step verification devices and recovery codes, and end their sessions."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with e-mail address {email!r}.")
        reset_two_factor(user)
        self.stdout.write(f"Two-step verification reset for user {user.pk}; their sessions have ended.")
