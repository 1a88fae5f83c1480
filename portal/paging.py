"""Pages of a list without COUNT(*): fetch page_size + 1 rows; the extra row says "there is a
next page" (issue 9: lists over large tables)."""

from dataclasses import dataclass

PAGE_SIZE = 25


@dataclass
class Page:
    rows: list
    number: int
    previous_url: str | None
    next_url: str | None


def _url(request, param, number):
    query = request.GET.copy()
    query[param] = str(number)
    return "?" + query.urlencode()


def page_of(queryset, request, param="pagina", size=PAGE_SIZE, narrow=False):
    """One page of `queryset`. narrow: first pick the page's ids without the joins of
    select_related, then fetch those rows with them; for a list whose sort needs all candidate
    rows (PostgreSQL would otherwise join every candidate to schools and users before sorting)."""
    try:
        number = max(1, min(int(request.GET.get(param, "1")), 10_000))
    except ValueError:
        number = 1
    start = (number - 1) * size
    if narrow:
        ids = list(queryset.values_list("pk", flat=True)[start : start + size + 1])
        rows = list(queryset.filter(pk__in=ids)) if ids else []
    else:
        rows = list(queryset[start : start + size + 1])
    has_next = len(rows) > size
    return Page(
        rows=rows[:size],
        number=number,
        previous_url=_url(request, param, number - 1) if number > 1 else None,
        next_url=_url(request, param, number + 1) if has_next else None,
    )
