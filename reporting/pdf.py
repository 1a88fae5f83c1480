"""The progress report as a tagged PDF (PDF/UA-1), rendered from the same figures as the
dashboard by the project's one PDF writer (portal/pdf.py, ADR 0072)."""

from django.template.loader import render_to_string
from django.utils import translation

from portal.pdf import write_pdf
from reporting.charts import attach_charts


def render_html(figures):
    attach_charts(figures, "pdf-chart")
    return render_to_string("reporting/report_pdf.html", {"figures": figures})


def render_pdf(figures):
    """PDF bytes for a figures.Figures tree, in Dutch."""
    with translation.override("nl"):
        return write_pdf(render_html(figures))
