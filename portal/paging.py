"""The one pager of every list (template: templates/portal/_pager.html).

By default without COUNT(*): fetch page_size + 1 rows; the extra row says "there is a next
page", so a list over a large table costs one query however long it is. A list that shows its
total ("12 results", "page 2 of 3") asks for count=True and gets one COUNT query more.
"""

from dataclasses import dataclass

PAGE_SIZE = 25
MAX_PAGE = 10_000


@dataclass
class Page:
    rows: list
    number: int
    previous_url: str | None
    next_url: str | None
    count: int | None = None  # all rows of the list; only with count=True
    num_pages: int | None = None  # only with count=True


def _url(request, param, number):
    query = request.GET.copy()
    query[param] = str(number)
    return "?" + query.urlencode()


def _number(request, param):
    try:
        return max(1, min(int(request.GET.get(param, "1")), MAX_PAGE))
    except ValueError:
        return 1


def page_of(queryset, request, param="pagina", size=PAGE_SIZE, narrow=False, count=False):
    """One page of `queryset`, the page number read from the query parameter `param` (1 when
    missing or not a number).

    narrow: first pick the page's ids without the joins of select_related, then fetch those
    rows with them; for a list whose sort needs all candidate rows (PostgreSQL would otherwise
    join every candidate to schools and users before sorting).
    count: also count all rows (Page.count, Page.num_pages); a number past the last page then
    shows the last page."""
    number = _number(request, param)
    total = num_pages = None
    if count:
        total = queryset.count()
        num_pages = max(1, -(-total // size))
        number = min(number, num_pages)
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
        count=total,
        num_pages=num_pages,
    )
