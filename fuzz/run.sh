#!/bin/sh
# Run the libFuzzer targets. Usage: fuzz/run.sh [SECONDS] [TARGET...]
# (default: 600 seconds each, targets deck css image, one after the other).
# Builds them with clang into build-fuzz/ (cmake -DDK_FUZZ=ON), then runs
# each from a scratch copy of fuzz/corpus/<target>/ so the repository only
# gains what we choose: a crash is written to build-fuzz/crash/<target>/,
# and belongs in fuzz/corpus/<target>/ once fixed (ctest replays it).
# Prints per target its time, executions and findings (the last stat line).
set -eu
cd "$(dirname "$0")/.."
secs=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-deck css image}
B=${DK_FUZZ_BUILD:-build-fuzz}
if [ ! -f "$B/CMakeCache.txt" ]; then
    CC=clang cmake -S . -B "$B" -DDK_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
for t in $targets; do cmake --build "$B" -j2 --target "fuzz_${t}_lf" >/dev/null; done
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
for t in $targets; do
    work="$B/corpus/$t" crash="$B/crash/$t"
    mkdir -p "$work" "$crash"
    cp -n fuzz/corpus/"$t"/* "$work"/ 2>/dev/null || true
    # rss and per-input limits: a decompression bomb or a hang is a finding too. deck: pango's
    # and glib's caches grow lazily (a 2 KB g_malloc0 that never reproduces alone), so leaks
    # are left to the ASan replay of the corpus, whose LeakSanitizer runs at exit
    leaks=1
    [ "$t" = deck ] && leaks=0
    set +e
    "$B/fuzz_${t}_lf" "$work" -max_total_time="$secs" -max_len=65536 -timeout=25 \
        -rss_limit_mb=2560 -detect_leaks=$leaks -artifact_prefix="$crash/" -print_final_stats=1 \
        ${DK_FUZZ_ARGS:-} >"$B/fuzz-$t.log" 2>&1
    rc=$?
    set -e
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$B/fuzz-$t.log" | grep -o '[0-9]*$' || echo ?)
    echo "fuzz $t: ${secs}s, $execs executions, exit $rc, crashes: $(ls "$crash" | wc -l)"
done
