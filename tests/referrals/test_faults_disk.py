"""Fault injection: the private-media disk fills up while an IB-er uploads an attachment.

A real, tiny file system (a 64 KiB tmpfs) is the private-media root; the upload is larger than
the room left. The user reads a Dutch message next to the file field, and the database and the
disk agree: no Attachment row without its file, no file without its row (ADR 0132).
"""

import errno
import os
import re
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from referrals import services
from referrals.models import Attachment, ReferralEvent
from tests.helpers.browser import assert_no_axe_violations, login
from tests.referrals.factories import referral_in
from tests.referrals.onepage import one_page_data

pytestmark = [pytest.mark.django_db, pytest.mark.faults]

PDF = b"%PDF-1.4\n%...\n"
TMPFS_BYTES = 64 * 1024


@pytest.fixture
def full_disk(tmp_path, settings):
    """A 64 KiB tmpfs as the private-media root, unmounted afterwards."""
    mountpoint = tmp_path / "private"
    mountpoint.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (make test runs as root in CI)")
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_BYTES},mode=0750", "tmpfs", str(mountpoint)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    if result.returncode != 0:
        pytest.skip(f"this environment cannot mount a tmpfs: {result.stderr.strip()}")
    try:
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                **settings.STORAGES["default"],
                "OPTIONS": {"location": str(mountpoint), "base_url": None},
            },
        }
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True, timeout=30)


def _files(root):
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*") if p.is_file())


def _upload(client, referral, content, name="verslag.pdf"):
    """The file chosen on the one-page form and "Save draft" (ADR 0163)."""
    return client.post(
        reverse("referrals:edit", args=[referral.uuid]),
        one_page_data(
            referral,
            **{"attachments-0-file": SimpleUploadedFile(name, content, content_type="application/pdf")},
        ),
    )


def test_a_full_disk_is_a_message_at_the_field_and_leaves_neither_row_nor_file(client, world, full_disk):
    referral = referral_in(world, "draft")
    client.force_login(world.user("school_coordinator"))
    events_before = ReferralEvent.objects.filter(referral=referral).count()

    # Larger than the whole file system, smaller than the attachment limit: the write fails
    # half-way with ENOSPC on the real disk.
    response = _upload(client, referral, PDF + b"0" * (4 * TMPFS_BYTES))

    assert response.status_code == 200
    html = response.content.decode()
    assert "opslag voor bijlagen is vol" in html
    # Next to the file field: the field's error list carries the message.
    field_errors = html.split('id="id_attachments-0-file_error"', 1)
    assert len(field_errors) == 2 and "opslag voor bijlagen is vol" in field_errors[1][:1000]
    assert Attachment.objects.filter(referral=referral).count() == 0
    assert ReferralEvent.objects.filter(referral=referral).count() == events_before
    assert _files(full_disk) == []  # not even a partial file

    # The disk was really full, not broken: a small file fits and is stored with its row.
    response = _upload(client, referral, PDF + b"1" * 1024, name="klein.pdf")
    assert response.status_code == 302
    attachment = Attachment.objects.get(referral=referral)
    assert _files(full_disk) == [attachment.file.name]
    assert (full_disk / attachment.file.name).read_bytes() == PDF + b"1" * 1024
    # The draft saved and the attachment added.
    assert ReferralEvent.objects.filter(referral=referral).count() == events_before + 2


def test_a_row_that_fails_after_the_file_was_written_takes_the_file_with_it(
    client, world, full_disk, monkeypatch
):
    referral = referral_in(world, "draft")
    client.force_login(world.user("school_coordinator"))

    def broken(*args, **kwargs):
        raise OSError(errno.EIO, "the event could not be written")

    monkeypatch.setattr(services, "record_event", broken)
    with pytest.raises(OSError):
        services.upload_attachment(
            world.user("school_coordinator"),
            referral,
            SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
            "application/pdf",
        )
    assert Attachment.objects.filter(referral=referral).count() == 0
    assert _files(full_disk) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_full_disk_message_in_chromium_is_at_the_field_and_accessible(
    page, live_server, world, full_disk
):
    referral = referral_in(world, "draft")
    login(page, live_server, "school_coordinator@example.test")
    page.goto(f"{live_server.url}{reverse('referrals:edit', args=[referral.uuid])}")
    section = page.locator("#section-attachments")
    section.get_by_label(re.compile(r"^Bestand")).set_input_files(
        files=[
            {"name": "verslag.pdf", "mimeType": "application/pdf", "buffer": PDF + b"0" * (4 * TMPFS_BYTES)}
        ]
    )
    page.get_by_role("button", name="Concept opslaan").click()
    expect(page.locator("#id_attachments-0-file_error")).to_contain_text("opslag voor bijlagen is vol")
    expect(page.get_by_label(re.compile(r"^Bestand"))).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page)
    assert Attachment.objects.filter(referral=referral).count() == 0
    assert _files(full_disk) == []
