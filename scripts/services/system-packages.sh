#!/usr/bin/env bash
# Install the Debian packages the test suite needs. Skips apt entirely when
# everything is already installed, so reruns cost one dpkg-query.
#
# Versions are not pinned here on purpose: Debian 12 (bookworm) fixes the
# upstream versions (PostgreSQL 15, Redis 7.0, Tesseract 5.3, ...), and exact
# Debian revisions disappear from the mirrors when security updates land.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
LOG_TAG=system-packages

packages=(redis-server tesseract-ocr tesseract-ocr-jpn tesseract-ocr-eng
  poppler-utils chromium fonts-noto-cjk fonts-ipafont-gothic libmagic1
  curl unzip) # used by these scripts; already on the image
# Any PostgreSQL server will do for the image; postgres.sh asks for major 15.
if ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
  packages+=(postgresql)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  log "all present"
  exit 0
fi
is_root || die "need root to install: ${missing[*]}"

export DEBIAN_FRONTEND=noninteractive
# Keep package postinst scripts from starting the distro's own postgres/redis
# (we run our own on other ports). Docker-style images already ship this file.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi

# apt-get update at most once per day (a fresh machine's lists may be stale:
# installing from them can 404).
mkdir -p "$BUNKO_CACHE_DIR"
stamp="$BUNKO_CACHE_DIR/apt-update.stamp"
if [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
  log "apt-get update"
  apt-get update -q -o Dpkg::Use-Pty=0 >&2
  touch "$stamp"
fi
log "installing: ${missing[*]}"
apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}" >&2
