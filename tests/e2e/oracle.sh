#!/bin/sh
# deckle's layout of the seed deck against Chromium's layout of deckle's own
# HTML export of it (tools/oracle.sh, shared/tools/layout-oracle): at least
# 95% of the boxes within 2 px, and no box missing or extra.
#
# usage: sh tests/e2e/oracle.sh PATH/TO/deckle SOURCE_DIR      (ctest runs it so)
# Skipped (exit 77) where Chromium, node or the oracle tool are not installed.
set -u
deckle=$1
src=$2
oracle=${DECKLE_ORACLE:-$src/../shared/tools/layout-oracle}
for need in node npm; do
    command -v $need >/dev/null 2>&1 || { echo "skip: no $need"; exit 77; }
done
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "skip: no chromium"; exit 77; }
[ -f "$oracle/boxes.mjs" ] || { echo "skip: no layout oracle at $oracle"; exit 77; }

out=$(mktemp -d "${TMPDIR:-/tmp}/deckle-oracle.XXXXXX") || exit 1
trap 'rm -rf "$out"' EXIT
summary=$(DECKLE="$deckle" DECKLE_ORACLE="$oracle" sh "$src/tools/oracle.sh" \
    "$src/samples/seed/deck.md" "$out" 2>"$out/err") || {
    cat "$out/err"
    echo "not ok - tools/oracle.sh failed"
    exit 1
}
echo "$summary"
# layout: N boxes, M within 2px (P%), L line-count mismatches, A missing, B extra
set -- $(echo "$summary" | sed -n 's/^layout: \([0-9]*\) boxes, \([0-9]*\) within .*, \([0-9]*\) line-count mismatches, \([0-9]*\) missing, \([0-9]*\) extra$/\1 \2 \3 \4 \5/p')
if [ $# -ne 5 ] || [ "$1" -eq 0 ]; then
    echo "not ok - no summary line from compare.mjs"
    exit 1
fi
fail=0
if [ $(($2 * 100)) -ge $(($1 * 95)) ]; then echo "ok - $2 of $1 boxes within 2px"; else
    echo "not ok - only $2 of $1 boxes within 2px"; fail=1; fi
if [ "$4" -eq 0 ] && [ "$5" -eq 0 ]; then echo "ok - no missing or extra boxes"; else
    echo "not ok - $4 missing, $5 extra boxes"; fail=1; fi
if [ "$3" -eq 0 ]; then echo "ok - every line count agrees"; else
    echo "not ok - $3 line-count mismatches"; fail=1; fi
[ $fail -eq 0 ] || grep -E '^  (OFF|LINES|MISSING|EXTRA)' "$out/compare.txt" | head -20
exit $fail
