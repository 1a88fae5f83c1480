"""Database connection settings that Django's DATABASES cannot express (ADR 0170)."""

from django.conf import settings
from django.db.models import IntegerField
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
    values, not model instances: on a foreign key, the ids (`user__any_of=[3, 5]`).

    A list of Python ints on an integer column (an id, a foreign key) is what the database
    takes already: it skips the two per-value conversions of the field (`get_prep_value`,
    `get_db_prep_value`, 2,400 calls a request on the account list), which give those ints
    back unchanged."""

    lookup_name = "any_of"

    def _plain_ints(self):
        field = self.lhs.output_field
        field = getattr(field, "target_field", None) or field
        rhs = self.rhs
        return (
            isinstance(rhs, list | tuple)
            and isinstance(field, IntegerField)
            and all(type(v) is int for v in rhs)  # not bool, not a str of digits
        )

    def get_prep_lookup(self):
        if self._plain_ints():
            return list(self.rhs)
        return super().get_prep_lookup()

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if self._plain_ints():
            values = list(self.rhs)
        else:
            prep = self.lhs.output_field.get_db_prep_value
            values = [prep(v, connection) for v in self.rhs if v is not None]
        return f"{lhs} = ANY(%s)", (*lhs_params, values)
