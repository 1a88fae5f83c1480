"""The dashboard and the half-year PDF come from the same figures: both rendered for one test."""

import io
import re

from django.urls import reverse
from pypdf import PdfReader

from reporting import generation


def dashboard_and_pdf(client, user, period, scope):
    """(the dashboard's HTML for `user`, the PDF's text with each run of white space one space)."""
    client.force_login(user)
    html = client.get(reverse("reporting:dashboard"), {"period": period, "scope": scope.key}).content.decode()
    reader = PdfReader(io.BytesIO(generation.render_report(period, scope)))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    return html, text
