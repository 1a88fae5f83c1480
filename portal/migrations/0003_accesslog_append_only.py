"""The access log is append-only in the database too (NEN 7513, ADR 0044).

On PostgreSQL a trigger refuses every UPDATE and DELETE on portal_accesslog, whoever sends it
(raw SQL, the admin, a bug). TRUNCATE stays possible for the
database owner: test databases are flushed with it. SQLite (the demo) relies on the model's Python guard only.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION tandem_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'portal_accesslog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS tandem_accesslog_append_only ON portal_accesslog;
CREATE TRIGGER tandem_accesslog_append_only
    BEFORE UPDATE OR DELETE ON portal_accesslog
    FOR EACH ROW EXECUTE FUNCTION tandem_accesslog_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS tandem_accesslog_append_only ON portal_accesslog;
DROP FUNCTION IF EXISTS tandem_accesslog_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_notification")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
