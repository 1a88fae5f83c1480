"""The progress report as a tagged PDF (PDF/UA-1), rendered from the same figures as the
dashboard by the project's one PDF writer (portal/pdf.py, ADR 0072). When the region has a
frozen startfoto (ADR 0155), the latest one up to the half-year gets a section of its own. It wears
the house style of the region it is about (ADR 0164): name, logo and colours."""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from portal import theme as themes
from portal.models import RegionTheme
from portal.pdf import resource_url, write_pdf
from reporting.charts import attach_charts
from reporting.scopes import REGION, SUBREGION
from reporting.startfoto import SchoolYear, comparison, frozen_pair


def startfoto_section(figures):
    """(startfoto, area) for the report's scope, or None: the area is the scope's own for a
    region or subregion, else the region's."""
    region = figures.scope.region
    current, previous = frozen_pair(region, SchoolYear.containing(figures.period.last_day).year, latest=True)
    if current is None:
        return None
    areas = comparison(current.data, previous.data if previous else None)
    code = figures.scope.obj.code if figures.scope.kind in (REGION, SUBREGION) else region.code
    area = next((a for a in areas if a.code == code), areas[0] if areas else None)
    return (current, previous, area) if area is not None else None


def report_theme(figures):
    """The theme of the region the report is about."""
    return themes.theme_for_region(figures.scope.region.pk)


def _logo(theme):
    """{name: (bytes, content type)} of the theme's logo for write_pdf, or {}."""
    if not theme.has_logo:
        return {}
    row = RegionTheme.objects.filter(region_id=theme.region_id).only("logo", "logo_type").first()
    return {"logo": (bytes(row.logo), row.logo_type)} if row and row.logo_type else {}


def _css_string(text):
    """`text` as a CSS string literal (the report's stylesheet, a write_pdf resource)."""
    out = []
    for char in str(text):
        if char.isalnum() or char in " .,:;!?()-—'":
            out.append(char)
        else:
            out.append(f"\\{ord(char):x} ")
    return '"' + "".join(out) + '"'


def report_css(theme):
    """The report's tokens (portal/theme.py) and its footer with the theme's name."""
    footer = _css_string(f"{theme.name} — {gettext('progress report')}")
    return themes.css(theme, neutrals=True) + "@page { @bottom-left { content: " + footer + "; } }\n"


def render_html(figures, theme=None, logo_url="", theme_css_url=""):
    """The report's HTML; its theme's stylesheet is linked by `theme_css_url` (a write_pdf
    resource, so the template needs no <style> element: the CSP rule of every template)."""
    theme = theme or report_theme(figures)
    attach_charts(figures, "pdf-chart", theme)
    section = startfoto_section(figures)
    context = {
        "figures": figures,
        "startfoto": None,
        "theme": theme,
        "theme_css_url": theme_css_url,
        "logo_url": logo_url,
    }
    if section is not None:
        context.update(startfoto=section[0], startfoto_previous=section[1], startfoto_area=section[2])
    return render_to_string("reporting/report_pdf.html", context)


def render_pdf(figures):
    """PDF bytes for a figures.Figures tree, in Dutch."""
    theme = report_theme(figures)
    resources = _logo(theme)
    logo_url = resource_url("logo") if resources else ""
    with translation.override("nl"):
        resources["theme.css"] = (report_css(theme).encode(), "text/css")
        html = render_html(figures, theme, logo_url, resource_url("theme.css"))
        return write_pdf(html, resources=resources)
