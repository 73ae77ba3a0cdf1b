#!/bin/sh
# A large PDF is written in parts and joined (src/writer/pdf.c): with -j 2
# the CLI renders the parts on two workers and joins them in the parent
# (deckle_pdf_join). The file is the one -j 1 writes, byte for byte; every
# page, outline entry, page label and link to a slide is there, links
# across the split included; the images are real image data, not stand-ins,
# and an image shown on both sides of the split is in the file once;
# nothing of the parts is left behind. A deck too small for parts is
# written whole by the first worker.
#
# usage: sh tests/e2e/pdf_parts.sh PATH/TO/deckle SOURCE_DIR
# Exits 77 (skip) without python3 or qpdf.
set -u
. "$(dirname "$0")/lib/tap.sh"
e2e_init pdf_parts "$@"
for t in python3 qpdf; do
    command -v "$t" >/dev/null 2>&1 || { echo "ok - # SKIP $t is not installed"; exit 77; }
done
cd "$tmp" || exit 1
export SOURCE_DATE_EPOCH=1700000000
cp "$src/samples/seed/Pasted image 20250325101836.png" chart.png

# 140 slides: slide 3 links forward past the split (to 120), 120 links back to 3
{
    printf '# Parts\n\nA deck long enough to be written in two parts.\n'
    i=2
    while [ $i -le 140 ]; do
        printf '\n---\n\n## Slide %d\n\n' $i
        [ $i = 3 ] && printf '[forward](#120)\n\n'
        [ $i = 120 ] && printf '[back](#3)\n\n'
        [ $((i % 20)) = 0 ] && printf '![chart](chart.png)\n\n'
        printf 'Text of slide %d.\n' $i
        i=$((i + 1))
    done
} >big.md
mkdir one two
"$deckle" -q -j 1 big.md -o one/big.pdf
r1=$?
"$deckle" -q -j 2 big.md -o two/big.pdf
r2=$?
check "both runs succeed (exit $r1, $r2)" [ $r1 = 0 -a $r2 = 0 ]
check "-j 2 writes the same bytes as -j 1" cmp one/big.pdf two/big.pdf
check "qpdf finds the joined file sound" sh -c 'qpdf --check two/big.pdf >check.txt 2>&1'
show check.txt
check "no parts left beside the output" [ "$(ls -A two)" = big.pdf ]
check "no parts left beside the deck" sh -c '! ls -A | grep -q part'

python3 - two/big.pdf >facts.txt <<'PY'
import json, subprocess, sys
j = json.loads(subprocess.run(["qpdf", "--json=2", sys.argv[1]], capture_output=True, text=True).stdout)
objs = j["qpdf"][1]
pages = [p["object"] for p in j["pages"]]
print("pages", len(pages))
print("outlines", len(j["outlines"]))
labels = j.get("pagelabels", [])
print("labels", ",".join(str(l["label"].get("/St", 1)) for l in labels))
def dest_page(annot):
    d = annot.get("/Dest") or (annot.get("/A") or {}).get("/D")
    return pages.index(d[0]) + 1 if isinstance(d, list) else None
for n in (3, 120):
    page = objs["obj:" + pages[n - 1]]["value"]
    annots = page.get("/Annots", [])
    targets = [dest_page(objs["obj:" + a]["value"]) for a in annots]
    print("slide", n, "links to", ",".join(str(t) for t in targets if t))
images = [o["stream"]["dict"] for o in objs.values()
          if isinstance(o, dict) and "stream" in o and o["stream"]["dict"].get("/Subtype") == "/Image"]
print("stand-ins", sum(1 for d in images if d.get("/Filter") == "/DCTDecode"))
print("pngs", sum(1 for d in images if d.get("/Filter") == "/FlateDecode" and d.get("/Width", 0) > 100))
PY
show facts.txt
check "140 pages" grep -qx "pages 140" facts.txt
check "140 outline entries" grep -qx "outlines 140" facts.txt
check "the pages are labelled 1 on" grep -qx "labels 1" facts.txt
check "slide 3 links to page 120, across the split" grep -qx "slide 3 links to 120" facts.txt
check "slide 120 links back to page 3" grep -qx "slide 120 links to 3" facts.txt
check "no image is left a stand-in" grep -qx "stand-ins 0" facts.txt
check "the chart is there once, as PNG data, for pages on both sides of the split" grep -qx "pngs 1" facts.txt

# small: one worker writes it whole, the other does nothing
printf '# Small\n\n---\n\n## Two\n' >small.md
"$deckle" -q -j 1 small.md -o one/small.pdf && "$deckle" -q -j 2 small.md -o two/small.pdf
check "a small deck: the same bytes with -j 2" cmp one/small.pdf two/small.pdf
check "a small deck leaves nothing behind" [ "$(ls -A two | tr '\n' ' ')" = "big.pdf small.pdf " ]

# a part that fails: no PDF, nothing left behind, the error named
printf '# Broken\n\n---\n\n## Two\n' >broken.md
i=3
while [ $i -le 140 ]; do printf '\n---\n\n## %d\n' $i >>broken.md; i=$((i + 1)); done
mkdir ro && chmod 555 ro
if [ "$(id -u)" != 0 ]; then
    "$deckle" -q -j 2 broken.md -o ro/broken.pdf 2>err.txt
    r=$?
    check "an unwritable output fails (exit $r)" [ $r -ne 0 ]
    check "no parts left in the unwritable folder" [ -z "$(ls -A ro)" ]
else
    echo "ok - # SKIP root writes anywhere"
fi
e2e_done
