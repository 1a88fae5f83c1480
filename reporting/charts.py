"""Server-side SVG bar charts with real text, for the dashboard and the PDF alike.

Each chart is an <svg role="img"> named by its own <title> (aria-labelledby); the data table
next to it is the text alternative. Suppressed values get no bar, only their label ("<5").
The colours are the theme's (portal/theme.py, ADR 0164): the dashboard's those of the page it is
on, the PDF's those of the region it is about.
"""

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from portal import theme as themes

WIDTH = 640
LABEL_WIDTH = 250
VALUE_WIDTH = 70
BAR_HEIGHT = 22
GAP = 10
TOP = 8
FONT = 'font-family="DejaVu Sans, Arial, sans-serif" font-size="13"'


def _truncate(text, limit=36):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(chart, chart_id, theme=None):
    """SVG markup (safe string) for a figures.Chart, in the colours of `theme` (a
    portal.theme.Theme; the installation's when None)."""
    theme = theme or themes.default_theme()
    bar_colour, text_colour = escape(theme.chart), escape(themes.TEXT)
    chart_id = slugify(chart_id) or "chart"
    bars = chart.bars
    values = [b.value for b in bars if b.value is not None]
    maximum = chart.maximum or (max(values) if values else 0) or 1
    height = TOP * 2 + len(bars) * (BAR_HEIGHT + GAP)
    area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="tandem-chart" viewBox="0 0 {} {}" '
            'width="{}" height="{}" role="img" aria-labelledby="{}-title">',
            WIDTH,
            height,
            WIDTH,
            height,
            chart_id,
        ),
        format_html('<title id="{}-title">{}</title>', chart_id, chart.title),
    ]
    for index, bar in enumerate(bars):
        y = TOP + index * (BAR_HEIGHT + GAP)
        text_y = y + BAR_HEIGHT * 0.72
        parts.append(
            mark_safe(  # noqa: S308 - every value below is escaped or a number
                f'<text x="{LABEL_WIDTH - 8}" y="{text_y:.1f}" text-anchor="end" {FONT} fill="{text_colour}">'
                f"{escape(_truncate(bar.label))}</text>"
            )
        )
        length = 0.0
        if bar.value is not None and bar.value > 0:
            length = max(2.0, area * float(bar.value) / float(maximum))
            parts.append(
                mark_safe(  # noqa: S308 - numbers and the theme's colour (escaped)
                    f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" '
                    f'height="{BAR_HEIGHT}" fill="{bar_colour}"/>'
                )
            )
        parts.append(
            mark_safe(  # noqa: S308 - the display value is escaped
                f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{text_y:.1f}" {FONT} fill="{text_colour}">'
                f"{escape(bar.display)}</text>"
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - assembled from escaped parts


def attach_charts(figures, prefix, theme=None):
    """Give every table with a chart its SVG (`table.svg`) in `theme`'s colours; returns the figures."""
    for section in figures.sections:
        for table in section.tables:
            table.svg = bar_chart(table.chart, f"{prefix}-{table.key}", theme) if table.chart else ""
    return figures
