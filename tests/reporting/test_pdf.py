"""The PDF: Dutch headings, the dashboard's figures, tagged (PDF/UA-1), no child names (the
static-only URL fetcher is tested with portal/pdf.py in tests/portal/test_pdf.py)."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from reporting import generation
from reporting.figures import compute_figures
from reporting.scopes import Scope
from tests.reporting.conftest import CHILD_FIRST_NAME, CHILD_LAST_NAME

pytestmark = pytest.mark.django_db


def _text(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    return reader, re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def pdf(world, dataset, previous_half_year):
    return generation.render_report("2026-H1", Scope.for_region(world.subregion))


def test_pdf_has_the_headings_and_the_figures_of_the_dashboard(world, dataset, pdf, client):
    reader, text = _text(pdf)
    assert pdf.startswith(b"%PDF-1.7")
    assert len(reader.pages) >= 5
    for heading in [
        "Voortgangsrapportage",
        "Inhoud",
        "Samenvatting",
        "Aanmeldingen",
        "Wachttijden",
        "Opschalingen (doorzettingsmacht)",
        "Dekking van het netwerk",
        "Werkagenda",
        "Over deze cijfers",
        "Subregio A",
        "Eerste halfjaar 2026",
    ]:
        assert heading in text, heading
    assert "Pagina 2 van" in text  # page numbers from CSS @page counters

    # The dashboard, for the same period and scope, shows the same key figures.
    client.force_login(world.users["steering_member"])
    scope_key = Scope.for_region(world.subregion).key
    html = client.get(
        reverse("reporting:dashboard"), {"period": "2026-H1", "scope": scope_key}
    ).content.decode()
    with translation.override("nl"):
        figures = compute_figures("2026-H1", Scope.for_region(world.subregion))
    for kf in figures.key_figures:
        assert f"<dd>{kf.display.replace('<', '&lt;')}</dd>" in html
        assert f"{kf.label} {kf.display}" in text, kf.label
    for row in figures.table("waiting_times").rows:
        assert " ".join(row[1:4]) in text
        assert all(cell in html for cell in row[1:4])
    assert "5,5" in text and "9,1" in text

    # The comparison with the previous half-year and the largest changes agree to the unit.
    assert figures.comparison.rows and figures.changes
    for row in figures.comparison.rows:
        assert " ".join(row) in text, row
        assert all(cell in html for cell in row)
    for sentence in figures.changes:
        assert sentence in text and sentence in html
    for kf in figures.key_figures:  # each headline figure says what it counts, in both
        assert kf.explanation and kf.explanation in text and kf.explanation in html


def test_pdf_is_tagged_pdf_ua(pdf):
    reader, _text_ = _text(pdf)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "nl"
    metadata = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part>1<" in metadata or b'pdfuaid:part="1"' in metadata


def test_pdf_contains_no_child_name(pdf, dataset):
    _reader, text = _text(pdf)
    assert CHILD_FIRST_NAME not in text
    assert CHILD_LAST_NAME not in text
    assert CHILD_FIRST_NAME.encode() not in pdf


def _fill_colours(pdf):
    """Every "r g b rg" fill colour of the PDF's page contents, as (r, g, b) floats."""
    reader = PdfReader(io.BytesIO(pdf))
    found = set()
    for page in reader.pages:
        data = page.get_contents().get_data().decode("latin-1")
        for r, g, b in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) (?:rg|RG)\b", data):
            found.add((float(r), float(g), float(b)))
    return found


def _has_colour(colours, hex_colour):
    want = tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return any(all(abs(a - b) < 0.005 for a, b in zip(c, want, strict=True)) for c in colours)


def _png_logo():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 20), "#b30016").save(buffer, format="PNG")
    return buffer.getvalue()


def test_pdf_wears_the_house_style_of_its_region(world, dataset, previous_half_year):
    """ADR 0164: the region's name on the cover and in the footer, its colours in the headings,
    the cover band and the charts, its logo on the cover."""
    from contacts import services

    default = generation.render_report("2026-H1", Scope.for_region(world.subregion))
    assert not _has_colour(_fill_colours(default), "#1d5e20")
    services.set_region_theme(
        world.user("registry_admin"),
        world.region,
        display_name="Jeugdhulp Testregio",
        primary_color="#b30016",
        primary_text_color="#ffffff",
        link_color="#1d5e20",
        logo=(_png_logo(), "image/png"),
    )
    pdf = generation.render_report("2026-H1", Scope.for_region(world.subregion))
    reader, text = _text(pdf)
    assert [image.image.size for image in reader.pages[0].images] == [(60, 20)]  # the logo on the cover
    assert "JEUGDHULP TESTREGIO — JEUGDHULP IN SCHOOL" in text  # the cover (in capitals by its CSS)
    assert "Jeugdhulp Testregio — voortgangsrapportage" in text  # the footer of every page
    colours = _fill_colours(pdf)
    assert _has_colour(colours, "#1d5e20")  # headings and chart bars: the link colour
    assert _has_colour(colours, "#b30016")  # the cover band: the primary colour
    assert not _has_colour(colours, "#0b4f6c")
