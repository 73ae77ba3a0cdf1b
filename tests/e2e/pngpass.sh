#!/bin/sh
# End to end: PNG pass-through (src/image/pngpass.h). An opaque PNG on two
# slides goes into the PDF once, as its own IDAT bytes, and renders to the
# same pixels as the same picture saved with an (all-opaque) alpha channel,
# which cairo decodes and re-encodes; the PDF stays valid and reproducible;
# PNG output is the same for both files.
#
# usage: sh tests/e2e/pngpass.sh PATH/TO/deckle SOURCE_DIR      (ctest runs it so)
# Exits 77 (skip) without python3, qpdf or poppler.
set -u
. "$(dirname "$0")/lib/tap.sh"
e2e_init pngpass "$@"
for t in python3 qpdf pdfimages pdftoppm cmp; do
    command -v $t >/dev/null 2>&1 || { echo "# skip: $t is not installed"; exit 77; }
done
export SOURCE_DATE_EPOCH=1700000000

# the same 300x200 picture as RGB (passes through) and as RGBA, alpha 255 (decoded);
# rows use every PNG filter type, so the PDF reader's predictors are all exercised
python3 - "$tmp" <<'PY'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
def png(path, ch, ctype):
    w, h = 300, 200
    px = [[((x * 7 + y * 3) ^ (x * y)) & 255, (x + 2 * y) & 255, (x * x + y) & 255] for y in range(h) for x in range(w)]
    raw = b''
    prev = bytes(w * ch)
    for y in range(h):
        row = bytes(v for x in range(w) for v in (px[y * w + x] + ([255] if ch == 4 else [])))
        f = y % 5
        out = bytearray(row)
        for i in range(len(row)):
            a = row[i - ch] if i >= ch else 0
            b = prev[i]
            c = prev[i - ch] if i >= ch else 0
            if f == 1: out[i] = (row[i] - a) & 255
            elif f == 2: out[i] = (row[i] - b) & 255
            elif f == 3: out[i] = (row[i] - (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                out[i] = (row[i] - pr) & 255
        raw += bytes([f]) + bytes(out)
        prev = row
    z = zlib.compress(raw, 9)
    data = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, ctype, 0, 0, 0))
    # two IDAT chunks: the stream must be joined back together
    data += chunk(b'IDAT', z[:1000]) + chunk(b'IDAT', z[1000:]) + chunk(b'IEND', b'')
    open(path, 'wb').write(data)
    open(path + '.idat', 'wb').write(z)
png(sys.argv[1] + '/rgb.png', 3, 2)
png(sys.argv[1] + '/rgba.png', 4, 6)
PY
for k in rgb rgba; do
    printf '# One\n\n![a](%s.png)\n\n---\n\n# Two\n\n<img src="%s.png" style="width: 50%%">\n\n[back](#1)\n' \
        "$k" "$k" >"$tmp/$k.md"
    "$deckle" -q -j 1 "$tmp/$k.md" -o "$tmp/$k.pdf"
    check "$k: PDF written" test -s "$tmp/$k.pdf"
done
check "qpdf --check is clean" sh -c "qpdf --check '$tmp/rgb.pdf' >'$tmp/check.txt' 2>&1"
pdfimages -list "$tmp/rgb.pdf" >"$tmp/list.txt" 2>&1
check "one image XObject for the picture on two pages" \
    [ "$(awk 'NR > 2 && $4 == 300 && $5 == 200 { print $11 }' "$tmp/list.txt" | sort -u | wc -l)" -eq 1 ]
check "shown on both pages" [ "$(awk 'NR > 2 && $4 == 300 { n++ } END { print n + 0 }' "$tmp/list.txt")" -eq 2 ]
obj=$(awk 'NR > 2 && $4 == 300 { print $11; exit }' "$tmp/list.txt")
qpdf --show-object="$obj" --raw-stream-data "$tmp/rgb.pdf" >"$tmp/raw.bin" 2>/dev/null
check "the image stream is the PNG's IDAT data, byte for byte" cmp -s "$tmp/raw.bin" "$tmp/rgb.png.idat"
qpdf --show-object="$obj" "$tmp/rgb.pdf" >"$tmp/dict.txt" 2>&1
check "read with /FlateDecode and PNG predictors" \
    sh -c "grep -q '/FlateDecode' '$tmp/dict.txt' && grep -q '/Predictor 15' '$tmp/dict.txt'"
show "$tmp/dict.txt"
pdftoppm -r 96 "$tmp/rgb.pdf" "$tmp/a" 2>"$tmp/pp.err"
pdftoppm -r 96 "$tmp/rgba.pdf" "$tmp/b" 2>>"$tmp/pp.err"
check "poppler reads both silently" test ! -s "$tmp/pp.err"
same=1
for f in "$tmp"/a-*.ppm; do cmp -s "$f" "$tmp/b-${f##*/a-}" || same=0; done
check "pass-through renders the same pixels as the decoded picture" [ "$same" = 1 ]
if command -v mutool >/dev/null 2>&1; then
    mutool draw -q -r 96 -o "$tmp/ma-%d.ppm" "$tmp/rgb.pdf" 2>/dev/null
    mutool draw -q -r 96 -o "$tmp/mb-%d.ppm" "$tmp/rgba.pdf" 2>/dev/null
    check "... in MuPDF too" sh -c "cmp -s '$tmp/ma-2.ppm' '$tmp/mb-2.ppm' && cmp -s '$tmp/ma-1.ppm' '$tmp/mb-1.ppm'"
fi
check "the link to slide 1 is kept" sh -c "qpdf --qdf --object-streams=disable '$tmp/rgb.pdf' - 2>/dev/null | grep -aq '/XYZ'"
"$deckle" -q -j 1 "$tmp/rgb.md" -o "$tmp/again.pdf"
check "SOURCE_DATE_EPOCH: the same bytes again" cmp -s "$tmp/rgb.pdf" "$tmp/again.pdf"
"$deckle" -q -j 1 "$tmp/rgb.md" -f png -o "$tmp/pa/"
"$deckle" -q -j 1 "$tmp/rgba.md" -f png -o "$tmp/pb/"
check "PNG output: the same pixels either way" \
    sh -c "cmp -s '$tmp/pa/rgb.001.png' '$tmp/pb/rgba.001.png' && cmp -s '$tmp/pa/rgb.002.png' '$tmp/pb/rgba.002.png'"
e2e_done
