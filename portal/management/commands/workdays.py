"""`python manage.py workdays FROM TO [--school-region REGION]`: the working days from FROM to TO
(ISO dates, both included), for operators who check a deadline. The public holidays that were
left out are listed first; the count stands alone on the last line (portal/workdays.py,
ADR 0090)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from portal import workdays


def _date(value, name):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{name} must be a date written as YYYY-MM-DD, e.g. 2026-12-21; got {value!r}."
        ) from None


class Command(BaseCommand):
    help = "Count the working days from FROM to TO, both included; the count is the last line."

    def add_arguments(self, parser):
        parser.add_argument("from_date", metavar="FROM", help="first day, YYYY-MM-DD (counted)")
        parser.add_argument("to_date", metavar="TO", help="last day, YYYY-MM-DD (counted)")
        parser.add_argument(
            "--school-region",
            choices=workdays.SCHOOL_REGIONS,
            help="also leave out the school holidays of this region (the clock that waits for a school)",
        )

    def handle(self, *args, **options):
        first = _date(options["from_date"], "FROM")
        last = _date(options["to_date"], "TO")
        if last < first:
            raise CommandError(f"TO ({last}) lies before FROM ({first}); give the earlier date first.")
        if (last - first).days > 366 * 50:
            raise CommandError("FROM and TO lie more than 50 years apart; give a shorter period.")
        before = first - datetime.timedelta(days=1)
        region = options.get("school_region")
        choice = workdays.holiday_choice()
        self.stdout.write(f"Working days from {first} to {last}, both included (public holidays: {choice}).")
        for year in range(first.year, last.year + 1):
            for day, name in sorted(workdays.public_holidays(year).items()):
                if first <= day <= last and day.weekday() < 5:
                    self.stdout.write(f"  not counted: {day} {name}")
        if region:
            count = workdays.school_days_between(before, last, region)
            self.stdout.write(f"  school holidays of region {region} not counted either")
        else:
            count = workdays.working_days_between(before, last)
        self.stdout.write(str(count))
