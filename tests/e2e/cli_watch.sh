#!/bin/sh
# --watch (issue 6): render, then render again within a second of a change to
# the deck, to an image it uses and to its theme; runs until killed.
# The output's inode changes on every render (written to a temporary file,
# then renamed), which is how the test sees a new render.
#
# usage: sh tests/e2e/cli_watch.sh PATH/TO/deckle SOURCE_DIR
set -u
. "$(dirname "$0")/lib/tap.sh"
e2e_init watch "$@"
pid=
e2e_cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; }
[ -e /proc/sys/fs/inotify ] || { echo "ok - # SKIP no inotify"; exit 77; }
cd "$tmp" || exit 1

inode() { stat -c %i "$1" 2>/dev/null || echo none; }
now_ms() { date +%s%3N; }
# wait_change FILE OLD_INODE SECONDS: until FILE has another inode; prints the wait in ms
wait_change() {
    t0=$(now_ms)
    end=$((t0 + $3 * 1000))
    while [ "$(inode "$1")" = "$2" ]; do
        [ "$(now_ms)" -gt "$end" ] && return 1
        sleep 0.05
    done
    echo $(($(now_ms) - t0))
}

for f in "$src/samples/seed/"*.png; do cp "$f" pic.png; break; done
img=pic.png
printf 'body { color: #222; }\n' >theme.css
printf -- '---\ntheme: ./theme.css\n---\n\n# Watched\n\n![pic](%s)\n' "$img" >talk.md

"$deckle" --watch talk.md -o out/talk.pdf 2>watch.err &
pid=$!
t=$(wait_change out/talk.pdf none 60)
check "--watch renders at once" [ -n "$t" ]
# the message follows the render's worker exiting, which is slow under ASan on a busy machine
check "--watch says what it watches" sh -c 'i=0; until grep -q "watching 3 files" watch.err; do
    i=$((i + 1)); [ $i -le 200 ] || exit 1; sleep 0.1; done'

step() { # step DESCRIPTION COMMAND: run it, expect a new render within 1 s of render time
    before=$(inode out/talk.pdf)
    sleep 0.3
    sh -c "$2"
    ms=$(wait_change out/talk.pdf "$before" 20)
    if [ -n "$ms" ] && [ "$ms" -le "${DK_WATCH_LIMIT_MS:-3000}" ]; then
        ok "$1: new render after $ms ms"
    else
        not_ok "$1: no new render (waited ${ms:-20000} ms)"
    fi
}
step "an edit to the deck" 'printf "\nmore text\n" >>talk.md'
step "the deck replaced by rename (editor save)" 'cp talk.md talk.md.new && printf "\n---\n\n# Two\n" >>talk.md.new && mv talk.md.new talk.md'
step "a change to the theme" 'printf "h1 { color: red; }\n" >>theme.css'
step "a change to an image" "touch '$img'"

before=$(inode out/talk.pdf)
touch unrelated.txt
sleep 1
check "an unrelated file in the folder does not re-render" [ "$(inode out/talk.pdf)" = "$before" ]
check "the deck's second slide arrived" sh -c 'pdfinfo out/talk.pdf 2>/dev/null | grep -Eq "^Pages: +2$" || ! command -v pdfinfo >/dev/null'

kill "$pid"
wait "$pid" 2>/dev/null
pid=
check "no temporary files left" [ -z "$(find . -name '*.tmp-*')" ]
e2e_done
