"""The Dutch translation is complete: no untranslated or fuzzy entries, and no source string
in the code that is missing from the catalogue."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


SOURCE_EXCLUDE = {
    ".venv",
    "node_modules",
    "tests",
    "var",
    "staticfiles",
    "bench",
    "locale",
    ".git",
    "backups",
}


def test_every_source_string_is_in_the_catalogue(tmp_path):
    # makemessages writes into every `locale` folder it finds, so it runs in a scratch folder
    # that links to the sources and holds a copy of the catalogue; any msgid it adds is missing.
    for entry in ROOT.iterdir():
        if entry.name not in SOURCE_EXCLUDE and (entry.is_dir() or entry.suffix == ".py"):
            (tmp_path / entry.name).symlink_to(entry)
    locale = tmp_path / "locale" / "nl" / "LC_MESSAGES"
    locale.mkdir(parents=True)
    shutil.copy(PO, locale / "django.po")
    code = (
        "import django; django.setup();"
        "from django.core.management import call_command;"
        "call_command('makemessages', locale=['nl'], symlinks=True, no_location=True, verbosity=0)"
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="portal.settings_test", PYTHONPATH=str(ROOT))
    before = PO.read_bytes()
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert PO.read_bytes() == before, "the committed catalogue must not be touched by this test"
    fresh = polib.pofile(str(locale / "django.po"))
    committed = {e.msgid for e in polib.pofile(str(PO))}
    missing = sorted(e.msgid for e in fresh if e.msgid not in committed and not e.obsolete)
    assert not missing, (
        f"strings not in locale/nl/LC_MESSAGES/django.po (run make messages-update): {missing}"
    )
