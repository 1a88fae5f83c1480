"""`python manage.py restore ARCHIVE`: restore a backup into an EMPTY database and media root.

Used by `make restore ARCHIVE=...`. Refuses a database that has tables and a media root that
has files; verifies every checksum first. See portal/backup.py and README "Operators".
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from portal.backup import BackupError, Database, restore_backup
from portal.management.commands.backup import encryption_from_settings


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and an empty private media root."

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", help="A tandem-YYYYmmdd-HHMMSS.tar.gz[.gpg] written by `manage.py backup`."
        )

    def handle(self, *args, **options):
        connections.close_all()
        try:
            db = Database.from_settings(connections["default"].settings_dict)
            manifest = restore_backup(
                db,
                Path(settings.PRIVATE_MEDIA_ROOT),
                Path(options["archive"]),
                out=self.stdout,
                encryption=encryption_from_settings(),
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored the backup made at {manifest['created']}."))
        self.stdout.write("Run `python manage.py migrate` if this code is newer than the backup.")
