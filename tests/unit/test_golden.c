#define _GNU_SOURCE
/*
 * Golden layout dumps: the seed deck's boxes (the layout-oracle schema, one
 * box a line) must match tests/golden/seed.layout.json within 0.5 px, with
 * the same paths and line counts. The golden was checked against Chromium
 * (tools/oracle.sh: every box within 0.1 px) and its PNGs looked at.
 * DK_UPDATE_GOLDEN=1 rewrites them; look at the diff before committing. The
 * other decks under tests/golden/ were checked the same way.
 */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "render/render.h"
#include "test.h"

#ifndef DK_TEST_DATA
#define DK_TEST_DATA "tests"
#endif

typedef struct {
    char path[256];
    double x, y, w, h;
    int lines;
} row;

/* The box rows of a dump, in order; returns how many (at most cap). */
static int rows(const char *text, row *out, int cap) {
    int n = 0;
    for (const char *p = text; p && *p && n < cap; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        row r;
        if (sscanf(p, " {\"path\":\"%255[^\"]\",\"tag\":\"%*[^\"]\",\"x\":%lf,\"y\":%lf,\"w\":%lf,\"h\":%lf,\"lines\":%d",
                   r.path, &r.x, &r.y, &r.w, &r.h, &r.lines) == 6)
            out[n++] = r;
    }
    return n;
}

static void golden(const char *deck, const char *name) {
    char want_path[512], got_path[] = "/tmp/deckle-golden-XXXXXX";
    snprintf(want_path, sizeof want_path, "%s/golden/%s.layout.json", DK_TEST_DATA, name);
    int fd = mkstemp(got_path);
    CHECK(fd >= 0);
    close(fd);
    dk_options o;
    dk_options_init(&o);
    o.format = DK_FMT_LAYOUT;
    o.output = got_path;
    o.quiet = 1;
    CHECK(dk_render_file(deck, &o, NULL) == DK_OK);
    char *got = NULL, *want = NULL;
    size_t gn, wn;
    CHECK(dk_file_read(got_path, &got, &gn) == DK_OK);
    unlink(got_path);
    if (getenv("DK_UPDATE_GOLDEN")) {
        CHECK(dk_file_write_atomic(want_path, got, gn) == DK_OK);
        printf("updated %s\n", want_path);
    }
    CHECK(dk_file_read(want_path, &want, &wn) == DK_OK);
    static row g[4096], w[4096];
    int ng = rows(got, g, 4096), nw = rows(want, w, 4096);
    CHECK(nw > 0);
    CHECK(ng == nw);
    for (int i = 0; i < ng && i < nw; i++) {
        int same = strcmp(g[i].path, w[i].path) == 0 && g[i].lines == w[i].lines &&
                   fabs(g[i].x - w[i].x) <= 0.5 && fabs(g[i].y - w[i].y) <= 0.5 &&
                   fabs(g[i].w - w[i].w) <= 0.5 && fabs(g[i].h - w[i].h) <= 0.5;
        CHECK(same);
        if (!same)
            fprintf(stderr, "  box %d: got %s %.2f %.2f %.2f %.2f lines %d\n"
                            "         want %s %.2f %.2f %.2f %.2f lines %d\n",
                    i, g[i].path, g[i].x, g[i].y, g[i].w, g[i].h, g[i].lines, w[i].path, w[i].x,
                    w[i].y, w[i].w, w[i].h, w[i].lines);
    }
    free(got);
    free(want);
}

int main(void) {
    golden(DK_TEST_DATA "/../samples/seed/deck.md", "seed");
    /* issue 3: lists, task lists, quotes, tables, code, rules; flex, grid, inline-block, radii.
       Both matched Chromium box for box (tools/oracle.sh: 53/53 and 22/22 within 2 px). */
    golden(DK_TEST_DATA "/golden/blocks.md", "blocks");
    golden(DK_TEST_DATA "/golden/flexgrid.md", "flexgrid");
    /* positioning: relative, absolute (insets, shrink-to-fit, static position), fixed, z-index;
       matched Chromium box for box (tools/oracle.sh: 19/19 within 2 px) */
    golden(DK_TEST_DATA "/golden/position.md", "position");
    /* Marp (directives, section wrap, header/footer/pagination, bg images) and Obsidian
       (embeds, notes) decks; checked against the oracle and looked at */
    golden(DK_TEST_DATA "/data/marp/deck.md", "marp-deck");
    golden(DK_TEST_DATA "/data/obsidian/deck.md", "obsidian-deck");
    /* grid rows (fr, minmax, spans, placement, self-alignment, auto margins), anonymous flex/grid
       items, static positions in flex/grid, table rowspan: tools/oracle.sh 73/73 within 2 px */
    golden(DK_TEST_DATA "/golden/gridflex2.md", "gridflex2");
    /* broken images as Chromium draws them, zero-height empty lines, empty inlines, blocks inside
       inlines, sub/super, a break after any space (46/46 within 2 px); Slidesdown's heading
       splits (15/15) */
    golden(DK_TEST_DATA "/golden/inline-edges.md", "inline-edges");
    golden(DK_TEST_DATA "/data/slidesdown/SLIDES.md", "slidesdown-deck");
    /* custom properties and var() (fallbacks, a cycle, per-element values), a theme's
       section::after page number, named grid areas, text shrunk to fit: 27/27 within 2 px */
    golden(DK_TEST_DATA "/data/marp-vars/deck.md", "marp-vars");
    /* ::before / ::after: empty flex items in space-between, block, inline-block, absolute,
       grid item, list items and links (tools/oracle.sh: 22/22 within 2 px) */
    golden(DK_TEST_DATA "/golden/generated.md", "generated");
    /* grid justify-/align-content, stretch below the content, trailing letter-spacing,
       percentage margins on inline-blocks, counters, stray blocks in a table (from the
       hfut-marp-zh deck): tools/oracle.sh 51/51 within 2 px */
    golden(DK_TEST_DATA "/golden/corpus-hfut.md", "corpus-hfut");
    /* inline margins, borders and padding moving the text (an empty inline with only end
       padding too), calc(), a list marker taller than the item's first line, block-level
       image margins (tools/oracle.sh: 40/40 within 2 px) */
    golden(DK_TEST_DATA "/golden/corpus-marpstyle.md", "corpus-marpstyle");
    /* tables restyled display: block (anonymous table), block-level and broken images with
       margins, presentational width/height/align, iframe and video, a lone <br>, buttons,
       spaces between CJK words, trailing letter spacing, percentage gaps: 49/49 within 2 px */
    golden(DK_TEST_DATA "/golden/corpus-misc.md", "corpus-misc");
    return dk_test_done();
}
