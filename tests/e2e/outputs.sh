#!/bin/sh
# End to end: the outputs of issue 5 — PDF metadata, internal links, page
# labels, reproducible bytes, images embedded once (JPEG as is, SVG as
# vectors), --pages for every format, handouts for every N on A4 and Letter,
# PNG colour types, chunks and size presets, SVG files, and that poppler and
# MuPDF read every PDF without a complaint.
#
# usage: sh tests/e2e/outputs.sh PATH/TO/deckle SOURCE_DIR      (ctest runs it so)
# Prints `ok - ...` / `not ok - ...`; exits 1 if any failed, 77 (skip) without poppler/qpdf.
# DK_E2E_KEEP=1 keeps the temporary folder.
set -u
. "$(dirname "$0")/lib/tap.sh"
e2e_init out "$@"
seed=$src/samples/seed/deck.md
for t in pdfinfo pdfimages pdftoppm pdftotext qpdf od awk cmp; do
    command -v $t >/dev/null 2>&1 || { echo "# skip: $t is not installed"; exit 77; }
done

png_size() {
    od -An -tu1 -j16 -N8 "$1" | awk 'NF == 8 { printf "%dx%d\n", (($1*256+$2)*256+$3)*256+$4, (($5*256+$6)*256+$7)*256+$8 }'
}
# colour type byte of the IHDR: 2 RGB, 6 RGBA
png_ctype() { od -An -tu1 -j25 -N1 "$1" | tr -d ' '; }
has_chunk() { LC_ALL=C grep -aq "$2" "$1"; }
# a PNG read strictly (python3's zlib): every chunk's CRC, IHDR first, IDATs in one run, IEND
# last, and the IDAT data one zlib stream, its Adler-32 right, inflating to exactly the rows
png_strict() {
    python3 - "$1" <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n'
at, types, idat = 8, [], b''
while at < len(d):
    n, t = struct.unpack('>I4s', d[at:at + 8])
    assert zlib.crc32(d[at + 4:at + 8 + n]) == struct.unpack('>I', d[at + 8 + n:at + 12 + n])[0], t
    types.append(t)
    if t == b'IDAT': idat += d[at + 8:at + 8 + n]
    at += 12 + n
assert types[0] == b'IHDR' and types[-1] == b'IEND' and at == len(d), types
runs = ''.join('I' if t == b'IDAT' else '.' for t in types)
assert runs.strip('.').count('.') == 0 and 'I' in runs, runs
w, h, depth, ctype = struct.unpack('>IIBB', d[16:26])
z = zlib.decompressobj()
rows = z.decompress(idat) + z.flush()
assert z.eof and z.unused_data == b'', 'stream not ended or data after it'
assert len(rows) == h * (1 + w * {2: 3, 6: 4}[ctype] * depth // 8), len(rows)
PY
}
# every PDF must pass qpdf --check and render in poppler (and MuPDF when installed) silently
pdf_clean() {
    qpdf --check "$1" >"$tmp/check.txt" 2>&1 || { sed 's/^/#   /' "$tmp/check.txt" | head -5; return 1; }
    pdftoppm -r 20 -png "$1" "$tmp/pp" >"$tmp/pp.err" 2>&1 || return 1
    [ ! -s "$tmp/pp.err" ] || { sed 's/^/#   /' "$tmp/pp.err" | head -5; return 1; }
    rm -f "$tmp"/pp*.png
    if command -v mutool >/dev/null 2>&1; then
        # Debian's MuPDF 1.21 is built without lcms2 and says so (also for `mutool -v`):
        # a remark about the tool, not the file
        mutool draw -q -r 20 -o "$tmp/mu%d.png" "$1" 2>&1 >/dev/null |
            grep -v '^warning: ICC support is not available$' >"$tmp/mu.err"
        rm -f "$tmp"/mu*.png
        [ ! -s "$tmp/mu.err" ] || { sed 's/^/#   /' "$tmp/mu.err" | head -5; return 1; }
    fi
}

# ---- a deck with front matter, a JPEG, an SVG, a GIF and an internal link ----
d=$tmp/deck
mkdir -p "$d"
"$deckle" "$seed" -o "$tmp/seed.pdf" 2>/dev/null
pdftoppm -jpeg -r 30 -f 2 -l 2 "$tmp/seed.pdf" "$d/photo"
jpg=$(ls "$d"/photo*.jpg 2>/dev/null | head -1)
check "a JPEG made for the test" [ -s "$jpg" ]
mv "$jpg" "$d/photo.jpg"
cat >"$d/logo.svg" <<'SVG'
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100"><rect x="5" y="5" width="190" height="90" rx="12" fill="#2a6"/><circle cx="100" cy="50" r="30" fill="#fff"/></svg>
SVG
printf 'GIF89a\001\000\001\000\200\000\000\377\000\000\000\000\000,\000\000\000\000\001\000\001\000\000\002\002D\001\000;' >"$d/dot.gif"
cat >"$d/talk.md" <<'MD'
---
title: Output Test Deck
author: Ann Example
description: What deckle writes
keywords: slides, pdf
lang: en-GB
---
# Images here

<img src="photo.jpg" style="width:320px"> <img src="logo.svg" style="width:300px"> <img src="dot.gif" style="width:40px;height:40px">

[jump to the end](#3)
---
# Again

<img src="photo.jpg" style="width:500px">
---
# The end

[back to the start](#1)
MD
"$deckle" "$d/talk.md" -o "$d/talk.pdf" 2>"$tmp/talk.err"
check "deck with JPEG, SVG and GIF renders without warnings" [ ! -s "$tmp/talk.err" ]
# the GIF's one red pixel, decoded by gdk-pixbuf (loaded at the first such image), fills its box
printf '# Dot\n\n<img src="dot.gif" style="width:40px;height:40px">\n' >"$d/dot.md"
"$deckle" -q "$d/dot.md" -f png -o "$tmp/dot/" 2>"$tmp/dot.err"
red=$(png_rgb_count "$tmp/dot/dot.001.png" ff0000)
check "a GIF is decoded and drawn: $red red px in its 40x40 box" [ "${red:-0}" -gt 1400 -a ! -s "$tmp/dot.err" ]
check "talk.pdf is clean (qpdf, poppler, MuPDF)" pdf_clean "$d/talk.pdf"
pdfinfo "$d/talk.pdf" >"$tmp/info.txt"
check "Title from front matter" grep -q '^Title: *Output Test Deck$' "$tmp/info.txt"
check "Author from front matter" grep -q '^Author: *Ann Example$' "$tmp/info.txt"
check "Subject from description" grep -q '^Subject: *What deckle writes$' "$tmp/info.txt"
check "Keywords from front matter" grep -q '^Keywords: *slides, pdf$' "$tmp/info.txt"
check "Creator is deckle" grep -q '^Creator: *deckle ' "$tmp/info.txt"
qpdf --qdf --object-streams=disable "$d/talk.pdf" "$tmp/talk.qdf" 2>/dev/null
check "/Lang (en-GB) in the catalog" grep -aq '/Lang (en-GB)' "$tmp/talk.qdf"
pdfimages -list "$d/talk.pdf" >"$tmp/imgs.txt"
n=$(awk '$3 == "image" && $9 == "jpeg"' "$tmp/imgs.txt" | awk '{print $11}' | sort -u | wc -l)
check "the JPEG is embedded as JPEG, once for both slides ($n object)" [ "$n" -eq 1 ]
jsize=$(wc -c <"$d/photo.jpg")
n=$(awk '$9 == "jpeg" { print $15 }' "$tmp/imgs.txt" | head -1)
check "the embedded JPEG is the file's bytes ($n, file $jsize B)" \
    awk -v a="$n" -v s="$jsize" 'BEGIN { v = a + 0; if (a ~ /K$/) v *= 1024; exit !(v > s * 0.95 && v < s * 1.05) }'
n=$(awk '$3 == "image" && $4 == 200' "$tmp/imgs.txt" | wc -l)
check "the SVG stays vector (no 200-px bitmap of it)" [ "$n" -eq 0 ]
check "three images listed at most (JPEG x2 uses, GIF)" [ "$(awk 'NR > 2 && $3 == "image"' "$tmp/imgs.txt" | wc -l)" -le 3 ]
# internal links: explicit destinations to the right pages
qpdf --json --json-key=pages "$d/talk.pdf" >"$tmp/pages.json" 2>/dev/null
n=$(grep -ac '/XYZ' "$tmp/talk.qdf")
check "internal links are explicit destinations ($n /XYZ)" [ "$n" -ge 2 ]
check "no named destination left" sh -c "! grep -aq '/Dest (slide-' '$tmp/talk.qdf'"

# ---- reproducible bytes ----
SOURCE_DATE_EPOCH=1700000000 "$deckle" "$d/talk.md" -o "$tmp/r1.pdf" 2>/dev/null
sleep 1
SOURCE_DATE_EPOCH=1700000000 "$deckle" "$d/talk.md" -o "$tmp/r2.pdf" 2>/dev/null
check "SOURCE_DATE_EPOCH: two runs give identical PDFs" cmp -s "$tmp/r1.pdf" "$tmp/r2.pdf"
SOURCE_DATE_EPOCH=1700000000 "$deckle" "$seed" --handout 6 -o "$tmp/h1.pdf" 2>/dev/null
SOURCE_DATE_EPOCH=1700000000 "$deckle" "$seed" --handout 6 -o "$tmp/h2.pdf" 2>/dev/null
check "SOURCE_DATE_EPOCH: two handouts are identical" cmp -s "$tmp/h1.pdf" "$tmp/h2.pdf"
SOURCE_DATE_EPOCH=1700000000 "$deckle" "$seed" -f png -o "$tmp/rp1/" 2>/dev/null
SOURCE_DATE_EPOCH=1700000000 "$deckle" "$seed" -f png -o "$tmp/rp2/" 2>/dev/null
check "PNGs are reproducible too" cmp -s "$tmp/rp1/deck.003.png" "$tmp/rp2/deck.003.png"

# ---- the seed deck: clean, one image object for slides 5 and 6, size budget ----
check "seed PDF is clean (qpdf, poppler, MuPDF)" pdf_clean "$tmp/seed.pdf"
pdfimages -list "$tmp/seed.pdf" >"$tmp/seedimgs.txt"
o5=$(awk '$1 == 5 && $3 == "image" { print $11 }' "$tmp/seedimgs.txt" | head -1)
o6=$(awk '$1 == 6 && $3 == "image" { print $11 }' "$tmp/seedimgs.txt" | head -1)
check "slides 5 and 6 share one image object ($o5, $o6)" [ -n "$o5" -a "$o5" = "$o6" ]
imgs=$(cat "$src"/samples/seed/*.png | wc -c)
pdfsz=$(wc -c <"$tmp/seed.pdf")
check "seed PDF $pdfsz B <= 1.2 x images $imgs B + 100 KB" [ "$pdfsz" -le $((imgs * 12 / 10 + 102400)) ]

# ---- --pages for every format, page labels ----
"$deckle" "$seed" --pages 3-4,6 -o "$tmp/sel.pdf" 2>/dev/null
check "--pages 3-4,6: 3 PDF pages" grep -q '^Pages: *3$' "$(pdfinfo "$tmp/sel.pdf" >"$tmp/sel.txt"; echo "$tmp/sel.txt")"
qpdf --json --json-key=pagelabels "$tmp/sel.pdf" | tr -d ' \n' >"$tmp/labels.json"
check "page labels 3, 4, 6" grep -q '"index":0,"label":{"/S":"/D","/St":3}},{"index":2,"label":{"/S":"/D","/St":6}}' "$tmp/labels.json"
qpdf --json --json-key=outlines "$tmp/sel.pdf" >"$tmp/selout.json"
check "outline of 3 entries pointing at pages 1-3" [ "$(grep -c '"destpageposfrom1": [123]' "$tmp/selout.json")" -eq 3 ]
for f in png svg html; do
    "$deckle" "$seed" --pages 3-4,6 -f $f -o "$tmp/sel-$f/" 2>/dev/null
    check "--pages 3-4,6 -f $f writes slides 3, 4, 6" \
        [ "$(ls "$tmp/sel-$f" | tr '\n' ' ')" = "deck.003.$f deck.004.$f deck.006.$f " ]
done
"$deckle" "$seed" --pages 2 -f layout -o "$tmp/sel.json" 2>/dev/null
check "--pages 2 -f layout: slide 2 only" [ "$(grep -o '"index":[0-9]*' "$tmp/sel.json" | tr '\n' ' ')" = '"index":2 ' ]
"$deckle" "$d/talk.md" --pages 1 -o "$tmp/one.pdf" 2>/dev/null
qpdf --qdf --object-streams=disable "$tmp/one.pdf" "$tmp/one.qdf" 2>/dev/null
check "a link to a slide left out is dropped" sh -c "! grep -aq '/Subtype /Link' '$tmp/one.qdf'"
# past the deck's end: no blank page but an error (exit 2), and a warning for a range that runs past it
for j in 1 2; do
    "$deckle" -j $j "$seed" --pages 9 -o "$tmp/past$j.pdf" 2>"$tmp/past$j.err"
    rc=$?
    check "-j $j --pages 9 of 6 slides: exit 2 (got $rc), no file" [ $rc -eq 2 -a ! -e "$tmp/past$j.pdf" ]
    check "... one error that says so" [ "$(grep -c "error: --pages '9' selects none of the deck's 6 slides" "$tmp/past$j.err")" = 1 ]
    # nothing is made on disk for a selection that is refused, not even the output folder
    "$deckle" -j $j "$seed" --pages 9 -f png -o "$tmp/none$j/sub/" 2>/dev/null
    rc=$?
    check "-j $j --pages 9 -f png: exit 2 (got $rc), no folder made" [ $rc -eq 2 -a ! -e "$tmp/none$j" ]
    "$deckle" -j $j "$seed" --pages 'x' -o "$tmp/none$j/x.pdf" 2>/dev/null
    rc=$?
    check "-j $j --pages x: exit 2 (got $rc), no folder made" [ $rc -eq 2 -a ! -e "$tmp/none$j" ]
    "$deckle" -j $j "$seed" --pages 5-9 -f png -o "$tmp/past$j/" 2>"$tmp/past$j.err"
    rc=$?
    check "-j $j --pages 5-9: exit 0 (got $rc), slides 5 and 6" \
        [ $rc -eq 0 -a "$(ls "$tmp/past$j" | tr '\n' ' ')" = "deck.005.png deck.006.png " ]
    check "... and one warning: the deck has 6 slides, not 9" \
        [ "$(grep -c "warning: --pages '5-9': the deck has 6 slides, not 9" "$tmp/past$j.err")" = 1 ]
done

# ---- handouts ----
for paper in a4 letter; do
    for n in 1 2 3 4 6 9; do
        f=$tmp/h-$paper-$n.pdf
        "$deckle" "$seed" --handout $n --paper $paper -o "$f" 2>/dev/null
        check "--handout $n --paper $paper is clean" pdf_clean "$f"
        want=$(((6 + n - 1) / n))
        check "--handout $n: $want pages" grep -q "^Pages: *$want\$" "$(pdfinfo "$f" >"$tmp/hi.txt"; echo "$tmp/hi.txt")"
        case $paper in a4) sz='595.276 x 841.89|841.89 x 595.276' ;; *) sz='612 x 792|792 x 612' ;; esac
        check "--handout $n: $paper paper" grep -Eq "Page size: *($sz) pts" "$tmp/hi.txt"
        pdftotext "$f" "$tmp/ht.txt"
        check "--handout $n: slide text stays text" grep -q 'Transformers without Normalization' "$tmp/ht.txt"
        check "--handout $n: footer 'page 1 of $want'" grep -q "page 1 of $want" "$tmp/ht.txt"
        check "--handout $n: header with the deck title" grep -q "This Week's Top AI/ML Research Papers" "$tmp/ht.txt"
    done
done
cat >"$d/notes.md" <<'MD'
# First

Body.

<aside class="notes">Remember to thank the organisers.</aside>
---
# Second
MD
"$deckle" "$d/notes.md" --handout 2 --notes -o "$tmp/notes.pdf" 2>/dev/null
check "--notes handout is clean" pdf_clean "$tmp/notes.pdf"
pdftotext "$tmp/notes.pdf" "$tmp/notes.txt"
check "--notes prints the speaker notes" grep -q 'Remember to thank the organisers' "$tmp/notes.txt"

# ---- PNG ----
"$deckle" "$seed" -f png -o "$tmp/png/" 2>/dev/null
p=$tmp/png/deck.002.png
check "opaque PNG is RGB (colour type 2)" [ "$(png_ctype "$p")" = 2 ]
for c in sRGB pHYs tEXtTitle tEXtSoftware; do check "PNG has $c" has_chunk "$p" "$c"; done
check "pHYs is 96 dpi (3780 px/m)" sh -c "od -An -tx1 '$p' | tr -d ' \n' | grep -q '7048597300000ec400000ec401'"
"$deckle" "$seed" -f png --transparent -o "$tmp/pngt/" 2>/dev/null
check "--transparent PNG is RGBA (colour type 6)" [ "$(png_ctype "$tmp/pngt/deck.002.png")" = 6 ]
"$deckle" "$seed" -f png --compression 0 -o "$tmp/png0/" 2>/dev/null
s0=$(wc -c <"$tmp/png0/deck.002.png")
s6=$(wc -c <"$p")
check "--compression 0 is larger than the default ($s0 > $s6)" [ "$s0" -gt "$s6" ]
"$deckle" "$seed" -f png --compression 9 --scale 0.5 -o "$tmp/png9/" 2>/dev/null
if command -v python3 >/dev/null 2>&1; then
    for f in "$p" "$tmp/pngt/deck.002.png" "$tmp/png0/deck.002.png" "$tmp/png9/deck.001.png" \
        "$tmp/png9/deck.006.png"; do
        check "$(basename "$(dirname "$f")")/$(basename "$f") reads strictly (CRCs, one zlib stream, Adler-32, row bytes)" png_strict "$f"
    done
fi
for preset in 16:9=1920x1080 4:3=1440x1080 square=1080x1080 portrait=1080x1350 og=1200x630 800x600=800x600; do
    name=${preset%%=*}
    size=${preset#*=}
    dir=$tmp/preset-$(echo "$name" | tr ':' '-')
    "$deckle" "$seed" -f png --size "$name" -o "$dir/" 2>/dev/null
    check "--size $name: six PNGs of $size" [ "$(for f in "$dir"/*.png; do png_size "$f"; done | sort -u)" = "$size" ]
done

# ---- SVG, format from -o ----
"$deckle" "$d/talk.md" -f svg -o "$tmp/svg/" 2>/dev/null
check "-f svg: one file per slide" [ "$(ls "$tmp/svg" | wc -l)" -eq 3 ]
check "SVG embeds the JPEG as JPEG" grep -q 'data:image/jpeg;base64' "$tmp/svg/talk.001.svg"
"$deckle" "$seed" -o "$tmp/byext.png" 2>/dev/null
check "-o FILE.png writes PNGs" [ -s "$tmp/byext.001.png" ]
"$deckle" "$seed" -o "$tmp/byext.svg" 2>/dev/null
check "-o FILE.svg writes SVGs" [ -s "$tmp/byext.001.svg" ]

e2e_done
