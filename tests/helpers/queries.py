"""Pin a page's number of SQL queries, and prove it does not grow with the number of rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(ctx.captured_queries), ctx.captured_queries


def assert_queries_pinned(client, url, add_rows, expected, batches=(1, 10)):
    """Call `add_rows(n)` to add n more rows, measure the page each time; every count must
    equal `expected` (Zulip-style pinning: a new query per row fails at once)."""
    counts = []
    for n in batches:
        add_rows(n)
        count, queries = count_queries(client, url)
        counts.append(count)
        if count != expected:
            listing = "\n".join(q["sql"][:300] for q in queries)
            raise AssertionError(
                f"{url}: expected {expected} queries after adding {n} rows, got {count}:\n{listing}"
            )
    return counts
