#!/bin/sh
# End to end over the real decks in ../shared/corpus (see its MANIFEST.md):
# every deck renders to PNG and to PDF with no crash and no error exit, into
# the number of slides the table below expects, with every PNG written, and
# with no warning but the ones the table lists for that deck. Warnings that
# follow the CSS engine's coverage (css-*, overflow, missing-glyph) are
# allowed everywhere; the others name what is really missing in the deck
# (remote or absent images, themes that are not shipped with it).
#
# usage: sh tests/e2e/corpus.sh PATH/TO/deckle SOURCE_DIR   (ctest runs it so)
# Skips (exit 77) when SOURCE_DIR/../shared/corpus is absent, or
# $DECKLE_CORPUS names another folder. Prints `ok - ...` / `not ok - ...`;
# exits 1 if any check failed. DK_E2E_KEEP=1 keeps the output folder.
set -u

if [ $# -ne 2 ]; then
    echo "usage: sh $0 PATH/TO/deckle SOURCE_DIR" >&2
    exit 2
fi
deckle=$1
corpus=${DECKLE_CORPUS:-$2/../shared/corpus}
if [ ! -f "$corpus/MANIFEST.md" ]; then
    echo "# skipped: no corpus at $corpus"
    exit 77
fi
command -v python3 >/dev/null 2>&1 || { echo "# skipped: no python3"; exit 77; }
case $deckle in /*) ;; *) deckle=$(pwd)/$deckle ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/deckle-corpus.XXXXXX") || exit 1
if [ "${DK_E2E_KEEP:-}" ]; then
    echo "# keeping $tmp"
else
    trap 'rm -rf "$tmp"' EXIT
    trap 'exit 1' INT TERM
fi

# deck (entry file) | slides | warning codes the deck may give (- for none)
# Slide counts: the MANIFEST's, read with our split rules (front matter is
# not a slide; Slidev per-slide front matter is not a slide either; an
# opening "title" chunk before the first separator is one).
cat > "$tmp/table" <<'EOF'
advanced-slides-consult/Presentation.md|13|theme-missing
ddps-marp-ko/sample.md|13|image-remote marp-theme-name
gem5-cores/slides/02-Using-gem5/04-cores.md|34|-
gem5-simulation-background/slides/01-Introduction/01-simulation-background.md|41|-
hedgedoc-slide-example/slide-example.md|27|image-remote
hfut-marp-zh/example1/hfut-awesome-marp.md|27|image-remote image-outside
lookatme-tour/tour.md|6|-
marp-academic-ja/demo.md|6|image-missing
marp-cli-demo/demo.md|3|-
marp-cli-example/PITCHME.md|8|image-remote
marp-heading-divider/sample.md|11|-
marp-irtforests/slides.md|64|-
marp-vscode-example/example.md|2|image-remote
marpit-workshop/marp_slides.md|16|image-remote
marpstyle-ai-pt/main.md|115|image-remote
marpstyle-einstein/examples/example-einstein.md|26|image-remote image-outside
marpstyle-copernicus/examples/example-copernicus.md|20|image-remote image-missing image-outside
md2googleslides-example/example.md|22|image-remote image-no-src
reveal-md-custom-separator/c.md|4|theme-missing
reveal-md-demo/a.md|4|-
reveal-md-mermaid/presentation.md|4|-
slides-extended-fenced-separator/fenced-separator.md|4|-
slides-extended-math/math-test.md|16|-
slides-extended-mermaid-frontmatter/mermaid-test.md|1|-
slides-extended-syntax/syntax-test.md|11|theme-missing marp-embed-note
slidesdown-showcase/SLIDES.md|70|theme-missing image-remote image-missing
slidev-modern-django-fa/slides.md|16|theme-missing image-remote image-missing
slidev-starter/slides.md|16|theme-missing image-remote
slidev-theme-shibainu/example.md|14|theme-missing
slidev-wireshark-fa/slides.md|12|theme-missing image-missing
terminal-slides/slides.md|7|-
younsl-eks-security-ko/slide-deck.md|14|image-missing
younsl-infra-for-sales-ko/slide-deck.md|23|image-missing
EOF

decks=$(cut -d'|' -f1 "$tmp/table")
cd "$corpus" || exit 1
# shellcheck disable=SC2086
"$deckle" $decks -f png -o "$tmp/png/{dir}/" -j 2 --strict --json >"$tmp/png.json" 2>"$tmp/png.err"
echo "$?" >"$tmp/png.rc"
# shellcheck disable=SC2086
"$deckle" $decks -o "$tmp/pdf/{dir}/{name}.pdf" -j 2 --strict --json >"$tmp/pdf.json" 2>"$tmp/pdf.err"
echo "$?" >"$tmp/pdf.rc"

python3 - "$tmp" <<'EOF'
import json, os, sys
tmp = sys.argv[1]
common = ("css-", "overflow", "missing-glyph")
table = {}
for line in open(os.path.join(tmp, "table")):
    deck, n, codes = line.rstrip("\n").split("|")
    table[deck] = (int(n), set() if codes == "-" else set(codes.split()))
failed = 0
def check(ok, what):
    global failed
    print(("ok - " if ok else "not ok - ") + what)
    failed += not ok
for kind in ("png", "pdf"):
    rc = int(open(os.path.join(tmp, kind + ".rc")).read())
    check(rc in (0, 1), "%s run exits 0 or 1 (got %d)" % (kind, rc))
    try:
        report = json.load(open(os.path.join(tmp, kind + ".json")))
    except ValueError as e:
        check(False, "%s report is JSON (%s)" % (kind, e))
        continue
    seen = {d["file"]: d for d in report["decks"]}
    for deck, (want, allowed) in table.items():
        d = seen.get(deck)
        if not d:
            check(False, "%s %s: in the report" % (kind, deck))
            continue
        check(d["slides"] == want, "%s %s: %d slides (want %d)" % (kind, deck, d["slides"], want))
        codes = {w["code"] for w in d["warnings"]}
        extra = sorted(c for c in codes - allowed if not c.startswith(common))
        check(d["exit_code"] in (0, 1) and not d["errors"] and not extra,
              "%s %s: exit %d, %d errors, unexpected warnings %s"
              % (kind, deck, d["exit_code"], len(d["errors"]) if isinstance(d["errors"], list)
                 else d["errors"], extra or "none"))
        outs = d["outputs"]
        if kind == "png":
            check(len(outs) == want and all(os.path.getsize(f) > 0 for f in outs),
                  "png %s: %d PNGs written" % (deck, len(outs)))
        else:
            ok = len(outs) == 1 and open(outs[0], "rb").read(5) == b"%PDF-"
            check(ok, "pdf %s: PDF written" % deck)
print("# %d failed" % failed)
sys.exit(1 if failed else 0)
EOF
status=$?
if [ $status -ne 0 ]; then
    sed 's/^/# /' "$tmp/png.err" | head -40
fi
exit $status
