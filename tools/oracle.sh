#!/bin/sh
# Compare deckle's layout of a deck with Chromium's layout of the same slides.
#
# usage: tools/oracle.sh DECK.md [OUTDIR]          (OUTDIR defaults to out/oracle)
#
# 1. deckle DECK.md -f html -o OUTDIR/html/        each slide as a standalone HTML document
# 2. deckle DECK.md -f layout -o OUTDIR/ours.json  deckle's own boxes
# 3. boxes.mjs lays out OUTDIR/html/*.html in headless Chromium -> OUTDIR/oracle.json
# 4. compare.mjs OUTDIR/ours.json OUTDIR/oracle.json -> OUTDIR/compare.txt, summary printed
#
# Installs nothing: needs node (>= 20) and Chromium (/usr/bin/chromium, or $CHROMIUM),
# plus a built deckle (build/deckle, or $DECKLE). The layout-oracle tool is read from
# $DECKLE_ORACLE, by default shared/tools/layout-oracle beside this checkout; that
# folder is read-only, so it is copied to OUTDIR/layout-oracle and `npm ci` runs there
# (again only when its package-lock.json changes).
set -eu

die() { echo "oracle.sh: $*" >&2; exit 1; }

if [ $# -lt 1 ] || [ $# -gt 2 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
    echo "usage: tools/oracle.sh DECK.md [OUTDIR]" >&2
    exit 2
fi
deck=$1
out=${2:-out/oracle}

here=$(cd "$(dirname "$0")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || (cd "$here/.." && pwd))
oracle_src=${DECKLE_ORACLE:-$root/../shared/tools/layout-oracle}
deckle=${DECKLE:-$root/build/deckle}
chromium=${CHROMIUM:-/usr/bin/chromium}

[ -f "$deck" ] || die "no deck '$deck'"
command -v node >/dev/null 2>&1 || die "node not found (Node.js 20 or newer; on Debian: apt-get install nodejs npm)"
command -v npm >/dev/null 2>&1 || die "npm not found"
[ -x "$chromium" ] || die "Chromium not found at $chromium (apt-get install chromium, or set CHROMIUM)"
[ -x "$deckle" ] || die "no deckle binary at $deckle (build it: cmake -S . -B build && cmake --build build -j; or set DECKLE)"
if [ ! -f "$oracle_src/boxes.mjs" ] || [ ! -f "$oracle_src/compare.mjs" ]; then
    die "layout-oracle not found at $oracle_src (set DECKLE_ORACLE)"
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)

# A private copy of the tool; node_modules survives while package-lock.json is unchanged.
tool=$out/layout-oracle
if [ ! -d "$tool/node_modules/playwright-core" ] ||
    ! cmp -s "$oracle_src/package-lock.json" "$tool/package-lock.json"; then
    rm -rf "$tool"
    mkdir -p "$tool"
    fresh=1
else
    fresh=
fi
for f in "$oracle_src"/* "$oracle_src"/.[!.]*; do
    [ -e "$f" ] || continue
    [ "$(basename "$f")" = node_modules ] && continue
    rm -rf "${tool:?}/$(basename "$f")"
    cp -R "$f" "$tool/"
done
chmod -R u+w "$tool"
if [ "$fresh" ]; then
    echo "oracle.sh: npm ci in $tool" >&2
    (cd "$tool" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci failed in $tool"
fi

rm -rf "$out/html"
mkdir -p "$out/html"
"$deckle" "$deck" -f html -o "$out/html/" || die "deckle -f html failed"
"$deckle" "$deck" -f layout -o "$out/ours.json" || die "deckle -f layout failed"

set -- "$out"/html/*.html
[ -e "$1" ] || die "deckle wrote no HTML into $out/html/"

# The viewport is the slide size deckle used (front matter or --size), from its dump.
# shellcheck disable=SC2016 # JavaScript, not shell
size=$(node -e '
const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const s = (d.slides || [])[0] || {};
console.log(`${s.width || 1280} ${s.height || 720}`);' "$out/ours.json") || die "cannot read $out/ours.json"
w=${size% *}
h=${size#* }

node "$tool/boxes.mjs" --width "$w" --height "$h" "$@" >"$out/oracle.json" ||
    die "boxes.mjs failed (see above)"
node "$tool/compare.mjs" "$out/ours.json" "$out/oracle.json" >"$out/compare.txt" ||
    die "compare.mjs failed (see above)"

echo "oracle.sh: full report in $out/compare.txt" >&2
tail -n 1 "$out/compare.txt"
