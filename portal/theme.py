"""The one source of the portal's colours (ADR 0164): the installation's default theme, a
region's own theme (portal.models.RegionTheme), the WCAG contrast rule they must meet, and the
CSS that sets the NL Design System tokens of static/css/tandem.css from them. The pages (the
per-region CSS of portal.views.theme_css), the charts (reporting/charts.py) and the PDF
(reporting/pdf.py) all read their colours here.

portal imports no other app: which region a user works in is told by contacts, which registers
a function with `set_region_source(func)` in its AppConfig.ready().
"""

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# WCAG 2.x success criterion 1.4.3 (AA): normal text needs 4.5:1 against its background.
AA_NORMAL_TEXT = 4.5

# The neutral colours every theme shares (the brand colours come from the theme). The same
# values as the --nl-color-* tokens in static/css/tandem.css.
WHITE = "#ffffff"
TEXT = "#1b1b1b"
MUTED = "#4a4a4a"
BORDER_SUBTLE = "#c9cfd3"
SURFACE_ALT = "#f2f5f7"

# The backgrounds a link colour stands on: the page and the light grey of the footer and filters.
LINK_BACKGROUNDS = (WHITE, SURFACE_ALT)

CACHE_PREFIX = "portal:theme:v1:"
CACHE_SECONDS = 24 * 60 * 60
_NO_THEME = "none"


def _channel(value):
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour):
    """WCAG 2.x relative luminance of a "#rrggbb" colour, 0 (black) to 1 (white)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first, second):
    """WCAG 2.x contrast ratio of two "#rrggbb" colours, 1 to 21 (order does not matter)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def floor_ratio(ratio):
    """The ratio rounded down to two decimals, as shown to people: 4.499 is never "4.50"."""
    return int(ratio * 100) / 100


def shade(colour, towards, amount):
    """`colour` moved `amount` (0-1) of the way to `towards` ("#000000" darkens)."""
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(towards[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b, strict=True))


def hover_colour(primary, primary_text):
    """A second shade of the primary colour (the navigation bar, hovered buttons): further from
    the text colour, so text that meets the contrast rule on the primary meets it there too."""
    dark_text = relative_luminance(primary_text) < relative_luminance(primary)
    return shade(primary, WHITE if dark_text else "#000000", 0.3)


@dataclass(frozen=True)
class Theme:
    name: str
    primary: str
    primary_text: str
    link: str
    region_id: int | None = None
    version: str = ""
    has_logo: bool = False
    has_favicon: bool = False

    @property
    def primary_hover(self):
        return hover_colour(self.primary, self.primary_text)

    @property
    def chart(self):
        """The bars of the charts: the link colour, which meets 4.5:1 on white."""
        return self.link

    @property
    def css_url(self):
        if self.region_id is None:
            return f"{reverse('theme_default_css')}?v={self.version}"
        return f"{reverse('theme_css', args=[self.region_id])}?v={self.version}"

    @property
    def logo_url(self):
        if not self.has_logo:
            return ""
        return f"{reverse('theme_logo', args=[self.region_id])}?v={self.version}"

    @property
    def favicon_url(self):
        if not self.has_favicon:
            return ""
        return f"{reverse('theme_favicon', args=[self.region_id])}?v={self.version}"


def version_of(*parts):
    """A short hash of a theme's contents: in the theme's URLs, so a change is a new URL."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else str(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def default_theme():
    """The installation's theme (settings TANDEM_THEME_*), for anonymous pages and regions
    without their own."""
    name = settings.TANDEM_THEME_NAME
    primary = settings.TANDEM_THEME_PRIMARY_COLOR
    primary_text = settings.TANDEM_THEME_PRIMARY_TEXT_COLOR
    link = settings.TANDEM_THEME_LINK_COLOR or primary
    return Theme(name, primary, primary_text, link, version=version_of(name, primary, primary_text, link))


def contrast_problems(primary, primary_text, link):
    """{field: (measured ratio, background colour)} for every pair below WCAG AA (4.5:1):
    the primary text on the primary colour, and the link colour (the primary when empty) on
    each background a link stands on. Empty when the colours may be used."""
    problems = {}
    ratio = contrast_ratio(primary_text, primary)
    if ratio < AA_NORMAL_TEXT:
        problems["primary_text_color"] = (ratio, primary)
    field = "link_color" if link else "primary_color"
    worst = min(LINK_BACKGROUNDS, key=lambda bg: contrast_ratio(link or primary, bg))
    ratio = contrast_ratio(link or primary, worst)
    if ratio < AA_NORMAL_TEXT:
        problems[field] = (ratio, worst)
    return problems


def contrast_message(field, ratio, background):
    """The message (in the active language) for a colour below 4.5:1, naming the measured ratio."""
    params = {"ratio": number_format(floor_ratio(ratio), 2), "background": background}
    if field == "primary_text_color":
        return (
            gettext(
                "The text colour has a contrast of %(ratio)s:1 on the primary colour %(background)s; "
                "at least 4.5:1 is needed (WCAG AA). Choose a lighter or darker text colour."
            )
            % params
        )
    if field == "link_color":
        return (
            gettext(
                "The link colour has a contrast of %(ratio)s:1 on the background %(background)s; "
                "at least 4.5:1 is needed (WCAG AA). Choose a darker link colour."
            )
            % params
        )
    return (
        gettext(
            "Without a link colour the primary colour is used for links, and it has a contrast of "
            "%(ratio)s:1 on the background %(background)s; at least 4.5:1 is needed (WCAG AA). "
            "Choose a darker primary colour or set a link colour."
        )
        % params
    )


def theme_from_row(row):
    """The Theme of a portal.models.RegionTheme row."""
    return Theme(
        name=row.display_name,
        primary=row.primary_color,
        primary_text=row.primary_text_color,
        link=row.link_color or row.primary_color,
        region_id=row.region_id,
        version=row.version,
        has_logo=bool(row.logo_type),
        has_favicon=bool(row.favicon_type),
    )


def _cache_key(region_id):
    return f"{CACHE_PREFIX}{region_id}"


def remember(region_id, row):
    """Put a region's theme (a RegionTheme, or None: the default) in the cache, so a page reads
    it without a query (portal/signals.py calls this when a region or its theme changes)."""
    cache.set(_cache_key(region_id), _NO_THEME if row is None else theme_from_row(row), CACHE_SECONDS)


def forget(region_id):
    cache.delete(_cache_key(region_id))


def theme_for_region(region_id):
    """The theme of a top-level region: its own, else the default. From the cache; one query
    when the cache has lost it."""
    if region_id is None:
        return default_theme()
    cached = cache.get(_cache_key(region_id))
    if cached is None:
        # Models can be imported only once the app registry is ready, so not at the top.
        from portal.models import RegionTheme

        row = RegionTheme.objects.filter(region_id=region_id).first()
        remember(region_id, row)
        cached = _NO_THEME if row is None else theme_from_row(row)
    return default_theme() if cached == _NO_THEME else cached


_region_source = None


def set_region_source(func):
    """func(user) -> the id of the top-level region whose theme the user's pages show, or None."""
    global _region_source
    _region_source = func


def theme_for_user(user):
    if user is None or not user.is_authenticated or _region_source is None:
        return default_theme()
    return theme_for_region(_region_source(user))


# The neutral tokens, for a document that does not load static/css/tandem.css (the PDF).
NEUTRAL_TOKENS = {
    "--nl-color-white": WHITE,
    "--nl-color-text": TEXT,
    "--nl-color-muted": MUTED,
    "--nl-color-border": "#6b6b6b",
    "--nl-color-border-subtle": BORDER_SUBTLE,
    "--nl-color-surface-alt": SURFACE_ALT,
}


def css(theme, neutrals=False):
    """The stylesheet that sets the brand tokens of static/css/tandem.css for a theme (and the
    neutral ones too with `neutrals`)."""
    extra = "".join(f"  {name}: {value};\n" for name, value in NEUTRAL_TOKENS.items()) if neutrals else ""
    return (
        f"/* {theme.version} */\n"
        ":root {\n"
        f"{extra}"
        f"  --nl-color-primary: {theme.primary};\n"
        f"  --nl-color-primary-text: {theme.primary_text};\n"
        f"  --nl-color-primary-hover: {theme.primary_hover};\n"
        f"  --nl-color-link: {theme.link};\n"
        f"  --nl-color-link-hover: {shade(theme.link, '#000000', 0.3)};\n"
        "}\n"
    )
