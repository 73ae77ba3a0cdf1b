#!/bin/sh
# A run ended by SIGTERM leaves no half-written file beside its output
# (src/cli/batch.c: cli_handle_termination): with -j 1 the process removes
# the PDF part cairo is writing; with -j 2 the parent passes the signal on
# to its workers, each removes its own files, and the parent the parts
# already handed to it. The process ends by the signal (exit 143 in sh). A
# signal the caller ignores stays ignored: SIGINT sent to a background job
# of a script does not stop the run.
#
# usage: sh tests/e2e/cli_signals.sh PATH/TO/deckle SOURCE_DIR
set -u
. "$(dirname "$0")/lib/tap.sh"
e2e_init cli_signals "$@"
cd "$tmp" || exit 1

# 400 slides of text: written in two parts, and long enough to be caught mid-way
{
    printf '# Signals\n\nA deck that takes a while.\n'
    i=2
    while [ $i -le 400 ]; do
        printf '\n---\n\n## Slide %d\n\n' $i
        printf 'Some text on slide %d, long enough to wrap onto a second line of the slide, ' $i
        printf 'and a [link](https://example.org/%d).\n' $i
        i=$((i + 1))
    done
} >deck.md

# wait_for COND SECONDS: poll (every 0.05 s) until COND succeeds; 1 if it never does
wait_for() {
    _n=$(($2 * 20))
    while [ $_n -gt 0 ]; do
        eval "$1" && return 0
        sleep 0.05
        _n=$((_n - 1))
    done
    return 1
}
has_files() { [ -n "$(ls -A "$1")" ]; }
no_files() { [ -z "$(ls -A "$1")" ]; }
# signal_run SIG FOLDER DECKLE-ARGS...: run deckle in the background, send SIG as soon as
# FOLDER has a file, wait; $rc gets the exit status, and 1 is returned if nothing appeared
signal_run() {
    _sig=$1 _dir=$2
    shift 2
    "$deckle" "$@" &
    _pid=$!
    wait_for "has_files $_dir" 60
    _started=$?
    kill -"$_sig" $_pid 2>/dev/null
    wait $_pid
    rc=$?
    return $_started
}

for jobs in 1 2; do
    out=out$jobs
    mkdir "$out"
    signal_run TERM "$out" -q -j $jobs deck.md -o "$out/deck.pdf"
    check "-j $jobs: the run started writing" [ $? -eq 0 ]
    check "-j $jobs: ended by SIGTERM (exit $rc, 143 expected)" [ $rc -eq 143 ]
    # the workers end a moment after the parent
    if wait_for "no_files $out" 20; then
        ok "-j $jobs: nothing left beside the output"
    else
        not_ok "-j $jobs: nothing left beside the output"
        ls -l "$out" | sed 's/^/#   /'
    fi
done

# -o - into a reader that goes away: the temporary PDF in TMPDIR goes too (SIGPIPE)
mkdir tmpdir
TMPDIR=$tmp/tmpdir "$deckle" -q -j 1 deck.md -o - | head -c 100 >/dev/null
check "-o - into a closed pipe: no temporary PDF left in TMPDIR" no_files tmpdir
ls -l tmpdir | sed 's/^/#   /'

# an {n} template stages each file in a private folder: SIGTERM leaves neither folder nor file
mkdir tpl
signal_run TERM tpl -q -j 1 -f png deck.md -o 'tpl/{name}-{n}.png'
check "{n} template, SIGTERM: exit 143 (got $rc)" [ $rc -eq 143 ]
check "... no private folder and no temporary file left" [ -z "$(ls -A tpl | grep -v '^deck-[0-9]*\.png$')" ]
ls -A tpl | grep -v '^deck-[0-9]*\.png$' | sed 's/^/#   /'

# SIGINT to a background job of a script is ignored (sh sets it so): the run goes on
mkdir out3
signal_run INT out3 -q -j 2 deck.md -o out3/deck.pdf
check "an ignored SIGINT stays ignored: the run finished (exit $rc)" [ $rc -eq 0 ]
check "... and wrote its PDF, and nothing else" [ "$(ls out3)" = deck.pdf ]

e2e_done
