#!/bin/sh
# End to end: hostile and broken input (issue 7; tests/LIMITS.md lists the
# rules). Every input is generated here. Each case must finish (ctest's
# TIMEOUT is the hang guard), exit as documented, say something useful on
# one line per problem, and never leave a partial output or destroy an old one.
#
# usage: sh tests/e2e/hostile.sh PATH/TO/deckle SOURCE_DIR      (ctest runs it so)
# Prints `ok - ...` / `not ok - ...`; exits 1 if any failed. DK_E2E_KEEP=1 keeps the folder.
set -u
. "$(dirname "$0")/lib/tap.sh"
e2e_init hostile "$@"
command -v python3 >/dev/null 2>&1 || { echo "# skip: python3 generates the inputs"; exit 77; }
cd "$tmp" || exit 1

# run deckle with one worker, stderr to err.txt; $rc is its exit status
run() { "$deckle" -j 1 "$@" >out.txt 2>err.txt; rc=$?; }
rc_is() { [ "$rc" -eq "$1" ] || { echo "#   exit $rc, want $1"; sed 's/^/#   /' err.txt | head -5; return 1; }; }
says() { grep -q -- "$1" err.txt || { echo "#   stderr lacks: $1"; sed 's/^/#   /' err.txt | head -5; return 1; }; }
# every stderr line is a diagnostic (FILE: or FILE:LINE:COL: level: ...) or deckle: usage
clean_stderr() {
    ! grep -Ev '^([^:]+(:[0-9]+:[0-9]+)?: (warning|error|note): |deckle: )' err.txt | grep -q . || {
        echo "#   noise on stderr:"; grep -Ev '^([^:]+(:[0-9]+:[0-9]+)?: (warning|error|note): |deckle: )' err.txt | head -3 | sed 's/^/#   /'; return 1; }
}
no_tmp_left() { ! ls -a "$1" | grep -q '\.tmp-\|\.deckle-'; }

gen() { python3 -c "$1"; }

# ---- images: broken, mislabelled, huge, remote -------------------------------------------
mkdir -p proj/.git proj/talk proj/img outside
cp "$src/tests/data/marp/sun.png" proj/img/ok.png
head -c 100 proj/img/ok.png >proj/img/truncated.png
gen "
import struct, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
sig = b'\x89PNG\r\n\x1a\n'
open('proj/img/bomb.png', 'wb').write(sig + chunk(b'IHDR', struct.pack('>IIBBBBB', 60000, 60000, 8, 2, 0, 0, 0))
    + chunk(b'IDAT', zlib.compress(b'\0' * 4096)) + chunk(b'IEND', b''))
open('proj/img/zero.png', 'wb').write(sig + chunk(b'IHDR', struct.pack('>IIBBBBB', 0, 0, 8, 2, 0, 0, 0)) + chunk(b'IEND', b''))
open('proj/img/corrupt.png', 'wb').write(sig + b'\x00\x00\x00\x0dIHDR' + bytes(range(256)) * 4)
open('proj/img/corrupt.jpg', 'wb').write(b'\xff\xd8\xff\xe0' + bytes(range(256)) * 8)
open('proj/img/bomb.svg', 'w').write('<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900000\" height=\"900000\"/>')
"
echo "this is just text" >proj/img/text.png
: >proj/img/empty.png
mkfifo proj/img/fifo.png 2>/dev/null || cp proj/img/empty.png proj/img/fifo.png
echo "secret" >outside/secret.png
cp proj/img/ok.png outside/ok.png
ln -s ../../outside/ok.png proj/img/link-out.png
ln -s ok.png proj/img/link-in.png
cat >proj/talk/images.md <<'EOF'
# images

![ok](../img/ok.png) ![in](../img/link-in.png)
![truncated](../img/truncated.png)
![bomb](../img/bomb.png)
![zero](../img/zero.png)
![corrupt](../img/corrupt.png)
![corrupt jpeg](../img/corrupt.jpg)
![svg bomb](../img/bomb.svg)
![text](../img/text.png)
![empty](../img/empty.png)
![fifo](../img/fifo.png)
![remote](https://example.invalid/x.png)
![remote 2](http://10.255.255.1/slow.png)
![link out](../img/link-out.png)
![passwd](../../../../../../../etc/passwd)
![absolute](/etc/passwd)
![outside](../../outside/ok.png)
EOF
start=$(date +%s)
run proj/talk/images.md -o proj/talk/images.pdf
end=$(date +%s)
check "broken images: the deck still renders (exit 0)" rc_is 0
check "a PDF is written" test -s proj/talk/images.pdf
check "remote URLs are not fetched, no network wait (< 20 s)" test $((end - start)) -lt 20
check "remote: warning" says "remote.*not fetched"
check "truncated PNG: warning" says "'../img/truncated.png'"
check "60000x60000 PNG: too large" says "'../img/bomb.png': image dimensions are too large"
check "zero-sized PNG: warning" says "'../img/zero.png'"
check "corrupt PNG: warning" says "'../img/corrupt.png'"
check "corrupt JPEG: warning" says "'../img/corrupt.jpg': broken JPEG"
check "huge SVG: too large" says "'../img/bomb.svg': image dimensions are too large"
check "text named .png: not an image" says "'../img/text.png': not an image"
check "empty file: warning" says "'../img/empty.png'"
check "FIFO: not read (no hang)" says "'../img/fifo.png'"
check "symlink inside the project: fine" sh -c '! grep -q "link-in" err.txt'
check "symlink pointing outside: refused" says "'../img/link-out.png': outside the deck's project folder"
check "../../etc/passwd: refused" says "etc/passwd': outside the deck's project folder"
check "/etc/passwd: refused" says "'/etc/passwd': outside the deck's project folder"
check "a folder beside the project: refused" says "'../../outside/ok.png': outside"
check "warnings carry line:col" says "images.md:4:[0-9]*: warning: image '../img/truncated.png'"
check "image warnings: one line each, no library noise" clean_stderr
check "the secret was not embedded" sh -c '! grep -aq secret proj/talk/images.pdf'

printf '# a\n\n![o](../../outside/ok.png)\n' >proj/talk/assets.md
run proj/talk/assets.md --assets outside -o proj/talk/assets.pdf
check "--assets DIR: images from DIR are read" sh -c "! grep -q outside err.txt && [ $rc -eq 0 ]"
run proj/talk/assets.md --assets outside/ok.png -o proj/talk/assets.pdf
check "--assets FILE: usage error" rc_is 2
run proj/talk/assets.md --allow-any-path -o proj/talk/assets.pdf
check "--allow-any-path lifts the rule" sh -c "! grep -q outside err.txt && [ $rc -eq 0 ]"
run proj/talk/assets.md --allow-outside -o proj/talk/assets.pdf
check "--allow-outside still works (alias)" sh -c "! grep -q outside err.txt && [ $rc -eq 0 ]"
printf '# b\n\n![p](../../../../../../etc/passwd)\n' >proj/talk/any.md
run proj/talk/any.md --allow-any-path -o proj/talk/any.pdf
check "--allow-any-path: /etc/passwd is still not an image" says "not an image"
printf 'section { background: red }\n' >outside/theme.css
cp outside/theme.css proj/theme.css
printf -- '---\ntheme: ../../outside/theme.css\n---\n# t\n' >proj/talk/theme-out.md
run proj/talk/theme-out.md -o proj/talk/theme-out.pdf
check "front-matter theme outside the project: refused at its line" \
    says "theme-out.md:2:8: warning: theme '../../outside/theme.css' cannot be used (outside"
printf -- '---\ntheme: ../theme.css\n---\n# t\n' >proj/talk/theme-in.md
run proj/talk/theme-in.md -o proj/talk/theme-in.pdf
check "front-matter theme inside the project: read" sh -c "! grep -q theme err.txt && [ $rc -eq 0 ]"

# ---- text input ----------------------------------------------------------------------------
printf '# Caf\351\n\nna\357ve \223quoted\224\n' >latin1.md
run latin1.md -f html -o latin1/
check "Latin-1: decoded with a warning" sh -c "[ $rc -eq 0 ] && grep -q 'not UTF-8; read as Windows-1252' err.txt"
check "Latin-1: the text is right" grep -q 'Café' latin1/latin1.001.html
check "Latin-1: Windows-1252 quotes" grep -q '“quoted”' latin1/latin1.001.html
printf '# ok \303\251\n\nbad \377 here\nand \303 there\n' >bad.md
run bad.md -f layout -o bad.json
check "invalid UTF-8: warning at line:col" says "bad.md:3:5: warning: invalid UTF-8"
check "invalid UTF-8: the second place too" says "bad.md:4:5: warning: invalid UTF-8"
printf '# nul\n\na\000b\n' >nul.md
run nul.md -f layout -o nul.json
check "NUL byte: replaced, warned at line:col" sh -c "[ $rc -eq 0 ] && grep -q 'nul.md:3:2: warning: NUL byte' err.txt"
printf '\357\273\277# one\r\n\r\ntext\r\n\r\n---\r\n\r\n# two\r\n' >crlf.md
printf '# one\n\ntext\n\n---\n\n# two\n' >lf.md
run crlf.md -f layout -o crlf.json
check "BOM + CRLF: two slides, no warning" sh -c "[ $rc -eq 0 ] && [ ! -s err.txt ] && [ \$(grep -o '\"slide\"' crlf.json | wc -l) -ge 0 ]"
run lf.md -f layout -o lf.json
check "BOM + CRLF lays out like LF" cmp -s crlf.json lf.json
printf '# old mac\r\rtext\r' >cr.md
run cr.md -f html -o cr/
check "CR line ends: read as lines" sh -c "[ $rc -eq 0 ] && grep -q '<h1[^>]*>old mac</h1>' cr/cr.001.html"
gen "open('u16.md', 'wb').write('# UTF-16 — ok\n'.encode('utf-16'))"
run u16.md -f layout -o u16.json
check "UTF-16 with BOM: decoded with a warning" sh -c "[ $rc -eq 0 ] && grep -q 'read as UTF-16' err.txt"
cp "$deckle" prog.md
run prog.md -o prog.pdf
check "a binary file: refused (exit 3)" rc_is 3
check "a binary file: one clear error" sh -c "grep -q 'prog.md: error: this is a program, not a Markdown deck' err.txt && [ \$(wc -l <err.txt) -eq 1 ]"
check "a binary file: no output" test ! -e prog.pdf
head -c 300000 /dev/urandom >random.md
run random.md -o random.pdf
check "random bytes: refused (exit 3)" rc_is 3

# ---- limits --------------------------------------------------------------------------------
gen "open('huge.md', 'w').write('# big\n\n' + ('word ' * 13421773))"
run huge.md -o huge.pdf
check "a 64 MB deck: refused (exit 3)" rc_is 3
check "a 64 MB deck: says the limit" says "huge.md: error: the deck is larger than 16 MB"
check "a 64 MB deck: no output" test ! -e huge.pdf
head -c 70000000 /dev/zero | tr '\0' 'a' | "$deckle" -j 1 - -o - >/dev/null 2>err.txt
check "an endless pipe: refused after the limit" says "<stdin>: error: the deck is larger than 16 MB"
gen "open('slides.md', 'w').write('\n---\n'.join('# s%d' % i for i in range(2500)))"
run slides.md -f layout -o slides.json
check "2500 slides: the first 2000 rendered, warned" sh -c "[ $rc -eq 0 ] && grep -q 'the deck has 2500 slides; only the first 2000' err.txt"
gen "open('quotes.md', 'w').write('> ' * 10000 + 'deep\n')"
run quotes.md -f layout -o quotes.json
check "10,000 nested quotes: finishes, warns once" sh -c "[ $rc -eq 0 ] && [ \$(grep -c 'nested deeper than 256' err.txt) -eq 1 ]"
gen "open('divs.md', 'w').write('<div>' * 20000 + 'deep' + '</div>' * 20000 + '\n')"
run divs.md -o divs.pdf
check "20,000 nested divs: finishes" rc_is 0
gen "open('spans.md', 'w').write('x <span>' * 20000 + 'deep' + '</span>' * 20000 + '\n')"
run spans.md -o spans.pdf
check "20,000 nested spans: finishes" rc_is 0
gen "open('alt.md', 'w').write(''.join('<span style=\"display:inline-block\">' if i % 2 else '<div>' for i in range(400)) + 'deep\n')"
run alt.md -f layout -o alt.json
check "inline blocks 200 deep: finishes (no exponential layout), warns" sh -c "[ $rc -eq 0 ] && grep -q 'inline blocks nested deeper than 6' err.txt"
gen "open('lists.md', 'w').write(''.join('  ' * i + '- x\n' for i in range(1000)))"
run lists.md -f layout -o lists.json
check "1,000 nested list levels: finishes" rc_is 0
gen "
print('<div style=\"display:grid;grid-template-columns:' + ' '.join(['1fr'] * 5000) + '\">' + '<div>x</div>' * 5000 + '</div>')" >grid.md
run grid.md -f layout -o grid.json
check "5,000 grid columns: finishes with a warning" sh -c "[ $rc -eq 0 ] && grep -q 'grid-template-columns' err.txt"
cat >values.md <<'EOF'
<div style="display:grid;grid-template-columns:repeat(100000, 1fr);gap:1e308px;width:-5px">x</div>
<p style="font-size:1e30px;letter-spacing:1e308px;line-height:-3;margin:-1e300px;padding:NaNpx">y</p>
<p style="font-size:0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001px;width:calc(1px/0)">z</p>
EOF
run values.md -o values.pdf
check "huge, negative, NaN CSS values: renders" rc_is 0
check "huge, negative, NaN CSS values: warnings only, no pango noise" clean_stderr
check "each CSS warning once (fit passes repeat none)" sh -c "[ \$(grep -c \"repeat(100000, 1fr)\" err.txt) -eq 1 ]"
gen "open('word.md', 'w').write('# w\n\n' + 'x' * (1 << 20) + '\n')"
run word.md -o word.pdf
check "a 1 MB word: finishes" rc_is 0

# ---- outputs -------------------------------------------------------------------------------
printf '# out\n\ntext\n' >deck.md
run deck.md -o deck.md
check "-o DECK.md: refused" sh -c "[ $rc -ne 0 ] && grep -q 'is the deck itself' err.txt"
check "-o DECK.md: the deck is intact" grep -q '^# out' deck.md
printf '# notes as pdf\n' >notes.pdf
run notes.pdf
check "a deck named x.pdf is not overwritten by its default output" sh -c "[ $rc -ne 0 ] && grep -q '^# notes' notes.pdf"
mkdir -p o
run deck.md -o o/deck.pdf
cp o/deck.pdf old.pdf
check "first render" rc_is 0
if [ "$(id -u)" -ne 0 ]; then
    chmod a-w o
    run deck.md -o o/deck.pdf
    check "read-only folder: exit 4" rc_is 4
    check "read-only folder: the old file survives" cmp -s o/deck.pdf old.pdf
    chmod u+w o
else
    echo "ok - # SKIP read-only folder: root ignores permissions"
fi
printf 'x' >o/file
run deck.md -o o/file/deck.pdf
check "output folder is a file: exit 4" rc_is 4
check "output folder is a file: one error line" sh -c "[ \$(wc -l <err.txt) -eq 1 ]"
check "no temporary files left" no_tmp_left o
for f in png svg html; do
    mkdir -p "o$f"
    run deck.md -f $f -o "o$f/"
    check "$f: written" rc_is 0
    check "$f: no temporary files left" no_tmp_left "o$f"
done
run deck.md -f layout -o o/deck.json
check "layout: written" rc_is 0
run deck.md --handout 4 -o o/handout.pdf
check "handout: written" rc_is 0
check "no temporary files left after every writer" no_tmp_left o
# an output that is not a regular file (a device, a FIFO) is never replaced by one; a FIFO
# here, as an older deckle run by root would replace a real /dev/null
if mkfifo fifo.pdf 2>/dev/null; then
    run deck.md -o fifo.pdf
    check "-o FIFO (not a regular file): exit 4, not replaced" sh -c "[ $rc -eq 4 ] && [ -p fifo.pdf ]"
    run deck.md -f layout -o fifo.pdf
    check "-f layout -o FIFO: exit 4, not replaced" sh -c "[ $rc -eq 4 ] && [ -p fifo.pdf ]"
fi
if [ -c /dev/full ] && [ -w /dev/full ]; then
    "$deckle" -j 1 deck.md -o - >/dev/full 2>err.txt
    rc=$?
    check "-o - into a full disk (/dev/full): exit 4" rc_is 4
    check "full disk: one error line" says "error: cannot write to standard output"
fi
# a tiny file system, when mount is allowed (root in a container often is not)
mkdir -p small
if mount -t tmpfs -o size=64k tmpfs small 2>/dev/null; then
    printf 'old' >small/deck.pdf
    run "$src/samples/seed/deck.md" -o small/deck.pdf
    check "full tmpfs: exit 4" rc_is 4
    check "full tmpfs: the old file survives" sh -c "[ \"\$(cat small/deck.pdf)\" = old ]"
    check "full tmpfs: no temporary file left" no_tmp_left small
    umount small
else
    echo "ok - # SKIP tmpfs: mount is not allowed here (/dev/full covers a full disk)"
fi

e2e_done
