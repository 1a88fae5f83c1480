"""Tagged PDF (PDF/UA-1) from HTML with WeasyPrint, for every PDF the project makes (the progress
report, the subject-access export). WeasyPrint may fetch nothing but the project's own static
files, so rendering never touches the network (ADR 0072)."""

import mimetypes
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "file:///"
PDF_VARIANT = "pdf/ua-1"


class ForbiddenResource(ValueError):
    """The document asked for something other than one of the project's static files."""


def _static_roots():
    roots = [Path(d if isinstance(d, str | Path) else d[1]) for d in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [r.resolve() for r in roots]


class StaticOnlyURLFetcher(URLFetcher):
    """Serves `/static/...` from the project's static files; refuses every other URL (http,
    https, data, other file paths, path traversal), so rendering never touches the network."""

    def __init__(self, resources=None, **kwargs):
        super().__init__(allowed_protocols=["file"], allow_redirects=False, **kwargs)
        # URL -> (bytes, content type): files the caller hands over (a region's logo, ADR 0164).
        self.resources = dict(resources or {})

    def resolve(self, url):
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ForbiddenResource(f"refused: {parts.scheme or 'relative'} URL")
        path = unquote(parts.path)
        prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if not path.startswith(prefix):
            raise ForbiddenResource("refused: not a static file")
        relative = PurePosixPath(path[len(prefix) :])
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise ForbiddenResource("refused: not a static file")
        found = finders.find(str(relative))
        if not found and settings.STATIC_ROOT:
            # In production `{% static %}` names the collected, hashed copy (report.1a2b3c.css),
            # which only STATIC_ROOT holds; the finders know the source names alone.
            collected = Path(settings.STATIC_ROOT) / relative
            found = str(collected) if collected.is_file() else None
        if not found:
            raise ForbiddenResource("refused: no such static file")
        real = Path(found).resolve()
        if not any(real.is_relative_to(root) for root in _static_roots()):
            raise ForbiddenResource("refused: outside the static directories")
        return real

    def fetch(self, url, headers=None):
        if url in self.resources:
            body, content_type = self.resources[url]
            return URLFetcherResponse(url, body=bytes(body), headers={"Content-Type": content_type})
        real = self.resolve(url)
        content_type = mimetypes.guess_type(real.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=real.read_bytes(), headers={"Content-Type": content_type})


RESOURCE_PREFIX = "file:///tandem-resource/"


def resource_url(name):
    """The URL by which an HTML document given to write_pdf names one of its `resources`."""
    return RESOURCE_PREFIX + name


def write_pdf(html, attachments=(), resources=None):
    """Tagged PDF (PDF/UA-1) bytes for an HTML document; it may fetch only static files and
    `resources` ({name: (bytes, content type)}, named in the HTML by resource_url(name)).
    `attachments`: weasyprint.Attachment objects made from bytes, embedded as files."""
    fetcher = StaticOnlyURLFetcher(
        resources={resource_url(name): value for name, value in (resources or {}).items()}
    )
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False, attachments=list(attachments))
