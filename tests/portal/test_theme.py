"""The theme (ADR 0164): the WCAG contrast computation against hand-computed values, the
per-region CSS view with its caching headers, the logo checks and the installation default."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from PIL import Image

from portal import theme, theme_images
from portal.models import RegionTheme
from tests.contacts import factories as f


# --- The contrast computation, against values worked out by hand --------------------------------
# #767676: 0x76 = 118, 118/255 = 0.46275; ((0.46275 + 0.055) / 1.055) ** 2.4 = 0.18116, and with
# equal channels the luminance is that value. On white: (1 + 0.05) / (0.18116 + 0.05) = 4.542.
# #777777: 119/255 = 0.46667 -> 0.18447; 1.05 / 0.23447 = 4.478 (just below AA).
# #0b4f6c: channels 11, 79, 108 linearise to 0.003347, 0.078187, 0.149960;
# 0.2126*0.003347 + 0.7152*0.078187 + 0.0722*0.149960 = 0.000712 + 0.055919 + 0.010827 = 0.067458;
# on white 1.05 / 0.117458 = 8.939.
# #ff0000 (red): luminance 0.2126; on white 1.05 / 0.2626 = 3.998.
@pytest.mark.parametrize(
    "first, second, expected",
    [
        ("#767676", "#ffffff", 4.542),
        ("#777777", "#ffffff", 4.478),
        ("#0b4f6c", "#ffffff", 8.939),
        ("#ff0000", "#ffffff", 3.998),
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
    ],
)
def test_contrast_ratio_matches_the_hand_computed_value(first, second, expected):
    assert theme.contrast_ratio(first, second) == pytest.approx(expected, abs=0.001)
    assert theme.contrast_ratio(second, first) == pytest.approx(expected, abs=0.001)


def test_relative_luminance_of_black_white_and_the_linear_segment():
    assert theme.relative_luminance("#000000") == 0
    assert theme.relative_luminance("#ffffff") == pytest.approx(1)
    # 10/255 = 0.0392 is below 0.04045: the linear segment, 0.0392 / 12.92 = 0.003035.
    assert theme.relative_luminance("#0a0a0a") == pytest.approx(0.003035, abs=1e-6)


def test_ratios_are_floored_so_a_failing_pair_never_shows_4_50():
    assert theme.floor_ratio(4.4999) == 4.49
    assert theme.floor_ratio(4.542) == 4.54


def test_contrast_problems_name_the_field_the_ratio_and_the_background():
    assert theme.contrast_problems("#0b4f6c", "#ffffff", "") == {}
    problems = theme.contrast_problems("#0b4f6c", "#1b1b1b", "")
    assert set(problems) == {"primary_text_color"}
    ratio, background = problems["primary_text_color"]
    assert background == "#0b4f6c" and ratio == pytest.approx(theme.contrast_ratio("#1b1b1b", "#0b4f6c"))
    # #767676 meets 4.5:1 on white (4.54) but not on the footer's light grey (#f2f5f7).
    problems = theme.contrast_problems("#f2c230", "#1b1b1b", "#767676")
    assert set(problems) == {"link_color"}
    ratio, background = problems["link_color"]
    assert background == theme.SURFACE_ALT and ratio < 4.5
    # Without a link colour a light primary colour is the link colour, and fails on white.
    assert set(theme.contrast_problems("#f2c230", "#1b1b1b", "")) == {"primary_color"}


def test_the_hover_shade_keeps_the_text_readable():
    for primary, text in [("#0b4f6c", "#ffffff"), ("#f2c230", "#1b1b1b"), ("#b30016", "#ffffff")]:
        hover = theme.hover_colour(primary, text)
        assert theme.contrast_ratio(text, hover) >= theme.contrast_ratio(text, primary)


# --- The stylesheet view -----------------------------------------------------------------------


def _theme(region, **fields):
    values = {
        "display_name": "Regio Rood",
        "primary_color": "#b30016",
        "primary_text_color": "#ffffff",
        "link_color": "#1d5e20",
        "version": "abc123",
        **fields,
    }
    row = RegionTheme.objects.create(region=region, **values)
    theme.forget(region.pk)
    return row


@pytest.mark.django_db
def test_theme_css_has_the_regions_colours_content_type_and_caching(client):
    region = f.RegionFactory(code="ROO", name="Rood")
    _theme(region)
    url = reverse("theme_css", args=[region.pk])
    response = client.get(url, {"v": "abc123"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    body = response.content.decode()
    assert "--nl-color-primary: #b30016;" in body
    assert "--nl-color-primary-text: #ffffff;" in body
    assert "--nl-color-link: #1d5e20;" in body
    assert response["ETag"] == '"abc123"'
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"

    # Another version in the URL (an old page): served, but revalidated every time.
    stale = client.get(url, {"v": "old"})
    assert stale["Cache-Control"] == "public, no-cache"
    assert "#b30016" in stale.content.decode()
    # A browser that holds the current version gets 304 without a body.
    not_modified = client.get(url, {"v": "abc123"}, HTTP_IF_NONE_MATCH='"abc123"')
    assert not_modified.status_code == 304 and not_modified.content == b""


@pytest.mark.django_db
def test_a_region_without_a_theme_gets_the_installations_colours(client, settings):
    settings.TANDEM_THEME_PRIMARY_COLOR = "#1d5e20"
    region = f.RegionFactory(code="GRS", name="Grijs")
    body = client.get(reverse("theme_css", args=[region.pk])).content.decode()
    assert "--nl-color-primary: #1d5e20;" in body
    default = client.get(reverse("theme_default_css")).content.decode()
    assert "--nl-color-primary: #1d5e20;" in default


@pytest.mark.django_db
def test_a_saved_theme_changes_the_version_in_the_pages_css_url(client, world):
    from contacts import services

    client.force_login(world.user("school_coordinator"))
    before = theme.theme_for_region(world.region.pk).css_url
    assert before in client.get(reverse("home")).content.decode()
    services.set_region_theme(
        world.user("registry_admin"),
        world.region,
        display_name="Regio Rood",
        primary_color="#b30016",
        primary_text_color="#ffffff",
    )
    after = theme.theme_for_region(world.region.pk).css_url
    assert after != before and after.startswith(reverse("theme_css", args=[world.region.pk]))
    html = client.get(reverse("home")).content.decode()
    assert after in html and "Regio Rood" in html


@pytest.mark.django_db
def test_logo_is_served_with_its_type_and_a_sandbox(client):
    region = f.RegionFactory(code="LOG", name="Logo")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    _theme(region, logo=svg, logo_type="image/svg+xml")
    response = client.get(reverse("theme_logo", args=[region.pk]), {"v": "abc123"})
    assert response.status_code == 200 and response.content == svg
    assert response["Content-Type"] == "image/svg+xml"
    assert "sandbox" in response["Content-Security-Policy"]
    assert client.get(reverse("theme_favicon", args=[region.pk])).status_code == 404


# --- Logo and favicon checks ---------------------------------------------------------------------


def _upload(data, name="logo.svg"):
    return SimpleUploadedFile(name, data)


def _png(width=16, height=16):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#b30016").save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_plain_svg_and_a_png_are_accepted():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><title>x</title>'
        b'<path d="M0 0h4v4z"/></svg>'
    )
    assert theme_images.validate_image(_upload(svg)) == (svg, "image/svg+xml")
    png = _png()
    assert theme_images.validate_image(_upload(png, "logo.png")) == (png, "image/png")


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>rect{fill:red}</style></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        b'<image x:href="https://example.com/a.png"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://example.com/#a)"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
        b"<svg><rect/></svg>",  # not in the SVG namespace
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect',  # not well-formed
    ],
)
def test_an_svg_with_more_than_a_drawing_is_refused(svg):
    with pytest.raises(theme_images.ValidationError) as caught:
        theme_images.validate_image(_upload(svg))
    assert caught.value.code == "svg"


def test_other_files_too_large_files_and_huge_pngs_are_refused(settings):
    with pytest.raises(theme_images.ValidationError) as caught:
        theme_images.validate_image(_upload(b"GIF89a....", "logo.gif"))
    assert caught.value.code == "type"
    with pytest.raises(theme_images.ValidationError) as caught:
        theme_images.validate_image(_upload(b"\x89PNG\r\n\x1a\nnot really", "logo.png"))
    assert caught.value.code == "type"
    settings.TANDEM_THEME_IMAGE_MAX_BYTES = 100
    with pytest.raises(theme_images.ValidationError) as caught:
        theme_images.validate_image(_upload(b"<svg " + b" " * 200 + b"/>"))
    assert caught.value.code == "size"
    settings.TANDEM_THEME_IMAGE_MAX_BYTES = 1024 * 1024
    with pytest.raises(theme_images.ValidationError) as caught:
        theme_images.validate_image(_upload(_png(3000, 10), "logo.png"))
    assert caught.value.code == "pixels"


def test_the_check_refuses_a_default_theme_below_aa(settings):
    call_command("check")
    settings.TANDEM_THEME_PRIMARY_TEXT_COLOR = "#777777"
    settings.TANDEM_THEME_PRIMARY_COLOR = "#ffffff"
    with pytest.raises(SystemCheckError, match="portal.E004"):
        call_command("check")
    settings.TANDEM_THEME_PRIMARY_COLOR = "blue"
    with pytest.raises(SystemCheckError, match="portal.E003"):
        call_command("check")
