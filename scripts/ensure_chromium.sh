#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (never `playwright install`: no downloads here).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "Chromium not found; installing Debian's chromium and chromium-driver ..." >&2
"$(dirname "$0")/apt_install.sh" chromium chromium-driver
test -x /usr/bin/chromium || { echo "ERROR: /usr/bin/chromium is still missing." >&2; exit 1; }
