"""One Dutch term per concept (docs/adr/0145): "domein" for what a referral's concern is about,
"opschaling" (opschalen, opgeschaald) for taking a case to the deciders. The rejected variants
may not come back in a Dutch translation or a template."""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"
TEMPLATES = ROOT / "templates"

# Rejected variant -> the chosen term.
REJECTED = {
    r"zorgdomein": "domein",
    r"leefgebied": "domein",
    r"\bescalatie": "opschaling",
    r"\bescaleer": "opschalen",
    r"\bescaleren": "opschalen",
    r"ëscaleer": "opgeschaald",
}
PATTERN = re.compile("|".join(REJECTED), re.IGNORECASE)


def _dutch_strings():
    for entry in polib.pofile(str(PO)):
        if entry.obsolete:
            continue
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            yield entry.msgid, text


@pytest.mark.parametrize(
    "text",
    [
        "Zorgdomeinen",
        "Aanmeldingen per leefgebied",
        "Gestarte escalaties",
        "Escalatiemarge",
        "U beslist over geëscaleerde casussen",
        "wordt automatisch geëscaleerd",
        "escaleren naar de beslissers",
    ],
)
def test_the_scan_recognises_every_rejected_variant(text):
    assert PATTERN.search(text)


@pytest.mark.parametrize(
    "text", ["Domeinen", "Opschalingen (doorzettingsmacht)", "opgeschaald", "het sociaal domein"]
)
def test_the_scan_lets_the_chosen_terms_pass(text):
    assert not PATTERN.search(text)


def test_dutch_translations_use_one_term_per_concept():
    found = [(msgid, text) for msgid, text in _dutch_strings() if PATTERN.search(text)]
    assert not found, "rejected variants in Dutch translations (ADR 0145): " + "; ".join(
        f"{msgid!r} -> {text!r}" for msgid, text in found
    )


def test_templates_use_one_term_per_concept():
    found = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix not in {".html", ".txt", ".xml"}:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PATTERN.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "rejected variants in templates (ADR 0145):\n" + "\n".join(found)


def test_the_chosen_terms_are_the_translations_of_the_concepts():
    translations = dict(_dutch_strings())
    assert translations["Escalations"] == "Opschalingen"
    assert translations["Escalations (doorzettingsmacht)"] == "Opschalingen (doorzettingsmacht)"
    assert translations["Domain"] == "Domein"
    assert translations["Concern domains"] == "Domeinen"
    assert translations["Referrals by concern domain"] == "Aanmeldingen per domein"
