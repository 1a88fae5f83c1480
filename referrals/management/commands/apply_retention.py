"""python manage.py apply_retention [--dry-run]

The same code as the nightly Celery task (referrals.retention.apply_retention), run
synchronously. --dry-run counts what is due and changes nothing. Prints counts only."""

from django.conf import settings
from django.core.management.base import BaseCommand

from referrals.retention import BATCH_SIZE, apply_retention, due_counts


class Command(BaseCommand):
    help = (
        "Anonymise closed and declined referrals past TANDEM_RETENTION_CLOSED_MONTHS and delete "
        "drafts untouched for TANDEM_RETENTION_DRAFT_MONTHS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what is due, change nothing")
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help=f"ids per transaction (default {BATCH_SIZE})"
        )

    def handle(self, *args, dry_run, batch_size, **options):
        terms = (
            f"terms: {settings.TANDEM_RETENTION_CLOSED_MONTHS} months after closing or declining, "
            f"{settings.TANDEM_RETENTION_DRAFT_MONTHS} months for untouched drafts"
        )
        if dry_run:
            due = due_counts()
            self.stdout.write(
                f"Dry run ({terms}): would anonymise {due.anonymised} referrals, delete "
                f"{due.drafts_deleted} drafts and {due.attachments_deleted} attachments. Nothing changed."
            )
            return
        done = apply_retention(batch_size=max(1, batch_size))
        self.stdout.write(
            f"Retention applied ({terms}): {done.anonymised} referrals anonymised, "
            f"{done.drafts_deleted} drafts deleted, {done.attachments_deleted} attachments deleted, "
            f"{done.files_removed} files removed, {done.file_errors} files could not be removed."
        )
