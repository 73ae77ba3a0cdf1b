#!/bin/sh
# libqpdf and librsvg are loaded when first needed (dlopen: pdffix.c,
# image.c). Without them deckle still does what it can: a PDF fails with a
# message that names the library, exit 4 and no file left behind; PNG
# output, which needs neither, works; an SVG image becomes a warning and a
# placeholder. The libraries are hidden by a dlopen() shim put in front
# with LD_PRELOAD, built here.
#
# usage: sh tests/e2e/cli_nolib.sh PATH/TO/deckle SOURCE_DIR
# Exits 77 (skip) without a C compiler.
set -u
. "$(dirname "$0")/lib/tap.sh"
e2e_init cli_nolib "$@"
cd "$tmp" || exit 1
cc=${CC:-cc}
command -v "$cc" >/dev/null 2>&1 || { echo "ok - # SKIP no C compiler"; exit 77; }

cat >nolib.c <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>
/* dlopen() that fails for libqpdf and librsvg, as on a system without them */
void *dlopen(const char *file, int mode) {
    static void *(*real)(const char *, int);
    if (file && (strstr(file, "libqpdf") || strstr(file, "librsvg"))) return NULL;
    if (!real) *(void **)&real = dlsym(RTLD_NEXT, "dlopen");
    return real(file, mode);
}
EOF
if ! "$cc" -shared -fPIC -o nolib.so nolib.c -ldl 2>cc.err; then
    show cc.err
    echo "ok - # SKIP the shim does not build"
    exit 77
fi
# an ASan build wants its runtime first; the shim goes before it
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

cat >logo.svg <<'EOF'
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100"><rect width="200" height="100" fill="#2a6"/></svg>
EOF
printf '# Title\n\nSome text.\n\n---\n\n## Logo\n\n![logo](logo.svg)\n' >deck.md

mkdir pdf png
LD_PRELOAD=$tmp/nolib.so "$deckle" deck.md -o pdf/deck.pdf 2>pdf.err
rc=$?
check "PDF without libqpdf: exit 4 (got $rc)" [ $rc -eq 4 ]
check "... the message names the library" grep -q "PDF output needs libqpdf.*could not be loaded" pdf.err
show pdf.err
check "... and nothing is left in the output folder" [ -z "$(ls -A pdf)" ]

LD_PRELOAD=$tmp/nolib.so "$deckle" deck.md -f png -o png/ 2>png.err
rc=$?
check "PNG without either library: exit 0 (got $rc)" [ $rc -eq 0 ]
check "... both slides written" [ -s png/deck.001.png -a -s png/deck.002.png ]
check "... the SVG is a warning that names librsvg" grep -q "deck.md:.*warning:.*SVG images need librsvg" png.err
show png.err

# the same deck with the libraries: a PDF, and no warning
"$deckle" -q deck.md -o pdf/deck.pdf
check "with the libraries the PDF is written" [ -s pdf/deck.pdf ]

e2e_done
