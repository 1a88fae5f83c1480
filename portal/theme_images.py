"""A region's logo and favicon (ADR 0164): PNG, or SVG made only of allow-listed drawing
elements and attributes. An SVG with anything else (script, style, links, foreign content,
event handlers, a DOCTYPE or entities) is refused whole, not cleaned: what is stored is exactly
what was checked."""

import io
import re
import xml.etree.ElementTree as ET  # noqa: S405 - DOCTYPE/entities are refused before parsing

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

SVG = "image/svg+xml"
PNG = "image/png"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PIXELS = 2048
SVG_NS = "{http://www.w3.org/2000/svg}"

ELEMENTS = {
    "svg", "g", "title", "desc", "path", "rect", "circle", "ellipse", "line", "polyline",
    "polygon", "text", "tspan", "defs", "linearGradient", "radialGradient", "stop",
}  # fmt: skip
ATTRIBUTES = {
    "id", "class", "viewBox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy",
    "r", "rx", "ry", "d", "points", "transform", "fill", "fill-opacity", "fill-rule", "stroke",
    "stroke-width", "stroke-opacity", "stroke-linecap", "stroke-linejoin", "stroke-dasharray",
    "opacity", "font-family", "font-size", "font-weight", "text-anchor", "dominant-baseline",
    "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform",
    "preserveAspectRatio", "role", "aria-label", "aria-hidden", "version", "clip-rule",
}  # fmt: skip
# url(...) may only point inside the document (a gradient: fill="url(#shade)").
URL_VALUE = re.compile(r"url\s*\(", re.IGNORECASE)
LOCAL_URL_VALUE = re.compile(r"^\s*url\(\s*#[A-Za-z][\w.-]*\s*\)\s*$")

NOT_AN_IMAGE = _("Choose an SVG or PNG file.")
TOO_LARGE = _("The file is %(size)s; at most %(max)s is allowed.")
SVG_REFUSED = _(
    "This SVG holds more than a drawing (%(what)s). Save it as a plain SVG without scripts, "
    "styles or links, or upload a PNG."
)
PNG_TOO_LARGE = _("The image is %(width)s × %(height)s pixels; at most %(max)s × %(max)s is allowed.")


def _local_name(tag):
    if not isinstance(tag, str):
        return None  # a comment or processing instruction
    if tag.startswith(SVG_NS):
        return tag[len(SVG_NS) :]
    return None if tag.startswith("{") else tag


def _check_svg(data):
    """None when the SVG is a plain drawing, else a short description of what is not."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8"
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        return "DOCTYPE"
    try:
        root = ET.fromstring(text)  # noqa: S314 - no DOCTYPE, so no entities to expand
    except ET.ParseError:
        return "not XML"
    if root.tag != SVG_NS + "svg":
        return "not SVG"
    for element in root.iter():
        name = _local_name(element.tag)
        if name not in ELEMENTS:
            return f"<{element.tag}>" if isinstance(element.tag, str) else "comment"
        for attribute, value in element.attrib.items():
            if attribute not in ATTRIBUTES:
                return attribute
            if URL_VALUE.search(value) and not LOCAL_URL_VALUE.match(value):
                return f"{attribute}=url()"
    return None


def _check_png(data):
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return image.format, image.size
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None, None


def validate_image(upload):
    """(bytes, content type) of an uploaded logo or favicon; ValidationError with a message for
    the field otherwise."""
    limit = settings.TANDEM_THEME_IMAGE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            TOO_LARGE, params={"size": filesizeformat(upload.size), "max": filesizeformat(limit)}, code="size"
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            TOO_LARGE, params={"size": filesizeformat(len(data)), "max": filesizeformat(limit)}, code="size"
        )
    if data.startswith(PNG_SIGNATURE):
        kind, size = _check_png(data)
        if kind != "PNG":
            raise ValidationError(NOT_AN_IMAGE, code="type")
        if max(size) > MAX_PIXELS:
            raise ValidationError(
                PNG_TOO_LARGE, params={"width": size[0], "height": size[1], "max": MAX_PIXELS}, code="pixels"
            )
        return data, PNG
    if b"<svg" in data[:4096]:
        problem = _check_svg(data)
        if problem:
            raise ValidationError(SVG_REFUSED, params={"what": problem}, code="svg")
        return data, SVG
    raise ValidationError(NOT_AN_IMAGE, code="type")
