#!/bin/sh
# The command line in scripts (issue 6): many decks, -o templates, standard
# input and output, every documented exit code, the --json report against
# doc/report.schema.json, --quiet / --verbose, and the help and man page
# naming every option.
#
# usage: sh tests/e2e/cli.sh PATH/TO/deckle SOURCE_DIR      (ctest runs it so)
# Prints `ok - ...` / `not ok - ...` per check; exits 1 if any failed.
# DK_E2E_KEEP=1 keeps the temporary folder.
set -u
. "$(dirname "$0")/lib/tap.sh"
e2e_init cli "$@"
seed=$src/samples/seed/deck.md

# rc WANT DESCRIPTION: the last command's exit status was WANT
rc_is() { check "$2 exits $1 (got $got)" [ "$got" -eq "$1" ]; }
is_pdf() { [ "$(head -c 5 "$1" 2>/dev/null)" = "%PDF-" ]; }
have_py_schema() { python3 -c 'import jsonschema' >/dev/null 2>&1; }
validate() {
    python3 - "$src/doc/report.schema.json" "$1" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.validate(json.load(open(sys.argv[2])), schema)
PY
}
# jq-free JSON queries: python prints the value of an expression on `r`
q() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(($2))" "$1"; }

cd "$tmp" || exit 1
mkdir -p decks/talks
cp "$src/samples/seed/"* decks/ 2>/dev/null
cp -r "$src/samples/seed/images" decks/ 2>/dev/null
printf '# One\n\nfirst deck\n\n---\n\n# Two\n\nsecond slide\n' >decks/talks/a.md
printf '# B\n\n![gone](missing.png)\n' >decks/talks/b.md
printf '# C\n\n<p style="colr: red">css typo</p>\n' >decks/talks/c.md

# ---- many inputs, templates --------------------------------------------------------------
"$deckle" -q decks/talks/a.md decks/talks/b.md decks/talks/c.md -o 'out/{name}.pdf'
got=$?; rc_is 0 "three decks with -o out/{name}.pdf"
check "out/a.pdf out/b.pdf out/c.pdf written" sh -c 'for f in a b c; do [ -s out/$f.pdf ] || exit 1; done'
check "a.pdf is a PDF" is_pdf out/a.pdf

"$deckle" -q decks/talks/*.md -o outdir/
got=$?; rc_is 0 "decks with -o FOLDER/"
check "-o FOLDER/ writes FOLDER/<name>.pdf for each deck" sh -c '[ -s outdir/a.pdf ] && [ -s outdir/c.pdf ]'

"$deckle" -q decks/talks/a.md -f png -o 'png/{dir}/{name}/{n}.png'
got=$?; rc_is 0 "-o png/{dir}/{name}/{n}.png"
check "{dir}/{name}/{n}: 001.png and 002.png" sh -c '[ -s png/decks/talks/a/001.png ] && [ -s png/decks/talks/a/002.png ]'
check "no staging folder left behind" [ -z "$(find png -name '.deckle-*')" ]

"$deckle" -q decks/talks/a.md decks/talks/a.md -o 'x.pdf' 2>clash.err
got=$?; rc_is 2 "two decks onto one -o file"
check "the clash is explained" grep -q "two decks would write" clash.err
"$deckle" -q decks/talks/a.md -o 'x/{n}.pdf' 2>n.err
got=$?; rc_is 2 "{n} with a PDF"

# ---- standard input and output -----------------------------------------------------------
"$deckle" -q - -o - <decks/talks/a.md >stdout.pdf
got=$?; rc_is 0 "'- -o -' (deck on stdin, PDF on stdout)"
check "stdout carries a PDF" is_pdf stdout.pdf
check "two pages on stdout" sh -c 'pdfinfo stdout.pdf 2>/dev/null | grep -Eq "^Pages: +2$" || ! command -v pdfinfo >/dev/null'
DECKLE_DATA=$tmp/nowhere "$deckle" -q - -o - <decks/talks/a.md >fail.pdf 2>fail.err
got=$?; rc_is 3 "a deck that cannot be rendered to stdout"
check "nothing written to stdout on failure" [ ! -s fail.pdf ]
"$deckle" -q - - <decks/talks/a.md >/dev/null 2>&1
got=$?; rc_is 2 "'-' twice"
"$deckle" -q decks/talks/a.md -f png -o - >/dev/null 2>&1
got=$?; rc_is 2 "-o - with a per-slide format"
"$deckle" -q - -f layout -o - <decks/talks/a.md >layout.json
got=$?; rc_is 0 "layout dump to stdout"
check "layout dump on stdout" grep -q '"slides"' layout.json

# ---- exit codes -------------------------------------------------------------------------------
"$deckle" -q decks/talks/a.md -o ok.pdf; got=$?; rc_is 0 "a clean deck"
"$deckle" -q --strict decks/talks/b.md -o strict.pdf; got=$?; rc_is 1 "--strict with a warning"
"$deckle" -q --strict decks/talks/a.md -o strict-ok.pdf; got=$?; rc_is 0 "--strict without warnings"
"$deckle" --no-such-option decks/talks/a.md 2>/dev/null; got=$?; rc_is 2 "an unknown option"
"$deckle" -j 0 decks/talks/a.md 2>/dev/null; got=$?; rc_is 2 "-j 0"
"$deckle" 2>/dev/null; got=$?; rc_is 2 "no deck"
"$deckle" -q decks/talks/nope.md 2>nope.err; got=$?; rc_is 3 "a missing deck"
check "the missing deck is named" grep -q "nope.md" nope.err
touch plainfile
"$deckle" -q decks/talks/a.md -o plainfile/a.pdf 2>/dev/null; got=$?; rc_is 4 "an output that cannot be written"
"$deckle" -q decks/talks/a.md decks/talks/nope.md decks/talks/c.md -o 'mix/{name}.pdf' 2>/dev/null
got=$?; rc_is 3 "a batch with one missing deck"
check "the others are written" sh -c '[ -s mix/a.pdf ] && [ -s mix/c.pdf ]'
"$deckle" -q decks/talks/a.md decks/talks/nope.md -o plainfile/'{name}'.pdf 2>/dev/null
got=$?; rc_is 4 "input and output failures: the worst (4) wins"

# ---- --json -------------------------------------------------------------------------------------
"$deckle" -q --json decks/talks/a.md decks/talks/b.md decks/talks/nope.md decks/talks/c.md \
    -o 'js/{name}.pdf' >report.json
got=$?; rc_is 3 "--json batch with a missing deck"
if have_py_schema; then
    check "the report validates against doc/report.schema.json" validate report.json
else
    echo "ok - # SKIP python3 jsonschema not installed"
fi
if command -v python3 >/dev/null 2>&1; then
    check "report: four decks in order" [ "$(q report.json '[d["file"].split("/")[-1] for d in r["decks"]]')" = "['a.md', 'b.md', 'nope.md', 'c.md']" ]
    check "report: exit_code 3" [ "$(q report.json 'r["exit_code"]')" = 3 ]
    check "report: a.md has 2 slides, both rendered" [ "$(q report.json 'r["decks"][0]["slides"], r["decks"][0]["rendered"]')" = "(2, [1, 2])" ]
    check "report: a.md's output" [ "$(q report.json 'r["decks"][0]["outputs"]')" = "['js/a.pdf']" ]
    check "report: b.md warns image-missing at line 3, slide 1" \
        [ "$(q report.json '[(w["code"], w["line"], w["column"] > 0, w["slide"]) for w in r["decks"][1]["warnings"]]')" = "[('image-missing', 3, True, 1)]" ]
    check "report: nope.md is bad-input with an input-unreadable error" \
        [ "$(q report.json 'r["decks"][2]["status"], [e["code"] for e in r["decks"][2]["errors"]]')" = "('bad-input', ['input-unreadable'])" ]
    check "report: c.md warns css-unknown-property" \
        [ "$(q report.json '[w["code"] for w in r["decks"][3]["warnings"]]')" = "['css-unknown-property']" ]
    check "report: summary" [ "$(q report.json 'r["summary"]')" = "{'decks': 4, 'failed': 1, 'warnings': 2, 'errors': 1, 'outputs': 3}" ]
fi
"$deckle" -q --json "$seed" -o seed.pdf >seed.json
got=$?; rc_is 0 "--json on the seed deck"
if command -v python3 >/dev/null 2>&1; then
    check "seed: the mojibake repair is a 'mojibake' warning on slide 2" \
        [ "$(q seed.json '[(w["code"], w["slide"]) for w in r["decks"][0]["warnings"]]')" = "[('mojibake', 2)]" ]
fi
# an overflowing slide
python3 -c "print('# Long\n\n' + '\n'.join('- item %d with some words to fill the line' % i for i in range(80)))" >decks/talks/long.md
"$deckle" -q --json decks/talks/long.md -o long.pdf >long.json
got=$?; rc_is 0 "a slide that overflows"
check "report: overflowed [1]" [ "$(q long.json 'r["decks"][0]["overflowed"]')" = "[1]" ]

# ---- stderr: quiet, verbose, file:line:col ----------------------------------------------
"$deckle" decks/talks/b.md -o b1.pdf 2>warn.err
check "warnings as FILE:LINE:COL: warning:" grep -q '^decks/talks/b\.md:3:[0-9]*: warning: ' warn.err
"$deckle" -q decks/talks/b.md -o b2.pdf 2>quiet.err
check "--quiet: nothing on stderr" [ ! -s quiet.err ]
"$deckle" -v decks/talks/long.md -o long2.pdf 2>verbose.err
check "--verbose: notes too" grep -q ': note: ' verbose.err

# ---- progress bar: only on a terminal, only when not --quiet, after a moment (0.3 s) ----
# (80 slides as 4K PNGs: a run that lasts well past that moment on any machine)
i=1
while [ $i -le 40 ]; do cp decks/talks/a.md "decks/talks/p$i.md"; i=$((i + 1)); done
"$deckle" -j 2 decks/talks/p*.md -f png --scale 3 -o 'prog/{name}/' 2>noterm.err
check "no progress bar when stderr is not a terminal" sh -c '! grep -q "slides" noterm.err'
if command -v script >/dev/null 2>&1; then
    script -qec "'$deckle' -j 2 decks/talks/p*.md -f png --scale 3 -o 'prog/{name}/'" /dev/null >tty.out 2>&1
    check "a progress bar on a terminal" grep -q '\[#*\.*\] *[0-9]*%  [0-9]* slides, [0-9]*/40 decks' tty.out
    check "the bar ends at 100%" grep -q '100%  80 slides, 40/40 decks' tty.out
    script -qec "'$deckle' -q -j 2 decks/talks/p*.md -f png --scale 3 -o 'prog/{name}/'" /dev/null >ttyq.out 2>&1
    check "--quiet: no progress bar" sh -c '! grep -q "slides" ttyq.out'
else
    echo "ok - # SKIP no script(1) for a pseudo-terminal"
fi

# ---- help and man page describe every option ----------------------------------------
"$deckle" --help >help.txt
for opt in output format jobs json watch pages scale size handout paper notes transparent \
    compression theme no-fix-text allow-outside strict quiet verbose help version; do
    check "--help names --$opt" grep -q -- "--$opt" help.txt
    check "deckle.1 names --$opt" grep -q -- "-$(echo "$opt" | sed 's/-/\\\\-/g')" "$src/doc/deckle.1"
done
for code in 0 1 2 3 4; do
    check "--help documents exit code $code" grep -Eq "(^|[ ;:])$code [a-z]" help.txt
done
check "README documents exit code 4" grep -q "4.*output could not be written" "$src/README.md"
"$deckle" --version >version.txt
check "--version names the data folder" grep -q '^data: ' version.txt

e2e_done
