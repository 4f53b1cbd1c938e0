#!/usr/bin/env bash
# Debian packages the portal needs: Pango + a Thai font for PDFs, gettext for translations;
# for tests also Chromium (browser tests), poppler-utils (PDF pages to PNG), libzbar0 (reading QR codes back)
# and npm (axe-core for the accessibility checks).
# Installs only what is missing, so a second run is quick and needs no network.
set -euo pipefail
runtime=(libpango-1.0-0 libpangoft2-1.0-0 fonts-thai-tlwg gettext)
test_pkgs=(chromium poppler-utils docker-compose libzbar0)
bench=(wrk)
case "${1:-runtime}" in
  runtime) wanted=("${runtime[@]}") ;;
  test) wanted=("${runtime[@]}" "${test_pkgs[@]}") ;;
  bench) wanted=("${runtime[@]}" "${test_pkgs[@]}" "${bench[@]}") ;;
  *) echo "usage: $0 runtime|test|bench" >&2; exit 2 ;;
esac
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js + npm install axe-core for the browser tests' accessibility checks (tools/axe).
if [ "${1:-runtime}" != runtime ] && ! command -v npm >/dev/null; then missing+=(nodejs npm); fi
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "Please install: ${missing[*]} (Debian/Ubuntu package names)" >&2; exit 1
fi
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
