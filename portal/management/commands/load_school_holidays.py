"""`python manage.py load_school_holidays [FILE]`: load the school holidays per school-holiday
region (noord, midden, zuid) from a JSON file shaped like portal/data/school_holidays.json (the
shipped file, for the school years 2025-2026 to 2027-2028, when FILE is left out). Existing
rows (same region and first day) are updated; all or nothing (ADR 0090)."""

import json

from django.core.management.base import BaseCommand, CommandError

from portal import workdays


class Command(BaseCommand):
    help = "Load school holidays per region from a JSON file (default: the shipped dates)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(workdays.SHIPPED_SCHOOL_HOLIDAYS))

    def handle(self, *args, **options):
        path = options["file"]
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path} is not valid JSON: {exc}.") from None
        try:
            rows = workdays.parse_school_holidays(data)
        except workdays.SchoolHolidayDataError as exc:
            raise CommandError(f"{path}: {exc}. Nothing was loaded.") from None
        created, updated = workdays.load_school_holidays(rows)
        self.stdout.write(f"School holidays loaded from {path}: {created} added, {updated} updated.")
