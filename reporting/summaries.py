"""Dashboard figures from the cache, kept warm by a beat task (docs/adr/0081).

A dashboard view runs about 15 queries over a region's half-year and the one before it: 150 to
300 ms at a million referrals (docs/adr/0167), above the 100 ms a page may take. The figures
of a (period, scope) change slowly, so the dashboard and its CSV/XLSX exports read them from
the cache:

- `figures_for(period, scope)` returns the cached figures, or computes and stores them. While
  one request computes, the others for the same key wait for its result (no dogpile).
- Every view notes its (period, scope) as "viewed". The beat task `refresh_viewed()` recomputes
  the figures of the current half-year viewed in the last day, every
  TANDEM_FIGURES_REFRESH_MINUTES, so people find them warm and at most that old.
- A closed half-year changes only by late corrections: cached for
  TANDEM_FIGURES_CACHE_CLOSED_SECONDS (a day).
- TANDEM_FIGURES_CACHE_SECONDS=0 switches the cache off (the test settings do).

The dashboard shows when its figures were calculated. The progress-report PDF does not use the
cache: it computes its figures when it is generated.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from contacts.models import Municipality, Partnership, Region
from reporting.figures import compute_figures
from reporting.periods import InvalidPeriod, Period
from reporting.scopes import MUNICIPALITY, PARTNERSHIP, REGION, SUBREGION, Scope

logger = logging.getLogger(__name__)

VERSION = 7  # bump when the shape of Figures changes: old entries are then never read
PREFIX = f"tandem:figures:v{VERSION}"
VIEWED_KEY = f"{PREFIX}:viewed"
VIEWED_FOR = timedelta(hours=24)  # views older than this are not kept warm
VIEWED_NOTE_EVERY = 60  # seconds: a view refreshes its "viewed" mark at most this often
LOCK_SECONDS = 120  # longest a computation may hold the lock
LOCK_WAIT = 30  # longest a request waits for another's computation before computing itself


def _key(period, scope, language):
    return f"{PREFIX}:{language}:{period.label}:{scope.key}"


def cache_seconds(period, now=None):
    """How long the figures of `period` stay in the cache; 0: the cache is off."""
    live = settings.TANDEM_FIGURES_CACHE_SECONDS
    if live <= 0:
        return 0
    if period.end <= (now or timezone.now()):
        return max(live, settings.TANDEM_FIGURES_CACHE_CLOSED_SECONDS)
    return live


def _store(period, scope, key, ttl):
    figures = compute_figures(period, scope)
    cache.set(key, figures, ttl)
    return figures


def figures_for(period, scope):
    """The figures of (`period`, `scope`) for the dashboard and its exports."""
    ttl = cache_seconds(period)
    if not ttl:
        return compute_figures(period, scope)
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = _key(period, scope, language)
    _note_view(period, scope, language)
    figures = cache.get(key)
    if figures is not None:
        return figures
    lock = f"{key}:lock"
    if cache.add(lock, 1, timeout=LOCK_SECONDS):
        try:
            return _store(period, scope, key, ttl)
        finally:
            cache.delete(lock)
    deadline = time.monotonic() + LOCK_WAIT
    while time.monotonic() < deadline:
        time.sleep(0.05)
        figures = cache.get(key)
        if figures is not None:
            return figures
    return _store(period, scope, key, ttl)


def _note_view(period, scope, language):
    """Remember that someone looked at these figures, for the beat task. A lost update (two
    views at once) only means one entry is not kept warm until its next view."""
    now = time.time()
    entry = (language, period.label, scope.kind, scope.obj.pk)
    viewed = cache.get(VIEWED_KEY) or {}
    if now - viewed.get(entry, 0) < VIEWED_NOTE_EVERY:
        return
    viewed[entry] = now
    cache.set(VIEWED_KEY, viewed, timeout=None)


def _scope(kind, pk):
    model = {REGION: Region, SUBREGION: Region, PARTNERSHIP: Partnership, MUNICIPALITY: Municipality}[kind]
    obj = model.objects.filter(pk=pk).first()
    return Scope(kind, obj) if obj is not None else None


def refresh_viewed(now=None):
    """Recompute the figures people looked at in the last day: those of a half-year still
    running always, those of a closed one only when they have left the cache. Forgets views
    older than a day. Returns the number of (period, scope) figures computed."""
    if settings.TANDEM_FIGURES_CACHE_SECONDS <= 0:
        return 0
    now_ts = time.time() if now is None else now.timestamp()
    moment = now or timezone.now()
    viewed = cache.get(VIEWED_KEY) or {}
    keep, computed = {}, 0
    for entry, seen in viewed.items():
        if now_ts - seen > VIEWED_FOR.total_seconds():
            continue
        language, label, kind, pk = entry
        try:
            period = Period.parse(label)
        except InvalidPeriod:
            continue
        scope = _scope(kind, pk)
        if scope is None:
            continue
        keep[entry] = seen
        key = _key(period, scope, language)
        closed = period.end <= moment
        if closed and cache.get(key) is not None:
            continue
        with translation.override(language):
            _store(period, scope, key, cache_seconds(period, moment))
        computed += 1
    # Views noted while this ran are merged back, not lost.
    latest = cache.get(VIEWED_KEY) or {}
    keep.update({e: s for e, s in latest.items() if now_ts - s <= VIEWED_FOR.total_seconds()})
    cache.set(VIEWED_KEY, keep, timeout=None)
    logger.info("dashboard figures refreshed", extra={"computed": computed, "kept": len(keep)})
    return computed
