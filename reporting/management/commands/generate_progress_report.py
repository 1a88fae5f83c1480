"""python manage.py generate_progress_report --period 2026-H1 [--region CODE] --output FILE.pdf

The same code path as the Celery task (a ProgressReport row, generation.generate), synchronous."""

import shutil

from django.core.management.base import BaseCommand, CommandError

from contacts.models import Region
from reporting import generation
from reporting.models import ProgressReport
from reporting.periods import InvalidPeriod, Period


class Command(BaseCommand):
    help = "Generate a progress report (PDF) for a half-year and a region or subregion."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="e.g. 2026-H1")
        parser.add_argument("--region", help="region or subregion code (default: the only root region)")
        parser.add_argument("--output", required=True, help="where to write the PDF")

    def handle(self, *args, period, region, output, **options):
        try:
            period = Period.parse(period)
        except InvalidPeriod as exc:
            raise CommandError(str(exc)) from exc
        if region:
            found = Region.objects.filter(code=region).first()
            if found is None:
                raise CommandError(f"No region with code {region!r}.")
        else:
            roots = list(Region.objects.filter(parent__isnull=True)[:2])
            if len(roots) != 1:
                raise CommandError("Give --region CODE: there is not exactly one region.")
            found = roots[0]
        report = ProgressReport.objects.create(period=period.label, region=found)
        try:
            report = generation.generate(report.pk)
        except Exception as exc:
            generation.mark_failed(report.pk, exc)
            raise CommandError(f"Generating the report failed: {type(exc).__name__}: {exc}") from exc
        with report.file.open("rb") as source, open(output, "wb") as target:
            shutil.copyfileobj(source, target)
        self.stdout.write(f"{output}: {report.size} bytes, sha256 {report.sha256}")
