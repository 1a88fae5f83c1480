"""Database connection settings that Django's DATABASES cannot express (ADR 0170)."""

from django.conf import settings


def keep_prepared_statements(sender=None, connection=None, **kwargs):
    """`connection_created`: how many prepared statements psycopg keeps on a PostgreSQL
    connection (its default, 100, is fewer than the distinct queries the pages make, so a
    worker serving every page would keep preparing them again)."""
    raw = getattr(connection, "connection", None)
    if connection is not None and connection.vendor == "postgresql" and hasattr(raw, "prepared_max"):
        raw.prepared_max = settings.DATABASE_PREPARED_MAX
