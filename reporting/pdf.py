"""The progress report as a tagged PDF (PDF/UA-1), rendered from the same figures as the
dashboard by the project's one PDF writer (portal/pdf.py, ADR 0072). When the region has a
frozen startfoto (ADR 0155), the latest one up to the half-year gets a section of its own."""

from django.template.loader import render_to_string
from django.utils import translation

from portal.pdf import write_pdf
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


def render_html(figures):
    attach_charts(figures, "pdf-chart")
    section = startfoto_section(figures)
    context = {"figures": figures, "startfoto": None}
    if section is not None:
        context.update(startfoto=section[0], startfoto_previous=section[1], startfoto_area=section[2])
    return render_to_string("reporting/report_pdf.html", context)


def render_pdf(figures):
    """PDF bytes for a figures.Figures tree, in Dutch."""
    with translation.override("nl"):
        return write_pdf(render_html(figures))
