#!/bin/sh
# bench/run.sh — deckle against Chromium print, Marp CLI, WeasyPrint and the
# pango-view floor, side by side in one run (issue 8). Run by hand, not in ctest:
#
#     sh bench/run.sh                 # everything: ~35 minutes on 2 cores, half of it WeasyPrint
#     RUNS=3 QUICK=1 sh bench/run.sh  # 201 slides instead of 1001 for the others
#
# It builds deckle in Release in build-bench/, generates the inputs in a
# temporary folder (the reference deck samples/seed; its title slide plus the
# five paper slides repeated to 201 and 1001 slides; an image-heavy deck of
# 40 slides with four images each; the multilingual tests/data/scripts deck),
# and times whole processes: wall time and peak RSS (the largest single
# process), both from fork to wait4 by bench/timeit.c, built here with cc
# (/usr/bin/time with a clock to the microsecond); the median of RUNS runs
# (default 5) after one warm-up run. The commands compared on one input
# (deckle -j 1 and -j 2, the other tools, the floor) run in rounds, each
# once a round (every other round backwards), so that a change in the
# machine's load falls on all of them alike and none always follows the
# same one; each timed run follows an untimed run of the same command
# (PRIME=0: not), because on a VM that gives freed memory back to its host
# (virtio free page reporting) the run after another program exits pays to
# get pages back: a seed PNG run at -j 2 took 146-413 ms right after Marp
# and 80-90 ms on the next run. The PNG output folder is emptied between
# runs outside the timing, and every timed run starts after a sync, so that
# no run pays for writing back what an earlier one left in the page cache.
# The other tools:
#
#   chromium   deckle's own -f html export, the slides concatenated into one
#              document (one page each), printed with --headless --print-to-pdf
#   marp       npx @marp-team/marp-cli --html on the deck itself (CHROME_PATH
#              set to the Chromium found), PDF and PNG (--image-scale 1.5)
#   weasyprint the same concatenated HTML
#   pango-view the deck's text (tags stripped) drawn into a PDF: the floor for
#              shaping that text with pango and writing it with cairo
#
# A tool that is missing is skipped and says so. Set MARP=0, CHROMIUM=0 or
# WEASYPRINT=0 to skip one. Env: RUNS, QUICK, PRIME, DECKLE (a prebuilt binary:
# then nothing is built), DECKS (a subset: "seed paper-201 paper-1001 images scripts").
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-5}
big=1001
[ "${QUICK:-0}" = 1 ] && big=201

if [ -n "${DECKLE:-}" ]; then
    deckle=$DECKLE
else
    cmake -S "$here" -B "$here/build-bench" -DCMAKE_BUILD_TYPE=Release >/dev/null &&
        cmake --build "$here/build-bench" -j --target deckle >/dev/null ||
        { echo "bench: build failed" >&2; exit 2; }
    deckle=$here/build-bench/deckle
fi
[ -x "$deckle" ] || { echo "bench: no deckle at $deckle" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/deckle-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
# the clock: fork, exec, wait4, to the microsecond (bench/timeit.c says why not date + time)
timeit=$tmp/timeit
${CC:-cc} -O2 -o "$timeit" "$here/bench/timeit.c" || { echo "bench: cannot build bench/timeit.c" >&2; exit 2; }
export SOURCE_DATE_EPOCH=1700000000

# ---- inputs -------------------------------------------------------------------------------
mkdir -p "$tmp/in"
cp "$here/samples/seed/"* "$tmp/in/"
mv "$tmp/in/deck.md" "$tmp/in/seed.md"
# the seed's slides, one file each (split at lines that are exactly ---)
awk -v d="$tmp/in" 'BEGIN { n = 1 } /^---$/ { n++; next } { print > (d "/slide." n) }' "$tmp/in/seed.md"
repeat() { # repeat N OUT: the title slide, then the five paper slides over and over
    {
        cat "$tmp/in/slide.1"
        i=1
        while [ "$i" -lt "$1" ]; do
            printf '\n---\n'
            cat "$tmp/in/slide.$((2 + (i - 1) % 5))"
            i=$((i + 1))
        done
    } > "$2"
}
repeat 201 "$tmp/in/paper-201.md"
repeat 1001 "$tmp/in/paper-1001.md"
{
    echo "# Images"
    i=1
    while [ "$i" -le 40 ]; do
        printf '\n---\n\n## Figure set %d\n\n<div style="display: grid; grid-template-columns: 1fr 1fr; gap: 10px">\n' "$i"
        for f in "$tmp/in/"*.png; do
            printf '<img src="%s" style="width: 100%%; max-height: 260px">\n' "$(basename "$f")"
        done
        printf '</div>\n'
        i=$((i + 1))
    done
} > "$tmp/in/images.md"
cp "$here/tests/data/scripts/deck.md" "$tmp/in/scripts.md"
rm -f "$tmp/in"/slide.*

# one HTML document per deck: deckle's per-slide export, concatenated one page a slide
concat_html() { # concat_html DECK OUT.html
    d=$tmp/html-$(basename "$1" .md)
    rm -rf "$d"
    "$deckle" -q "$1" -f html -o "$d/" >/dev/null 2>&1 || return 1
    first=$(ls "$d"/*.html | head -1)
    {
        sed -n '1,/<\/head>/p' "$first" | sed '$d'
        printf '<style>@page { size: 1280px 720px; margin: 0 }\n'
        printf 'html, body { display: block !important; width: auto !important; height: auto !important; padding: 0 !important; overflow: visible !important }\n'
        printf '.dk-slide { box-sizing: border-box; width: 1280px; height: 720px; padding: 40px 60px; overflow: hidden; display: flex; flex-direction: column; justify-content: center; break-after: page }</style>\n</head>\n<body>\n'
        for f in "$d"/*.html; do
            printf '<div class="dk-slide">\n'
            sed -n '/<body[^>]*>/,/<\/body>/p' "$f" | sed -e 's/.*<body[^>]*>//' -e 's/<\/body>.*//'
            printf '</div>\n'
        done
        printf '</body>\n</html>\n'
    } > "$2"
    # image paths are relative to the deck's folder, as in the per-slide files
    cp "$tmp/in/"*.png "$(dirname "$2")/" 2>/dev/null
}

# ---- measuring ----------------------------------------------------------------------------
# sample FILE CMD...: one timed run of CMD, "microseconds peak_rss_kb" appended to FILE
sample() {
    f=$1
    shift
    # outside the timing: what earlier runs left to write (an fsync waits for every dirty file
    # on ext4: when deckle still fsync'd its outputs, once 0.3 s instead of 35 ms for the seed PDF)
    sync
    "$timeit" "$f" "$@" >/dev/null 2>&1
}
# row LABEL TOOL FILE: the medians of FILE's samples as one row "label tool wall_s rss_mb"
row() {
    med='{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf f, m / s }'
    wall=$(cut -d' ' -f1 "$3" | sort -n | awk -v s=1e6 -v f=%.3f "$med")
    rss=$(cut -d' ' -f2 "$3" | sort -n | awk -v s=1024 -v f=%.0f "$med")
    printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$wall" "$rss" >> "$tmp/rows"
    printf '  %-28s %-22s %8s s %6s MB\n' "$1" "$2" "$wall" "$rss" >&2
}
failed() { printf '%s\t%s\tfailed\t-\n' "$1" "$2" >> "$tmp/rows"; }
# The commands that are compared are measured as a set: each is warmed up, then the set runs
# RUNS rounds, every command once a round in the order added, so that a change in the
# machine's load falls on all of them alike (a ratio of two medians taken minutes apart
# measured the load as much as the tools). Before every run, untimed, the PNG output
# folder is removed.
#   add LABEL TOOL CMD...   add a command to the set
#   measure_set             measure the set (one row each, in order), then empty it
nset=0
add() {
    nset=$((nset + 1))
    eval "label_$nset=\$1 tool_$nset=\$2"
    shift 2
    c=
    for a in "$@"; do # quoted for eval: ' becomes '\''
        c="$c '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"
    done
    eval "cmd_$nset=\$c"
}
measure_set() {
    i=1
    while [ "$i" -le "$nset" ]; do
        eval "c=\$cmd_$i"
        rm -rf "$O/png"
        if eval "$c" >/dev/null 2>&1; then eval "ok_$i=1"; else eval "ok_$i=0"; fi
        : > "$tmp/samples.$i"
        i=$((i + 1))
    done
    r=0
    while [ "$r" -lt "$runs" ]; do
        k=1
        while [ "$k" -le "$nset" ]; do
            # serpentine: odd rounds run the set backwards, so no command always runs right
            # after the same one (on a VM the run after Chromium exits pays for the memory
            # the host took back, and in a fixed order that was always deckle's first)
            i=$k
            [ $((r % 2)) = 1 ] && i=$((nset + 1 - k))
            eval "c=\$cmd_$i ok=\$ok_$i"
            if [ "$ok" = 1 ]; then
                # PRIME=1 (the default): an untimed run of the same command first, so that
                # the timed one does not pay for the memory the previous command freed
                if [ "${PRIME:-1}" = 1 ]; then
                    rm -rf "$O/png"
                    eval "$c" >/dev/null 2>&1
                fi
                rm -rf "$O/png"
                eval "sample \"\$tmp/samples.$i\" $c"
            fi
            k=$((k + 1))
        done
        r=$((r + 1))
    done
    i=1
    while [ "$i" -le "$nset" ]; do
        eval "l=\$label_$i t=\$tool_$i ok=\$ok_$i"
        if [ "$ok" = 1 ]; then row "$l" "$t" "$tmp/samples.$i"; else failed "$l" "$t"; fi
        i=$((i + 1))
    done
    nset=0
}

chromium=
[ "${CHROMIUM:-1}" != 0 ] && for c in chromium chromium-browser google-chrome; do
    command -v "$c" >/dev/null 2>&1 && { chromium=$(command -v "$c"); break; }
done
weasy=
[ "${WEASYPRINT:-1}" != 0 ] && command -v weasyprint >/dev/null 2>&1 && weasy=$(command -v weasyprint)
marp=
if [ "${MARP:-1}" != 0 ] && [ -n "$chromium" ] && command -v npx >/dev/null 2>&1 &&
    CHROME_PATH=$chromium npx --yes @marp-team/marp-cli --version >/dev/null 2>&1; then
    marp=1
fi
pangoview=
command -v pango-view >/dev/null 2>&1 && pangoview=$(command -v pango-view)

# helpers as scripts, so that timeit runs (and measures) them whole
cat > "$tmp/chrome.sh" <<'EOS'
"$CHROMIUM_BIN" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf-no-header --print-to-pdf="$2" "file://$1" && [ -s "$2" ]
EOS
cat > "$tmp/marp.sh" <<'EOS'
cd "$(dirname "$1")" && CHROME_PATH=$CHROMIUM_BIN exec npx --yes @marp-team/marp-cli --html \
    --allow-local-files --no-stdin "$@"
EOS
export CHROMIUM_BIN="$chromium"

echo "deckle bench: $(uname -m), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg); median of $runs after a warm-up" >&2
marp_name=none
[ -n "$marp" ] && marp_name="npx @marp-team/marp-cli"
# what starting a process costs here, measured the same way: a floor under every row
: > "$tmp/true"
for i in 1 2 3 4 5; do "$timeit" "$tmp/true" /bin/true; done
echo "a process that does nothing (/bin/true) measures $(sort -n "$tmp/true" | awk 'NR == 3 { printf "%.1f", $1 / 1000 }') ms" >&2
echo "deckle: $deckle; chromium: ${chromium:-none}; marp: $marp_name; weasyprint: ${weasy:-none}; pango-view: ${pangoview:-none}" >&2
: > "$tmp/rows"
O=$tmp/out

decks="seed paper-201"
[ "$big" = 1001 ] && decks="$decks paper-1001"
for deck in ${DECKS:-$decks images scripts}; do
    md=$tmp/in/$deck.md
    if [ -n "$chromium$weasy" ]; then
        mkdir -p "$tmp/h"
        concat_html "$md" "$tmp/h/$deck.html" || echo "bench: html export of $deck failed" >&2
    fi
    # PDF: deckle (from 128 slides on in two parts, side by side with -j 2) and the others
    case $deck in
    paper-*)
        add "$deck PDF" "deckle -j 1" "$deckle" -q -j 1 "$md" -o "$O/$deck.pdf"
        add "$deck PDF" "deckle -j 2" "$deckle" -q -j 2 "$md" -o "$O/$deck.pdf"
        ;;
    *) add "$deck PDF" "deckle" "$deckle" -q -j 1 "$md" -o "$O/$deck.pdf" ;;
    esac
    if [ -n "$pangoview" ] && [ "$deck" = seed ]; then
        # the floor: the deck's text without markup, wrapped at the slide's text width
        sed -e 's/<[^>]*>//g' -e '/^---$/d' -e 's/^#* *//' "$md" | grep -v '^[[:space:]]*$' > "$tmp/in/$deck.txt"
        add "$deck PDF" "pango-view (floor)" "$pangoview" -q --font="DejaVu Sans 15" --width=870 \
            --wrap=word -o "$O/$deck-floor.pdf" "$tmp/in/$deck.txt"
    fi
    [ -n "$chromium" ] && add "$deck PDF" "chromium print" sh "$tmp/chrome.sh" "$tmp/h/$deck.html" "$O/$deck-chromium.pdf"
    [ -n "$weasy" ] && add "$deck PDF" "weasyprint" "$weasy" -q "$tmp/h/$deck.html" "$O/$deck-weasy.pdf"
    [ -n "$marp" ] && add "$deck PDF" "marp" sh "$tmp/marp.sh" "$md" --pdf -o "$O/$deck-marp.pdf"
    measure_set
    [ "$deck" = paper-1001 ] && continue
    for scale in 1 1.5; do
        for j in 1 2; do
            add "$deck PNG ${scale}x" "deckle -j $j" "$deckle" -q -j "$j" "$md" -f png --scale "$scale" -o "$O/png/"
        done
        [ -n "$marp" ] && [ "$deck" = seed ] && [ "$scale" = 1.5 ] &&
            add "$deck PNG 1.5x" "marp" sh "$tmp/marp.sh" "$md" --images png --image-scale 1.5 -o "$O/marp-png/$deck.png"
        measure_set
    done
done

# ---- report -------------------------------------------------------------------------------
echo
awk -F'\t' -v big="$big" '
# the row of deckle with one worker for label l: "deckle", or "deckle -j 1" beside -j 2
function dk(l) { return (l SUBSEP "deckle") in wall ? l SUBSEP "deckle" : l SUBSEP "deckle -j 1" }
function ratio(a, b) { return (a > 0 && b > 0) ? sprintf("%.1fx", a / b) : "-" }
{ key = $1 SUBSEP $2; wall[key] = $3; rss[key] = $4; if (!(($1) in seen)) { seen[$1] = 1; order[++n] = $1 } tools[$1] = tools[$1] "\t" $2 }
END {
    printf "%-18s %-20s %9s %9s  %s\n", "input", "tool", "wall s", "peak MB", "deckle (-j 1) is faster by"
    for (i = 1; i <= n; i++) {
        l = order[i]
        base = wall[dk(l)]
        m = split(substr(tools[l], 2), ts, "\t")
        for (j = 1; j <= m; j++) {
            t = ts[j]; w = wall[l SUBSEP t]
            r = (t ~ /^deckle/) ? "" : ratio(w, base)
            if (t ~ /floor/) r = sprintf("deckle is %.2fx the floor", base / w)
            printf "%-18s %-20s %9s %9s  %s\n", l, t, w, rss[l SUBSEP t], r
        }
    }
    print ""
    print "targets (issue 8):"
    s = wall["seed PDF" SUBSEP "deckle"]
    c = wall["seed PDF" SUBSEP "chromium print"]; wp = wall["seed PDF" SUBSEP "weasyprint"]; f = wall["seed PDF" SUBSEP "pango-view (floor)"]
    if (c != "" && c != "failed") printf "  seed PDF vs Chromium >= 30x:        %s  %s\n", ratio(c, s), (c / s >= 30 ? "met" : "NOT met")
    if (wp != "" && wp != "failed") printf "  seed PDF vs WeasyPrint >= 30x:      %s  %s\n", ratio(wp, s), (wp / s >= 30 ? "met" : "NOT met")
    if (f != "" && f != "failed") printf "  seed PDF <= 2x pango-view floor:    %.2fx  %s\n", s / f, (s / f <= 2 ? "met" : "NOT met")
    b = wall[dk("paper-" big " PDF")]; cb = wall["paper-" big " PDF" SUBSEP "chromium print"]
    if (cb != "" && cb != "failed") printf "  %d slides PDF vs Chromium >= 8x:  %s  %s\n", big, ratio(cb, b), (cb / b >= 8 ? "met" : "NOT met")
    b2 = wall["paper-" big " PDF" SUBSEP "deckle -j 2"]
    if (cb != "" && cb != "failed" && b2 != "") printf "    (with -j 2, the default on 2 cores: %s  %s)\n", ratio(cb, b2), (cb / b2 >= 8 ? "met" : "NOT met")
    if (b != "") printf "  %d slides PDF peak RSS <= 150 MB: %s MB  %s\n", big, rss[dk("paper-" big " PDF")], (rss[dk("paper-" big " PDF")] + 0 <= 150 ? "met" : "NOT met")
    a = wall[dk("paper-201 PDF")]
    # linear or better: a slide at 1001 costs at most 10% more than a slide at 201 (fixed
    # start-up costs make the ratio fall below 1)
    if (big == 1001 && a != "" && b != "") { lin = (b / 1000) / (a / 200); printf "  linear 201 -> 1001 (per-slide time at 1001 / at 201 <= 1.1): %.2f  %s\n", lin, (lin <= 1.1 ? "met" : "NOT met") }
    mp = wall["seed PNG 1.5x" SUBSEP "marp"]; dp = wall["seed PNG 1.5x" SUBSEP "deckle -j 1"]
    if (mp != "" && mp != "failed") printf "  seed 6 PNG 1920x1080 vs Marp >= 20x: %s  %s\n", ratio(mp, dp), (mp / dp >= 20 ? "met" : "NOT met")
    dq = wall["seed PNG 1.5x" SUBSEP "deckle -j 2"]
    if (mp != "" && mp != "failed" && dq != "") printf "    (with -j 2, the default on 2 cores: %s  %s)\n", ratio(mp, dq), (mp / dq >= 20 ? "met" : "NOT met")
    j1 = wall["paper-201 PNG 1x" SUBSEP "deckle -j 1"]; j2 = wall["paper-201 PNG 1x" SUBSEP "deckle -j 2"]
    if (j1 != "" && j2 != "") printf "  -j 2 vs -j 1 (201 slides, PNG 1x) >= 1.6x: %s  %s\n", ratio(j1, j2), (j1 / j2 >= 1.6 ? "met" : "NOT met")
    j1 = wall["seed PNG 1.5x" SUBSEP "deckle -j 1"]; j2 = wall["seed PNG 1.5x" SUBSEP "deckle -j 2"]
    if (j1 != "" && j2 != "") printf "  -j 2 vs -j 1 (seed, PNG 1.5x) >= 1.6x:     %s  %s\n", ratio(j1, j2), (j1 / j2 >= 1.6 ? "met" : "NOT met")
}' "$tmp/rows"
