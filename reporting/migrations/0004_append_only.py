"""Publication events (ADR 0150) and startfotos (ADR 0155) are append-only in the database too,
as the access log is (portal/migrations/0003_accesslog_append_only.py).

On PostgreSQL a trigger refuses every UPDATE and DELETE on both tables, whoever sends it (raw
SQL, the admin, a bug), with one exception: the person who published or froze may be set to
NULL and nothing else changed, which is what deleting that account does (on_delete=SET_NULL).
TRUNCATE stays possible for the database owner: test databases are flushed with it. SQLite (the
demo) relies on the models' Python guard only.
"""

from django.db import migrations

TABLES = {"reporting_publicationevent": "actor_id", "reporting_startphoto": "frozen_by_id"}

FUNCTION = """
CREATE OR REPLACE FUNCTION tandem_reporting_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) ->> TG_ARGV[0]) IS NULL
            AND (to_jsonb(NEW) - TG_ARGV[0]) = (to_jsonb(OLD) - TG_ARGV[0]) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

TRIGGER = """
DROP TRIGGER IF EXISTS tandem_append_only ON {table};
CREATE TRIGGER tandem_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION tandem_reporting_append_only('{person}');
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)
        for table, person in TABLES.items():
            schema_editor.execute(TRIGGER.format(table=table, person=person), params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS tandem_append_only ON {table};", params=None)
        schema_editor.execute("DROP FUNCTION IF EXISTS tandem_reporting_append_only();", params=None)


class Migration(migrations.Migration):
    dependencies = [("reporting", "0003_startfoto")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
