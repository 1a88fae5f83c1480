"""`python manage.py backup [--output-dir DIR]`: database dump + private media in one archive.

Used by `make backup`. See portal/backup.py and README "Operators".
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from portal.backup import BackupError, Database, Encryption, create_backup, prune_backups


class Command(BaseCommand):
    help = "Write pg_dump and the private media into backups/tandem-YYYYmmdd-HHMMSS.tar.gz."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=os.environ.get("TANDEM_BACKUP_DIR", str(settings.BASE_DIR / "backups")),
            help="Directory for the archive (default: $TANDEM_BACKUP_DIR or backups/).",
        )

    def handle(self, *args, **options):
        encryption = encryption_from_settings()
        output_dir = Path(options["output_dir"])
        try:
            db = Database.from_settings(connections["default"].settings_dict)
            archive = create_backup(db, Path(settings.PRIVATE_MEDIA_ROOT), output_dir, encryption=encryption)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {archive}"))
        if encryption.enabled:
            self.stdout.write(f"Encrypted with gpg to {', '.join(encryption.recipients)}.")
        else:
            self.stdout.write(
                "It holds personal data and is NOT encrypted: set TANDEM_BACKUP_GPG_RECIPIENTS, "
                "or encrypt it and keep it access-controlled."
            )
        for removed in prune_backups(output_dir, settings.TANDEM_BACKUP_KEEP_DAYS):
            self.stdout.write(f"Removed {removed.name} (older than {settings.TANDEM_BACKUP_KEEP_DAYS} days).")


def encryption_from_settings() -> Encryption:
    return Encryption(
        recipients=tuple(settings.TANDEM_BACKUP_GPG_RECIPIENTS),
        gnupg_home=settings.TANDEM_BACKUP_GNUPGHOME,
        passphrase_file=settings.TANDEM_BACKUP_GPG_PASSPHRASE_FILE,
    )
