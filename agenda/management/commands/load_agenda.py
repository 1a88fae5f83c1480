"""`python manage.py load_agenda utrecht-2022`: load a shipped work agenda (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from agenda import loader


class Command(BaseCommand):
    help = "Load a work agenda shipped with Tandem (agenda/data/NAME.json); safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("name", help=f"one of: {', '.join(loader.available())}")

    def handle(self, *args, name, **options):
        try:
            agenda = loader.load(name)
        except loader.AgendaDataError as exc:
            raise CommandError(str(exc)) from exc
        ambitions = agenda.ambitions.count()
        goals = sum(a.goals.count() for a in agenda.ambitions.all())
        activities = sum(a.activities.count() for a in agenda.ambitions.all())
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {agenda.title!r}: {ambitions} ambitions, {goals} goals, {activities} activities."
            )
        )
