/*
 * deck/: slide splitting and front matter.
 */
#include "base/base.h"
#include "deck/deck.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

#ifndef DK_TEST_DATA
#define DK_TEST_DATA "tests"
#endif

/* Parse `src` quietly; warnings land in *log. */
static dk_deck parse(dk_ctx *ctx, dk_buf *log, const char *src, size_t n) {
    dk_deck d;
    dk_ctx_init(ctx, "t.md", src, n);
    ctx->quiet = 1;
    ctx->log = log;
    dk_status st = dk_deck_parse(ctx, src, n, &d);
    CHECK(st == DK_OK);
    return d;
}

/* The text of slide i (0-based) as a NUL-terminated copy in a static buffer. */
static const char *slide_text(const dk_deck *d, const char *src, int i) {
    static char buf[4096];
    size_t n = d->slides[i].end - d->slides[i].start;
    if (n >= sizeof buf) n = sizeof buf - 1;
    memcpy(buf, src + d->slides[i].start, n);
    buf[n] = 0;
    return buf;
}

static void test_seed(void) {
    char *src;
    size_t n;
    dk_ctx ctx;
    dk_buf log = {0};
    CHECK(dk_file_read(DK_TEST_DATA "/data/seed/deck.md", &src, &n) == DK_OK);
    if (!src) return;
    dk_deck d = parse(&ctx, &log, src, n);
    CHECK(d.nslides == 6);
    CHECK(d.nmeta == 0 && d.title.p == NULL && d.width == 0);
    CHECK(ctx.nwarn == 0);
    /* slide 1 is the title, up to the first separator line */
    const char *sep = strstr(src, "\n---\n");
    CHECK(d.slides[0].start == 0);
    CHECK(d.slides[0].end == (size_t)(sep - src) + 1);
    CHECK(strstr(slide_text(&d, src, 0), "# This Week's Top AI/ML Research Papers") != NULL);
    /* slides 2..6 each open with <section> and end right after </section>\n */
    for (int i = 1; i < 6; i++) {
        CHECK(d.slides[i].index == i + 1);
        const char *t = slide_text(&d, src, i);
        CHECK(strncmp(t, "<section>\n", 10) == 0);
        size_t len = strlen(t);
        if (i < 5) CHECK(len > 11 && strcmp(t + len - 11, "</section>\n") == 0);
        else CHECK(strstr(t, "</section>\n\n\n") != NULL && d.slides[i].end == n);
    }
    CHECK(strstr(slide_text(&d, src, 1), "Transformers without Normalization") != NULL);
    CHECK(strstr(slide_text(&d, src, 4), "DAPO") != NULL);
    dk_deck_free(&d);
    free(src);
    dk_buf_free(&log);
}

static void test_split(void) {
    dk_ctx ctx;
    dk_buf log = {0};
    dk_deck d;

    const char *fenced = "# A\n```md\n---\n```\n---\n~~~~\n---\n~~~\n---\n~~~~\n# B\n---\n# C";
    d = parse(&ctx, &log, fenced, strlen(fenced));
    CHECK(d.nslides == 3);
    CHECK_STR(slide_text(&d, fenced, 0), "# A\n```md\n---\n```\n");
    CHECK_STR(slide_text(&d, fenced, 1), "~~~~\n---\n~~~\n---\n~~~~\n# B\n");
    CHECK_STR(slide_text(&d, fenced, 2), "# C"); /* no trailing newline */
    dk_deck_free(&d);

    /* an unclosed fence runs to the end; a backtick info string with ` is no fence */
    const char *open = "```\n---\n";
    d = parse(&ctx, &log, open, strlen(open));
    CHECK(d.nslides == 1);
    dk_deck_free(&d);
    const char *notfence = "``` a`b\n---\nx";
    d = parse(&ctx, &log, notfence, strlen(notfence));
    CHECK(d.nslides == 2);
    dk_deck_free(&d);

    const char *crlf = "# A\r\n---\r\n# B\r\n---  \t\r\n# C\r\n";
    d = parse(&ctx, &log, crlf, strlen(crlf));
    CHECK(d.nslides == 3);
    CHECK_STR(slide_text(&d, crlf, 0), "# A\r\n");
    CHECK_STR(slide_text(&d, crlf, 1), "# B\r\n");
    CHECK_STR(slide_text(&d, crlf, 2), "# C\r\n");
    dk_deck_free(&d);

    const char *nots = "a\n----\n ---\n--- x\n-- -\nb\n";
    d = parse(&ctx, &log, nots, strlen(nots));
    CHECK(d.nslides == 1);
    dk_deck_free(&d);

    d = parse(&ctx, &log, "", 0);
    CHECK(d.nslides == 1 && d.slides[0].start == 0 && d.slides[0].end == 0);
    CHECK(d.slides[0].index == 1);
    dk_deck_free(&d);

    /* separators at the very start and end make no empty slides */
    const char *edges = "---\n# A\n---\n# B\n---\n\n";
    d = parse(&ctx, &log, edges, strlen(edges));
    CHECK(d.nslides == 2);
    CHECK(d.nmeta == 0); /* "# A" is no key: not front matter */
    CHECK_STR(slide_text(&d, edges, 0), "# A\n");
    CHECK(d.slides[1].index == 2);
    dk_deck_free(&d);

    /* but an empty slide between two separators is kept */
    const char *mid = "a\n---\n---\nb\n";
    d = parse(&ctx, &log, mid, strlen(mid));
    CHECK(d.nslides == 3);
    CHECK_STR(slide_text(&d, mid, 1), "");
    dk_deck_free(&d);
    dk_buf_free(&log);
}

static void test_front_matter(void) {
    dk_ctx ctx;
    dk_buf log = {0};
    dk_deck d;
    const char *fm = "\xEF\xBB\xBF---\r\ntitle: \"Hello: world\"\r\nauthor: 'Me'\r\n# a comment\r\n"
                     "marp: true\r\nsize: 16:9\r\ntheme: gaia\r\n---\r\n# A\r\n---\r\n# B\r\n";
    d = parse(&ctx, &log, fm, strlen(fm));
    CHECK(d.nslides == 2);
    CHECK(d.title.p && dk_str_eq(d.title, "Hello: world"));
    CHECK(d.author.p && dk_str_eq(d.author, "Me"));
    CHECK(d.theme.p && dk_str_eq(d.theme, "marp-gaia")); /* a Marp deck: the bundled equivalent */
    CHECK_NEAR(d.width, 1280, 0);
    CHECK_NEAR(d.height, 720, 0);
    CHECK(d.nmeta == 5);
    CHECK(d.nmeta == 5 && dk_str_eq(d.meta[2].key, "marp") && dk_str_eq(d.meta[2].value, "true"));
    CHECK(d.nmeta == 5 && d.meta[0].off == 8); /* after the BOM and "---\r\n" */
    CHECK_STR(slide_text(&d, fm, 0), "# A\r\n");
    CHECK(ctx.nwarn == 0);
    dk_deck_free(&d);

    const char *bad = "---\nsize: huge\n---\nx";
    log.n = 0;
    d = parse(&ctx, &log, bad, strlen(bad));
    CHECK(ctx.nwarn == 1);
    CHECK(log.p && strstr(log.p, "t.md:2:7: warning: bad slide size 'huge'") != NULL);
    CHECK(d.width == 0 && d.height == 0 && d.nslides == 1);
    dk_deck_free(&d);

    const char *block = "---\nmarp: true\nstyle: |\n  h1 { color: red }\n  p { margin: 0 }\n"
                        "paginate: true\n---\n# A\n";
    d = parse(&ctx, &log, block, strlen(block));
    CHECK(d.nmeta == 3);
    CHECK(d.nmeta == 3 && dk_str_eq(d.meta[1].value, "  h1 { color: red }\n  p { margin: 0 }"));
    CHECK(d.nslides == 1);
    dk_deck_free(&d);

    /* front matter is only at the very top, and needs its closing line */
    const char *late = "\n---\ntitle: x\n---\ny";
    d = parse(&ctx, &log, late, strlen(late));
    CHECK(d.nmeta == 0 && d.nslides == 2); /* the blank first "slide" is dropped */
    dk_deck_free(&d);
    /* Slidev: a separator opening `key: value` lines and `---` is that slide's front matter */
    const char *slidev =
        "# A\n\n---\nlayout: center\nclass: 'big wide'\n---\n\n# B\n\n---\n\n# C\n";
    d = parse(&ctx, &log, slidev, strlen(slidev));
    CHECK(d.nslides == 3);
    CHECK_STR(slide_text(&d, slidev, 1), "\n# B\n\n");
    CHECK(d.dirs && d.dirs[1].v[DK_DIR_CLASS].v.p &&
          dk_str_eq(d.dirs[1].v[DK_DIR_CLASS].v, "big wide"));
    CHECK(d.dirs && !d.dirs[2].v[DK_DIR_CLASS].v.p); /* scoped to its slide */
    dk_deck_free(&d);
    /* ... but not in a Marp deck, where it is a slide of text */
    const char *marp = "---\nmarp: true\ntheme: gem5\n---\n# A\n---\nlayout: x\n---\n# B\n";
    d = parse(&ctx, &log, marp, strlen(marp));
    CHECK(d.nslides == 3);
    CHECK(d.theme_off == 22 && strncmp(marp + d.theme_off, "gem5", 4) == 0);
    dk_deck_free(&d);
    const char *unclosed = "---\ntitle: x\n";
    d = parse(&ctx, &log, unclosed, strlen(unclosed));
    CHECK(d.nmeta == 0 && d.nslides == 1);
    CHECK_STR(slide_text(&d, unclosed, 0), "title: x\n");
    dk_deck_free(&d);
    dk_buf_free(&log);
}

static void test_size(void) {
    double w = 0, h = 0;
    CHECK(dk_deck_parse_size(DK_STR("1280x720"), &w, &h) && w == 1280 && h == 720);
    CHECK(dk_deck_parse_size(DK_STR(" 1920 X 1080 "), &w, &h) && w == 1920 && h == 1080);
    CHECK(dk_deck_parse_size(DK_STR("800px x 600px"), &w, &h) && w == 800 && h == 600);
    CHECK(dk_deck_parse_size(DK_STR("16:9"), &w, &h) && w == 1280 && h == 720);
    CHECK(dk_deck_parse_size(DK_STR("4:3"), &w, &h) && w == 960 && h == 720);
    w = h = 7;
    CHECK(!dk_deck_parse_size(DK_STR("huge"), &w, &h));
    CHECK(!dk_deck_parse_size(DK_STR("1280x"), &w, &h));
    CHECK(!dk_deck_parse_size(DK_STR("0x720"), &w, &h));
    CHECK(!dk_deck_parse_size(DK_STR("-5x720"), &w, &h));
    CHECK(!dk_deck_parse_size(DK_STR("1280x720x3"), &w, &h));
    CHECK(!dk_deck_parse_size(DK_STR(""), &w, &h));
    CHECK(w == 7 && h == 7);
}

int main(void) {
    test_seed();
    test_split();
    test_front_matter();
    test_size();
    return dk_test_done();
}
