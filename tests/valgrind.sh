#!/bin/sh
# valgrind memcheck of a full render of the reference deck (issue 7): no
# errors, no definite leaks. Not in ctest (minutes under valgrind); run by hand:
#   sh tests/valgrind.sh build/deckle [FORMAT]      (FORMAT: pdf (default), png, svg, html)
# Library caches that live until exit are in tests/valgrind.supp; our code never is.
set -eu
deckle=${1:?usage: sh tests/valgrind.sh PATH/TO/deckle [FORMAT]}
fmt=${2:-pdf}
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/deckle-vg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
case $fmt in pdf) out=$tmp/deck.pdf ;; *) out=$tmp/ ;; esac
valgrind --tool=memcheck --error-exitcode=9 --leak-check=full --show-leak-kinds=definite \
    --errors-for-leak-kinds=definite --num-callers=30 \
    --suppressions="$src/tests/valgrind.supp" --log-file="$tmp/vg.txt" \
    "$deckle" -j 1 -q "$src/samples/seed/deck.md" -f "$fmt" -o "$out" || rc=$?
grep -E "ERROR SUMMARY|definitely lost|indirectly lost|possibly lost" "$tmp/vg.txt" | sed 's/^==[0-9]*== //'
[ "${rc:-0}" -eq 0 ] || { cat "$tmp/vg.txt" | head -200; exit 1; }
echo "valgrind: clean ($fmt)"
