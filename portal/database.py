"""Database connection settings that Django's DATABASES cannot express (ADR 0170)."""

from django.conf import settings
from django.db.models.lookups import In


def keep_prepared_statements(sender=None, connection=None, **kwargs):
    """`connection_created`: how many prepared statements psycopg keeps on a PostgreSQL
    connection (its default, 100, is fewer than the distinct queries the pages make, so a
    worker serving every page would keep preparing them again)."""
    raw = getattr(connection, "connection", None)
    if connection is not None and connection.vendor == "postgresql" and hasattr(raw, "prepared_max"):
        raw.prepared_max = settings.DATABASE_PREPARED_MAX


class AnyOf(In):
    """`field__any_of=[...]`: the `in` lookup, sent to PostgreSQL as `field = ANY(%s)` with the
    list as one array parameter instead of one parameter per value. A list of a thousand ids
    (the access log's region users) otherwise costs Django a thousand parameters to prepare and
    psycopg a thousand-placeholder query to parse on every request, too long for its cache
    (bench/FINDINGS.md). Other databases (the demo's SQLite) get `IN (...)` as before. Takes
    values, not model instances: on a foreign key, the ids (`user__any_of=[3, 5]`)."""

    lookup_name = "any_of"

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [self.lhs.output_field.get_db_prep_value(v, connection) for v in self.rhs if v is not None]
        return f"{lhs} = ANY(%s)", (*lhs_params, values)
