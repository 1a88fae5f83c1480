"""`python manage.py bench_report --period 2026-H1 [--region CODE] --output FILE.pdf`:
generate_progress_report, timed, with the peak memory of the process (bench/report.py has
the budget)."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from bench.report import peak_rss_mb


class Command(BaseCommand):
    help = "Generate a progress report like generate_progress_report and print the time and peak memory."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="e.g. 2026-H1")
        parser.add_argument("--region", help="region or subregion code (default: the only root region)")
        parser.add_argument("--output", required=True, help="where to write the PDF")

    def handle(self, *args, period, region, output, **options):
        started = time.perf_counter()
        call_command(
            "generate_progress_report", period=period, region=region, output=output, stdout=self.stdout
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(f"bench: {elapsed:.2f} s, peak RSS {peak_rss_mb():.0f} MB")
