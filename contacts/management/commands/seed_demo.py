"""`python manage.py seed_demo`: an idempotent demo region with an account for every role.

A demo password is set only when DJANGO_DEBUG is true or --password is given; otherwise the
accounts get no usable password (set one with `manage.py changepassword`).
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from contacts import demo
from portal import demo as demo_data


class Command(BaseCommand):
    help = "Create or update the demo region with accounts for every role, and print them."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Set this password on every demo account.")

    def handle(self, *args, **options):
        password = options["password"] or (demo.DEMO_PASSWORD if settings.DEBUG else None)
        ctx = {"password": password, "stdout": self.stdout}
        accounts = []
        # Every app's seeder, in the order of INSTALLED_APPS (registered in AppConfig.ready()).
        for seed in demo_data.seeders():
            result = seed(ctx)
            if seed is demo.seed:
                accounts = result
        self.stdout.write(self.style.SUCCESS("Demo data is up to date. Accounts:"))
        for email, role, org in accounts:
            self.stdout.write(f"  {email:<38} {role.label:<32} {org}")
        if password:
            self.stdout.write(f"Password for every demo account: {password}")
        else:
            self.stdout.write("No password was set (DJANGO_DEBUG is false and no --password was given).")
