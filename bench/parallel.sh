#!/bin/sh
# Benchmark: -j 1 against -j N on many copies of the seed deck, measured side
# by side in one run, plus the render time per slide. Run by hand (not in
# ctest):
#
#     sh bench/parallel.sh [BUILD/deckle] [COPIES] [JOBS]
#
# defaults: build/deckle, 24 copies, the number of cores. Each configuration
# runs ROUNDS times (default 3, env ROUNDS) alternating -j 1 and -j N so that
# drift in the machine's load hits both; the best time of each is reported.
# Also checks that the outputs are byte-identical (PDF with SOURCE_DATE_EPOCH).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
deckle=$(cd "$(dirname "${1:-$here/build/deckle}")" && pwd)/$(basename "${1:-deckle}")
copies=${2:-24}
jobs=${3:-$(nproc 2>/dev/null || echo 2)}
rounds=${ROUNDS:-3}
[ -x "$deckle" ] || { echo "no deckle at $deckle (build first)" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/deckle-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1700000000

mkdir "$tmp/decks"
cp "$here/samples/seed/"* "$tmp/decks/"
i=1
while [ "$i" -le "$copies" ]; do
    cp "$here/samples/seed/deck.md" "$tmp/decks/copy-$(printf %03d "$i").md"
    i=$((i + 1))
done
rm "$tmp/decks/deck.md"
slides=$("$deckle" -q --json "$tmp/decks/copy-001.md" -o "$tmp/probe.pdf" 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["decks"][0]["slides"])' 2>/dev/null)
[ -n "$slides" ] || slides=6
total_slides=$((slides * copies))

now_ms() { date +%s%3N; }
# best_of LABEL CMD...: run CMD, print its wall time in ms
run_ms() { t0=$(now_ms); "$@" >/dev/null 2>&1; echo $(($(now_ms) - t0)); }
min() { [ "$1" -lt "$2" ] && echo "$1" || echo "$2"; }

bench() { # bench NAME FORMAT-ARGS...
    name=$1
    shift
    b1=999999999
    bn=999999999
    r=1
    while [ "$r" -le "$rounds" ]; do
        rm -rf "$tmp/o1" "$tmp/on"
        t=$(run_ms "$deckle" -q -j 1 "$tmp"/decks/copy-*.md "$@" -o "$tmp/o1/{name}$ext")
        b1=$(min "$b1" "$t")
        t=$(run_ms "$deckle" -q -j "$jobs" "$tmp"/decks/copy-*.md "$@" -o "$tmp/on/{name}$ext")
        bn=$(min "$bn" "$t")
        r=$((r + 1))
    done
    same=identical
    diff -r "$tmp/o1" "$tmp/on" >/dev/null 2>&1 || same=DIFFERENT
    awk -v n="$name" -v a="$b1" -v b="$bn" -v j="$jobs" -v s="$total_slides" -v same="$same" 'BEGIN {
        printf "%-22s -j 1 %7.2f s   -j %d %7.2f s   speedup %.2fx   %.1f ms/slide (-j 1)   outputs %s\n",
               n, a / 1000, j, b / 1000, a / b, a / s, same }'
}

echo "deckle bench: $copies copies of the seed deck ($total_slides slides), $jobs jobs, best of $rounds"
ext=.pdf
bench "PDF, $copies decks"
ext=/
bench "PNG, $copies decks" -f png

# one deck, its slides split over the workers (per-slide formats)
b1=999999999
bn=999999999
r=1
while [ "$r" -le "$rounds" ]; do
    rm -rf "$tmp/s1" "$tmp/sn"
    b1=$(min "$b1" "$(run_ms "$deckle" -q -j 1 -f png "$tmp/decks/copy-001.md" -o "$tmp/s1/")")
    bn=$(min "$bn" "$(run_ms "$deckle" -q -j "$jobs" -f png "$tmp/decks/copy-001.md" -o "$tmp/sn/")")
    r=$((r + 1))
done
same=identical
diff -r "$tmp/s1" "$tmp/sn" >/dev/null 2>&1 || same=DIFFERENT
awk -v a="$b1" -v b="$bn" -v j="$jobs" -v s="$slides" -v same="$same" 'BEGIN {
    printf "%-22s -j 1 %7.2f s   -j %d %7.2f s   speedup %.2fx   %.1f ms/slide (-j 1)   outputs %s\n",
           "PNG, 1 deck split", a / 1000, j, b / 1000, a / b, a / s, same }'
