"""`python manage.py seed_load --referrals N`: synthetic national load data (ADR 0080).

A command of the development-only bench app: run it with DJANGO_SETTINGS_MODULE=bench.settings.
Generates 42 regions with subregions, 342 municipalities, ~150 partnerships, 7,000 schools,
district teams, care providers, persons, users with memberships, tandems, contact assignments
and N referrals with domains, guardians, consents, events, escalations and decisions; then
privacy officers, N access-log rows (--access-log), notifications and progress reports, which
`--top-up` adds on their own to a data set seeded before they were part of it.
PostgreSQL only (COPY). Every load account has the password printed at the end.
"""

import json

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import loadgen
from contacts.models import Region
from referrals.models import Referral


class Command(BaseCommand):
    help = "Generate synthetic national load data (PostgreSQL) with N referrals."

    def add_arguments(self, parser):
        parser.add_argument(
            "--referrals", type=int, default=1_000_000, help="How many referrals (default 1,000,000)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (same seed, same data).")
        parser.add_argument("--chunk", type=int, default=50_000, help="Referrals per COPY round.")
        parser.add_argument(
            "--flush", action="store_true", help="Empty the whole database first (manage.py flush)."
        )
        parser.add_argument(
            "--access-log", type=int, default=None, help="Access-log rows (default: as many as referrals)."
        )
        parser.add_argument(
            "--top-up",
            action="store_true",
            help="Only add what an existing load data set lacks (privacy officers, access log, "
            "notifications, progress reports: each when its table is empty).",
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_load needs PostgreSQL: set DATABASE_URL to a postgres:// database.")
        if options["referrals"] < 0:
            raise CommandError("--referrals must be zero or more.")
        if options["top_up"]:
            if not Region.objects.exists():
                raise CommandError("--top-up needs a database that seed_load filled before.")
            rows = options["access_log"]
            added = loadgen.top_up(Referral.objects.count() if rows is None else rows, out=self.stdout.write)
            self.stdout.write(json.dumps(added, sort_keys=True))
            return
        if options["flush"]:
            call_command("flush", interactive=False, verbosity=0)
        elif Region.objects.exists():
            raise CommandError(
                "This database already holds registry data. Use an empty database, or --flush to empty it "
                "(everything in it is deleted)."
            )
        summary = loadgen.seed(
            options["referrals"],
            seed_value=options["seed"],
            out=self.stdout.write,
            chunk=options["chunk"],
            access_log_rows=options["access_log"],
        )
        self.stdout.write(json.dumps(summary, indent=1, sort_keys=True))
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {options['referrals']:,} referrals in {summary['seconds']} s.")
        )
        self.stdout.write(f"Load accounts (password {loadgen.BENCH_PASSWORD}):")
        for role, email in loadgen.BENCH_ACCOUNTS.items():
            self.stdout.write(f"  {email:<36} {role}")
