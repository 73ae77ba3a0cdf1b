# The prologue and epilogue every end-to-end test shares. Sourced, not run:
# ctest runs each tests/e2e/*.sh as `sh FILE DECKLE SOURCE_DIR`, and this
# folder is not one of them.
#
#   . "$(dirname "$0")/lib/tap.sh"
#   e2e_init NAME "$@"   check the arguments; set $deckle and $src (absolute
#                        paths) and $tmp, a fresh folder removed on exit
#                        (kept, and named, when DK_E2E_KEEP is set). A test
#                        with more to undo defines e2e_cleanup first.
#   ok DESC / not_ok DESC / check DESC COMMAND...     TAP lines, counted
#   show FILE            a file's first lines as TAP comments
#   png_rgb_count PNG RRGGBB
#                        how many pixels of a PNG deckle wrote are that colour
#                        (python3; checks it is 8-bit RGB with no row filter,
#                        as deckle writes it, and prints nothing if not)
#   e2e_done             print the counts; exit 1 when a check failed
# Exit 77 (ctest's skip) is for a test that cannot run here.

passed=0
failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1"; failed=$((failed + 1)); }
check() {
    _d=$1
    shift
    if "$@"; then ok "$_d"; else not_ok "$_d"; fi
}
show() { [ -s "$1" ] && sed -n '1,20s/^/#   /p' "$1"; return 0; }

png_rgb_count() {
    python3 - "$1" "$2" <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], 'rb').read(); i = 8; z = b''
while i < len(d):
    n, = struct.unpack('>I', d[i:i + 4]); t = d[i + 4:i + 8]
    if t == b'IHDR': w, h, depth, ctype = struct.unpack('>IIBB', d[i + 8:i + 18])
    if t == b'IDAT': z += d[i + 8:i + 8 + n]
    i += 12 + n
raw = zlib.decompress(z); row = 1 + 3 * w; px = bytes.fromhex(sys.argv[2])
assert depth == 8 and ctype == 2 and all(raw[y * row] == 0 for y in range(h))  # deckle's
print(sum(raw[y * row + 1 + 3 * x:y * row + 4 + 3 * x] == px for y in range(h) for x in range(w)))
PY
}

_e2e_exit() {
    command -v e2e_cleanup >/dev/null 2>&1 && e2e_cleanup
    if [ "${DK_E2E_KEEP:-}" ]; then
        echo "# kept $tmp"
    else
        chmod -R u+w "$tmp" 2>/dev/null
        rm -rf "$tmp"
    fi
}

e2e_init() {
    _name=$1
    shift
    [ $# -eq 2 ] || { echo "usage: sh $0 PATH/TO/deckle SOURCE_DIR" >&2; exit 2; }
    deckle=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
    src=$(cd "$2" && pwd)
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/deckle-$_name.XXXXXX") || exit 1
    trap _e2e_exit EXIT
    trap 'exit 1' INT TERM
}

e2e_done() {
    echo "# $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}
