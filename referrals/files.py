"""Attachment checks by content, not by name: PDF, DOCX, PNG, JPEG only (docs/architecture.md)."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG = "image/png"
JPEG = "image/jpeg"


def sniff(uploaded):
    """The content type judged from the bytes, or None for anything not allowed."""
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                if "word/document.xml" in archive.namelist():
                    return DOCX
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            uploaded.seek(0)
    return None


def validate_attachment(uploaded):
    limit = settings.TANDEM_ATTACHMENT_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the maximum is %(max)s.")
            % {"size": filesizeformat(uploaded.size), "max": filesizeformat(limit)},
            code="too_large",
        )
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    content_type = sniff(uploaded)
    if content_type is None:
        raise ValidationError(
            _(
                "Only PDF, Word (DOCX), PNG and JPEG files are allowed; "
                "the content of this file is none of these."
            ),
            code="type",
        )
    return content_type
