#!/usr/bin/env python3
"""Fill Dutch translations into a .po file from a JSON file {msgid: msgstr}.

Usage: scripts/po_fill.py locale/nl/LC_MESSAGES/django.po translations.json
Prints the msgids that are still untranslated. A developer tool; tests use polib too.
"""

import json
import sys

import polib

po = polib.pofile(sys.argv[1])
mapping = json.load(open(sys.argv[2], encoding="utf-8")) if len(sys.argv) > 2 else {}
for entry in po:
    if entry.msgid in mapping:
        value = mapping[entry.msgid]
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value[0], 1: value[1]}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
po.save()
missing = [e.msgid for e in po if not e.translated() and not e.obsolete]
for m in missing:
    print(json.dumps(m, ensure_ascii=False))
sys.exit(1 if missing else 0)
