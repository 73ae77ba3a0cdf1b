#!/bin/sh
# Scaling out (issue 6): deckle is stateless per deck, so GNU parallel can
# run it — the README's local recipe renders a batch to the same bytes as a
# single `deckle -j 1` run, and the job log carries each deck's exit code.
# The remote mode (--sshlogin) runs the same command on other hosts and is
# documented, not tested. Skipped (77) without GNU parallel.
#
# usage: sh tests/e2e/cli_parallel.sh PATH/TO/deckle SOURCE_DIR
set -u
. "$(dirname "$0")/lib/tap.sh"
e2e_init parallel "$@"
if ! parallel --version 2>/dev/null | grep -q "GNU parallel"; then
    echo "ok - # SKIP GNU parallel is not installed (apt-get install parallel)"
    exit 77
fi
cd "$tmp" || exit 1
export SOURCE_DATE_EPOCH=1700000000
mkdir talks
for i in 1 2 3 4 5 6 7 8; do
    printf '# Talk %d\n\nText %d.\n\n---\n\n## More\n\n- %d\n' $i $i $i >talks/t$i.md
done
printf '# Broken\n' >talks/t9.md
rm talks/t9.md && ln -s missing.md talks/t9.md

# the README's recipe
ls talks/*.md | parallel --will-cite --joblog jobs.tsv "$deckle" -j 1 -q {} -o out/{/.}.pdf 2>/dev/null
rc=$?
check "parallel reports one failed job (exit $rc)" [ $rc -eq 1 ]
"$deckle" -j 1 -q talks/*.md -o ref/ 2>/dev/null
check "8 PDFs from parallel" [ "$(ls out/*.pdf 2>/dev/null | wc -l | tr -d ' ')" = 8 ]
check "parallel's PDFs are byte-identical to one deckle run" diff -r out ref
check "the job log records exit 3 for the broken deck" \
    sh -c "awk -F'\t' 'NR > 1 && \$7 == 3' jobs.tsv | grep -q t9.md"
check "the job log records exit 0 for the others" \
    [ "$(awk -F'\t' 'NR > 1 && $7 == 0' jobs.tsv | wc -l | tr -d ' ')" = 8 ]
e2e_done
