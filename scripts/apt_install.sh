#!/usr/bin/env bash
# Install Debian packages when we may (root with apt-get); otherwise say what to install.
set -euo pipefail
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq "$@" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    apt-get install -y -qq "$@" >/dev/null
  fi
else
  echo "ERROR: missing system packages: $*" >&2
  echo "Install them (Debian/Ubuntu: sudo apt-get install $*) and run make again." >&2
  exit 1
fi
