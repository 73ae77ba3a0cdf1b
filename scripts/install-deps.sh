#!/bin/sh
# Install what deckle needs to build, run and test.
#
# Debian and Ubuntu: installs the missing packages with apt-get (as root, or
# through sudo), running `apt-get update` only when something is missing.
# Prints nothing when everything is already there, so it is cheap to run
# before every build. Elsewhere: prints what to install and exits 1.
#
# --oracle also installs Chromium and Node.js, for the test that compares
# deckle's layout with Chromium's (tests/e2e/oracle.sh; skipped without them).
set -eu

PACKAGES="build-essential cmake pkg-config libcairo2-dev libpango1.0-dev libharfbuzz-dev
libfontconfig-dev libpng-dev libdeflate-dev libmd4c-dev libgumbo-dev libqpdf-dev libhyphen-dev
fonts-noto-color-emoji fonts-noto-core fonts-noto-cjk hyphen-en-us hyphen-en-gb hyphen-de
hyphen-fr hyphen-es hyphen-it hyphen-nl hyphen-pt-pt hyphen-ru poppler-utils qpdf
libjpeg62-turbo-dev librsvg2-dev libgdk-pixbuf-2.0-dev webp-pixbuf-loader mupdf-tools"
if [ "${1:-}" = --oracle ]; then
    PACKAGES="$PACKAGES chromium"
    command -v node >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs npm"
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    cat >&2 <<'MSG'
install-deps.sh: this is not a Debian or Ubuntu system; install these yourself:
  macOS (Homebrew): brew install cmake pkg-config cairo pango harfbuzz fontconfig libpng libdeflate \
                      md4c gumbo-parser qpdf poppler hyphen
                    brew install --cask font-noto-color-emoji font-noto-sans-cjk
  Fedora (dnf):     dnf install gcc make cmake pkgconf-pkg-config cairo-devel pango-devel \
                      harfbuzz-devel fontconfig-devel libpng-devel libdeflate-devel md4c-devel \
                      gumbo-parser-devel qpdf-devel qpdf poppler-utils hyphen-devel \
                      hyphen-en hyphen-de hyphen-fr google-noto-color-emoji-fonts \
                      google-noto-sans-fonts google-noto-sans-cjk-fonts
MSG
    exit 1
fi

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = installed ] || missing="$missing $p"
done
[ -n "$missing" ] || exit 0

if [ "$(id -u)" -eq 0 ]; then
    as_root=""
elif command -v sudo >/dev/null 2>&1; then
    as_root="sudo"
else
    echo "install-deps.sh: missing:$missing" >&2
    echo "install-deps.sh: run this script as root (no sudo found)" >&2
    exit 1
fi

echo "install-deps.sh: installing$missing"
# apt and dpkg talk a lot even with -qq: keep their output, show it only on failure
log=$(mktemp "${TMPDIR:-/tmp}/install-deps.XXXXXX")
trap 'rm -f "$log"' EXIT
# shellcheck disable=SC2086 # $missing is a list of words
if ! { $as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        $missing; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-deps.sh: apt-get failed" >&2
    exit 1
fi
