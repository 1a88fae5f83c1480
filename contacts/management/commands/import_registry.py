"""`python manage.py import_registry --kind KIND FILE`: import CSV or XLSX, all-or-nothing.

Without --kind the kind is taken from the file name (e.g. schools.csv). Each error names the
file, the row and the column; on any error nothing is written and the command exits non-zero.
Columns per kind: docs/registry-import.md. The users sheet adds accounts as a registry
administrator would (in their region, ADR 0148): name them with --as EMAIL.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from contacts.registry_import import KIND_LABELS, import_file


class Command(BaseCommand):
    help = "Import regions, municipalities, partnerships, schools, ... from a CSV or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv (UTF-8, comma or semicolon) or .xlsx file.")
        parser.add_argument("--kind", choices=sorted(KIND_LABELS), help="What the file holds.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file; write nothing.")
        parser.add_argument(
            "--as",
            dest="actor",
            metavar="EMAIL",
            help="users only: the registry administrator in whose region the accounts are added.",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        kind = options["kind"] or path.stem.split(".")[0].replace("-", "_")
        if kind not in KIND_LABELS:
            raise CommandError(
                f"{path.name}: say what the file holds with --kind ({', '.join(sorted(KIND_LABELS))})."
            )
        actor = None
        if kind == "users":
            actor = get_user_model().objects.filter(email__iexact=options["actor"] or "").first()
            if actor is None:
                raise CommandError(
                    f"{path.name}: name the registry administrator who adds these accounts with --as EMAIL."
                )
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot read the file ({exc.strerror}).") from exc
        report = import_file(kind, path.name, content, commit=not options["dry_run"], actor=actor)
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{path.name}: {len(report.errors)} error(s); nothing was imported.")
        verb = "checked" if options["dry_run"] else "imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{path.name} ({kind}) {verb}: {report.added} added, {report.changed} changed, "
                f"{report.unchanged} unchanged."
            )
        )
