#!/bin/sh
# `cmake --install` into a temporary prefix (issue 6): the binary, libdeckle
# (static and shared), deckle.h, themes, fonts and the man page land there;
# the installed binary finds its data under the prefix (not the source tree)
# and renders the seed deck; a small program built against the installed
# header and shared library renders a deck from memory and hears its
# diagnostics, with their codes, through the callback.
#
# usage: sh tests/e2e/cli_install.sh PATH/TO/deckle SOURCE_DIR
# (the build folder is the folder of PATH/TO/deckle)
set -u
. "$(dirname "$0")/lib/tap.sh"
e2e_init install "$@"
build=$(cd "$(dirname "$1")" && pwd)
command -v cmake >/dev/null 2>&1 || { echo "ok - # SKIP no cmake"; exit 77; }
[ -f "$build/cmake_install.cmake" ] || { echo "ok - # SKIP $build is not a CMake build folder"; exit 77; }

prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >install.log 2>&1 || true
mv install.log "$tmp/" 2>/dev/null
for f in bin/deckle lib/libdeckle.a lib/libdeckle.so include/deckle.h share/man/man1/deckle.1 \
    share/deckle/themes/default.css; do
    check "installed $f" [ -e "$prefix/$f" ]
done
check "installed fonts" [ -n "$(ls "$prefix/share/deckle/fonts/" 2>/dev/null)" ]

unset DECKLE_DATA
"$prefix/bin/deckle" --version >"$tmp/version.txt" 2>&1
check "the installed binary uses the prefix's data ($(sed -n 2p "$tmp/version.txt"))" \
    grep -qx "data: $(cd "$prefix/share/deckle" && pwd -P)" "$tmp/version.txt"
"$prefix/bin/deckle" -q "$src/samples/seed/deck.md" -o "$tmp/seed.pdf"
rc=$?
check "the installed binary renders the seed deck (exit $rc)" [ $rc -eq 0 ]
check "seed.pdf has 6 pages" sh -c "pdfinfo '$tmp/seed.pdf' 2>/dev/null | grep -Eq '^Pages: +6$' || { ! command -v pdfinfo >/dev/null && [ -s '$tmp/seed.pdf' ]; }"
if command -v man >/dev/null 2>&1; then
    check "man page renders" sh -c "MANWIDTH=80 man -l '$prefix/share/man/man1/deckle.1' 2>/dev/null | grep -q 'EXIT STATUS'"
fi
check "the shared library exports the API only" \
    sh -c "nm -D --defined-only '$prefix/lib/libdeckle.so' | awk '{print \$3}' | grep -v '^deckle_' | grep -v '^_' | grep -q . && exit 1 || exit 0"

# a program against the installed header and library
cat >"$tmp/embed.c" <<'C'
#include <deckle.h>
#include <stdio.h>
#include <string.h>
static int nwarn, outputs;
static char codes[256];
static void diag(void *ud, const deckle_diagnostic *d) {
    (void)ud;
    if (d->level == DECKLE_WARNING) nwarn++;
    strncat(codes, d->code, sizeof codes - strlen(codes) - 2);
    strcat(codes, " ");
    printf("diag %d:%d slide %d %s: %s\n", d->line, d->column, d->slide, d->code, d->message);
}
static void output(void *ud, const char *p) { (void)ud; outputs++; printf("output %s\n", p); }
int main(int argc, char **argv) {
    const char *deck = "# Card\n\n<p style=\"colr: red\">hello</p>\n\n---\n\n# Two\n";
    deckle_options *o = deckle_options_new();
    if (!o || argc < 2) return 10;
    if (deckle_options_set(o, "format", "png") != DECKLE_OK) return 11;
    if (deckle_options_set(o, "output", argv[1]) != DECKLE_OK) return 12;
    if (deckle_options_set(o, "nonsense", "1") != DECKLE_EUSAGE) return 13;
    deckle_callbacks cb = {NULL, diag, NULL, NULL, output, NULL};
    deckle_options_set_callbacks(o, &cb);
    deckle_status st = deckle_render_memory("card.md", deck, strlen(deck), o);
    deckle_options_free(o);
    printf("status %s, %d warning(s), %d output(s), codes %s\n", deckle_status_string(st), nwarn,
           outputs, codes);
    return st == DECKLE_OK && nwarn == 1 && outputs == 2 && strstr(codes, "css-unknown-property") ? 0 : 1;
}
C
san=
nm -D "$prefix/lib/libdeckle.so" 2>/dev/null | grep -q __asan_init && san=-fsanitize=address,undefined
if command -v cc >/dev/null 2>&1; then
    cc $san -std=c11 -Wall -Werror -I"$prefix/include" -o "$tmp/embed" "$tmp/embed.c" \
        -L"$prefix/lib" -ldeckle -Wl,-rpath,"$prefix/lib" 2>"$tmp/cc.err"
    rc=$?
    check "a program compiles and links against the installed deckle.h and libdeckle.so" [ $rc -eq 0 ]
    [ $rc -eq 0 ] || sed 's/^/#   /' "$tmp/cc.err" | head -20
    if [ $rc -eq 0 ]; then
        (cd "$tmp" && ./embed 'cards/{name}.{n}.png') >"$tmp/embed.out" 2>&1
        rc=$?
        check "it renders a deck from memory with callbacks (exit $rc)" [ $rc -eq 0 ]
        [ $rc -eq 0 ] || sed 's/^/#   /' "$tmp/embed.out"
        check "two PNGs written from memory" [ -s "$tmp/cards/card.001.png" -a -s "$tmp/cards/card.002.png" ]
    fi
else
    echo "ok - # SKIP no C compiler for the library check"
fi
e2e_done
