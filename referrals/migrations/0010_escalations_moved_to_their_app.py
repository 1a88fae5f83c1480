# Escalations, decisions and precedents now belong to the escalations app (ADR 0062). Their
# tables stay as they are: this migration removes the models from the referrals state only and
# runs no DDL (escalations 0001 took them over in its state first).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("escalations", "0001_initial"),
        ("referrals", "0009_export_verbose_names"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="precedent",
                    name="decision",
                ),
                migrations.RemoveField(
                    model_name="escalation",
                    name="municipality",
                ),
                migrations.RemoveField(
                    model_name="escalation",
                    name="other_position_by",
                ),
                migrations.RemoveField(
                    model_name="escalation",
                    name="partnership",
                ),
                migrations.RemoveField(
                    model_name="escalation",
                    name="raised_by",
                ),
                migrations.RemoveField(
                    model_name="escalation",
                    name="referral",
                ),
                migrations.RemoveField(
                    model_name="precedent",
                    name="municipality",
                ),
                migrations.RemoveField(
                    model_name="precedent",
                    name="partnership",
                ),
                migrations.RemoveField(
                    model_name="precedent",
                    name="published_by",
                ),
                migrations.RemoveField(
                    model_name="precedentdomain",
                    name="precedent",
                ),
                migrations.DeleteModel(
                    name="Decision",
                ),
                migrations.DeleteModel(
                    name="Escalation",
                ),
                migrations.DeleteModel(
                    name="Precedent",
                ),
                migrations.DeleteModel(
                    name="PrecedentDomain",
                ),
            ],
            database_operations=[],
        ),
    ]
