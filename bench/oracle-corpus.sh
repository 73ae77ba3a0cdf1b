#!/bin/sh
# How closely deckle's layout follows Chromium's over every real deck in
# ../shared/corpus (issue 3's measure): for each deck, tools/oracle.sh
# exports the slides as HTML, lays them out in headless Chromium and compares
# every element box with deckle's own layout dump. Prints one line per deck
# and the totals: boxes within 2 px of Chromium's, and text blocks (boxes
# with their own text) whose line counts agree.
#
# usage: sh bench/oracle-corpus.sh [DECKLE] [OUTDIR]
#        (defaults: build/deckle, /tmp/deckle-oracle-corpus; needs node and
#         chromium like tools/oracle.sh; takes a few minutes)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
deckle=${1:-$here/build/deckle}
out=${2:-${TMPDIR:-/tmp}/deckle-oracle-corpus}
corpus=${DECKLE_CORPUS:-$here/../shared/corpus}
[ -f "$corpus/ENTRIES.txt" ] || { echo "no corpus at $corpus" >&2; exit 2; }
mkdir -p "$out"
total=0 within=0 blocks=0 linediff=0
while read -r deck; do
    [ -n "$deck" ] || continue
    summary=$(DECKLE="$deckle" sh "$here/tools/oracle.sh" "$corpus/$deck" "$out" 2>/dev/null) || {
        echo "FAILED  $deck"
        continue
    }
    # layout: N boxes, M within 2px (P%), L line-count mismatches, A missing, B extra
    set -- $(echo "$summary" | sed -n 's/^layout: \([0-9]*\) boxes, \([0-9]*\) within .*, \([0-9]*\) line-count mismatches.*/\1 \2 \3/p')
    [ $# -eq 3 ] || { echo "NO SUMMARY  $deck"; continue; }
    tb=$(node -e '
let n = 0;
for (const s of JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).slides)
  for (const b of s.boxes) if (b.lines > 0) n++;
console.log(n);' "$out/oracle.json")
    slug=$(echo "$deck" | tr '/' '_')
    mkdir -p "$out/decks"
    cp "$out/compare.txt" "$out/decks/$slug.compare.txt" 2>/dev/null || true
    total=$((total + $1)); within=$((within + $2)); linediff=$((linediff + $3)); blocks=$((blocks + tb))
    printf '%6s/%-6s boxes within 2px, %4s/%-4s text blocks agree  %s\n' "$2" "$1" $((tb - $3)) "$tb" "$deck"
done < "$corpus/ENTRIES.txt"
[ "$total" -gt 0 ] || exit 1
printf 'corpus: %d boxes, %d within 2px (%d.%d%%); %d text blocks, %d line counts agree (%d.%d%%)\n' \
    "$total" "$within" $((within * 100 / total)) $((within * 1000 / total % 10)) \
    "$blocks" $((blocks - linediff)) $(((blocks - linediff) * 100 / blocks)) $(((blocks - linediff) * 1000 / blocks % 10))
