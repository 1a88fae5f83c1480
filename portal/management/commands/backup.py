"""`python manage.py backup [--output-dir DIR]`: database dump + private media in one archive.

Used by `make backup`. See portal/backup.py and README "Operators".
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from portal.backup import BackupError, Database, create_backup


class Command(BaseCommand):
    help = "Write pg_dump and the private media into backups/tandem-YYYYmmdd-HHMMSS.tar.gz."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=os.environ.get("TANDEM_BACKUP_DIR", str(settings.BASE_DIR / "backups")),
            help="Directory for the archive (default: $TANDEM_BACKUP_DIR or backups/).",
        )

    def handle(self, *args, **options):
        try:
            db = Database.from_settings(connections["default"].settings_dict)
            archive = create_backup(db, Path(settings.PRIVATE_MEDIA_ROOT), Path(options["output_dir"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {archive}"))
        self.stdout.write("It holds personal data: keep it encrypted and access-controlled.")
