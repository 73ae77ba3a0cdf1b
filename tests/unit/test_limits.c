/*
 * The limits of tests/LIMITS.md, stage by stage, with generated inputs:
 * the deck gate (size, binary files, encodings, invalid UTF-8, NUL, CR),
 * HTML nesting depth, CSS numbers (huge, NaN, negative), the decoded-pixel
 * budget of a deck's images, the slide count, and a failing allocation at
 * every step of a slide's pipeline (an OOM loop, SQLite style).
 */
#define _GNU_SOURCE
#include "base/base.h"
#include "box/box.h"
#include "css/css.h"
#include "deck/deck.h"
#include "dom/dom.h"
#include "image/image.h"
#include "layout/layout.h"
#include "md/md.h"
#include "render/render.h"
#include "text/text.h"
#include "test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef DK_TEST_DATA
#define DK_TEST_DATA "tests"
#endif

/* A context whose diagnostics land in `log` (and not on stderr). */
static void silent(void *ud, const dk_diag_rec *d) {
    (void)ud;
    (void)d;
}

static void ctx_for(dk_ctx *ctx, dk_buf *log, const char *src, size_t n) {
    dk_ctx_init(ctx, "t.md", src, n);
    ctx->log = log;
    ctx->on_diag = silent;
}

#define PREP(lit, log, t, n) prepare(lit, sizeof lit - 1, log, t, n)

static int count(const dk_buf *b, const char *needle) {
    int k = 0;
    for (const char *p = b->p; p && (p = strstr(p, needle)); p++) k++;
    return k;
}

/* Run dk_input_prepare over a copy of s[0, n); returns its status, the text in *out. */
static dk_status prepare(const char *s, size_t n, dk_buf *log, char **out, size_t *on) {
    char *src = malloc(n + 1);
    memcpy(src, s, n);
    src[n] = 0;
    dk_ctx ctx;
    ctx_for(&ctx, log, src, n);
    size_t m = n;
    dk_status st = dk_input_prepare(&ctx, &src, &m);
    CHECK(st != DK_OK || (ctx.src == src && ctx.src_len == m && src[m] == 0));
    *out = src;
    *on = m;
    return st;
}

static void test_input(void) {
    dk_buf log = {0};
    char *t;
    size_t n;
    /* valid UTF-8 is left alone */
    CHECK(PREP("# ok \xC3\xA9\n", &log, &t, &n) == DK_OK);
    CHECK(n == 8 && memcmp(t, "# ok \xC3\xA9\n", 8) == 0 && log.n == 0);
    free(t);
    /* invalid bytes: U+FFFD each, a warning at line:col (characters) */
    CHECK(PREP("\xC3\xA9\nab \xFF c \xC3(", &log, &t, &n) == DK_OK);
    CHECK_STR(t, "\xC3\xA9\nab \xEF\xBF\xBD c \xEF\xBF\xBD(");
    CHECK(count(&log, "t.md:2:4: warning: invalid UTF-8") == 1);
    CHECK(count(&log, "t.md:2:8: warning: invalid UTF-8") == 1);
    free(t);
    log.n = 0;
    /* overlong and surrogate encodings are invalid too */
    CHECK(PREP("\xC3\xA9 \xC0\xAF \xED\xA0\x80", &log, &t, &n) == DK_OK);
    CHECK(count(&log, "invalid UTF-8") >= 2 && !strstr(t, "\xC0"));
    free(t);
    log.n = 0;
    /* many invalid bytes: five places, then a count */
    char many[40];
    memset(many, 'a', sizeof many);
    for (int i = 0; i < 40; i += 4) many[i] = (char)0xFF;
    many[1] = (char)0xC3, many[2] = (char)0xA9; /* one valid é: this is UTF-8, not Latin-1 */
    CHECK(prepare(many, sizeof many, &log, &t, &n) == DK_OK);
    CHECK(count(&log, "invalid UTF-8 byte replaced") == 5);
    CHECK(count(&log, "5 more invalid UTF-8 bytes") == 1);
    free(t);
    log.n = 0;
    /* Latin-1 / Windows-1252: decoded, one warning */
    CHECK(PREP("caf\xE9 \x93q\x94 \x80", &log, &t, &n) == DK_OK);
    CHECK_STR(t, "caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D \xE2\x82\xAC");
    CHECK(count(&log, "read as Windows-1252") == 1 && count(&log, "warning") == 1);
    free(t);
    log.n = 0;
    /* NUL: U+FFFD, one warning at the first */
    CHECK(PREP("a\0b\0", &log, &t, &n) == DK_OK);
    CHECK(n == 8 && memcmp(t, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD", 8) == 0);
    CHECK(count(&log, "t.md:1:2: warning: NUL byte") == 1);
    free(t);
    log.n = 0;
    /* lone CR ends a line; CRLF and a BOM are deck/'s and stay */
    CHECK(PREP("\xEF\xBB\xBF" "a\rb\r\nc", &log, &t, &n) == DK_OK);
    CHECK_STR(t, "\xEF\xBB\xBF" "a\nb\r\nc");
    CHECK(log.n == 0);
    free(t);
    /* UTF-16 both ways, a surrogate pair, a lone surrogate */
    static const char le[] = "\xFF\xFE" "h\0" "\x3D\xD8\x00\xDE" "\x00\xD8" "!\0";
    CHECK(prepare(le, sizeof le - 1, &log, &t, &n) == DK_OK);
    CHECK_STR(t, "h\xF0\x9F\x98\x80\xEF\xBF\xBD!");
    CHECK(count(&log, "read as UTF-16LE") == 1);
    free(t);
    static const char be[] = "\xFE\xFF" "\0h\0i";
    CHECK(prepare(be, sizeof be - 1, &log, &t, &n) == DK_OK);
    CHECK_STR(t, "hi");
    free(t);
    log.n = 0;
    /* binary files: refused with one error */
    CHECK(PREP("%PDF-1.7\n...", &log, &t, &n) == DK_EINPUT);
    CHECK(count(&log, "t.md: error: this is a PDF file, not a Markdown deck") == 1);
    free(t);
    char bin[4096];
    for (size_t i = 0; i < sizeof bin; i++) bin[i] = (char)(i * 7919 % 251);
    CHECK(prepare(bin, sizeof bin, &log, &t, &n) == DK_EINPUT);
    CHECK(count(&log, "binary data") == 1);
    free(t);
    log.n = 0;
    /* too large, in bytes and once decoded (Latin-1 grows) */
    size_t big = DK_LIMIT_DECK_BYTES + 1;
    char *b = malloc(big);
    memset(b, 'a', big);
    CHECK(prepare(b, big, &log, &t, &n) == DK_EINPUT);
    CHECK(count(&log, "larger than 16 MB") == 1);
    free(t);
    memset(b, 0xE9, DK_LIMIT_DECK_BYTES - 1); /* é in Latin-1: two bytes each in UTF-8 */
    CHECK(prepare(b, DK_LIMIT_DECK_BYTES - 1, &log, &t, &n) == DK_EINPUT);
    CHECK(count(&log, "once decoded") == 1);
    free(t);
    free(b);
    dk_buf_free(&log);
}

/* The depth of the deepest element under n. */
static int depth_of(const dk_node *n) {
    int d = 0;
    for (const dk_node *k = n->first; k; k = k->next) {
        int kd = depth_of(k);
        if (kd > d) d = kd;
    }
    return n->type == DK_NODE_ELEMENT ? d + 1 : d;
}

static void test_depth(void) {
    dk_buf html = {0}, log = {0};
    for (int i = 0; i < 5000; i++) dk_buf_adds(&html, i % 2 ? "<div>" : "<span>");
    dk_buf_adds(&html, "deep");
    dk_ctx ctx;
    ctx_for(&ctx, &log, "", 0);
    dk_arena *a = dk_arena_new();
    dk_html h = {html.p, html.n, NULL, 0, 0, 0};
    dk_node *root = NULL;
    CHECK(dk_dom_parse(&ctx, a, &h, 0, &root) == DK_OK);
    CHECK(root && depth_of(root) <= DK_LIMIT_DEPTH + 1);
    CHECK(root && depth_of(root) >= DK_LIMIT_DEPTH);
    CHECK(count(&log, "nested deeper than 256 elements") == 1);
    /* the later stages walk the shallow tree */
    dk_sheet *ua = NULL;
    CHECK(dk_css_parse_sheet(&ctx, dk_css_ua_sheet, strlen(dk_css_ua_sheet), DK_NOPOS, &ua) ==
          DK_OK);
    const dk_sheet *sheets[1] = {ua};
    dk_media media = {1280, 720, 1};
    CHECK(dk_css_cascade(&ctx, a, sheets, 1, &media, root) == DK_OK);
    dk_images *images = NULL;
    CHECK(dk_images_new(DK_TEST_DATA, 0, &images) == DK_OK);
    dk_box *body = NULL;
    CHECK(dk_box_build(&ctx, a, images, root, &body) == DK_OK);
    dk_text *text = NULL;
    CHECK(dk_text_fake_new(&text) == DK_OK);
    dk_viewport vp = {1280, 720};
    CHECK(dk_layout(&ctx, a, text, &vp, body) == DK_OK);
    text->destroy(text);
    dk_images_free(images);
    dk_sheet_free(ua);
    dk_arena_free(a);
    dk_buf_free(&html);
    dk_buf_free(&log);
}

/* The computed style of the first <p> after a cascade of `css` (and style="" `attr`). */
static const dk_style *style_of(dk_arena *a, dk_ctx *ctx, const char *css, const char *attr) {
    static const char page[] = "<p>x</p>";
    dk_html h = {page, sizeof page - 1, NULL, 0, 0, 0};
    dk_node *root = NULL;
    dk_sheet *ua = NULL, *sheet = NULL;
    CHECK(dk_dom_parse(ctx, a, &h, 0, &root) == DK_OK);
    dk_node *p = dk_node_find(root, "p");
    if (attr) CHECK(dk_node_set_attr(a, p, "style", attr, DK_NOPOS) == DK_OK);
    CHECK(dk_css_parse_sheet(ctx, dk_css_ua_sheet, strlen(dk_css_ua_sheet), DK_NOPOS, &ua) == DK_OK);
    CHECK(dk_css_parse_sheet(ctx, css, strlen(css), DK_NOPOS, &sheet) == DK_OK);
    const dk_sheet *sheets[2] = {ua, sheet};
    dk_media media = {1280, 720, 1};
    CHECK(dk_css_cascade(ctx, a, sheets, 2, &media, root) == DK_OK);
    dk_sheet_free(ua);
    dk_sheet_free(sheet);
    return p->style;
}

static int finite_len(dk_len l) { return isfinite(l.v) && fabs(l.v) <= 1e7; }

static void test_css_values(void) {
    dk_buf log = {0};
    dk_ctx ctx;
    ctx_for(&ctx, &log, "", 0);
    dk_arena *a = dk_arena_new();
    const dk_style *s = style_of(a, &ctx, "p { font-size: 1e30px; letter-spacing: 1e308px; "
                                          "width: 1e999px; margin-left: -1e300px }", NULL);
    CHECK(s && s->font_size == 10000);
    CHECK(s && s->letter_spacing == 0);
    CHECK(s && finite_len(s->width) && finite_len(s->margin[3]));
    /* 0.000...1 with 400 zeros: inf / inf in a naive parser */
    dk_buf tiny = {0};
    dk_buf_adds(&tiny, "font-size: 0.");
    for (int i = 0; i < 400; i++) dk_buf_addc(&tiny, '0');
    dk_buf_adds(&tiny, "1px; padding-top: 1e-400px");
    s = style_of(a, &ctx, "", tiny.p);
    CHECK(s && isfinite(s->font_size) && s->font_size >= 0 && s->font_size < 1);
    CHECK(s && finite_len(s->padding[0]));
    /* negative font sizes and tracks past the limit are dropped with a warning */
    log.n = 0;
    s = style_of(a, &ctx, "p { font-size: -5px; display: grid; "
                          "grid-template-columns: repeat(100000, 1fr) }", NULL);
    CHECK(s && s->font_size > 0);
    CHECK(count(&log, "repeat(100000, 1fr)") == 1);
    dk_buf_free(&tiny);
    dk_arena_free(a);
    dk_buf_free(&log);
}

static void test_image_budget(void) {
    dk_buf log = {0};
    dk_ctx ctx;
    ctx_for(&ctx, &log, "", 0);
    dk_images *c = NULL;
    CHECK(dk_images_new(DK_TEST_DATA "/data/marp", 0, &c) == DK_OK);
    dk_images_set_budget(c, 100 * 100); /* one 100x100 image */
    const dk_image *a = dk_images_get(&ctx, c, "sun.png", DK_NOPOS);
    const dk_image *b = dk_images_get(&ctx, c, "sky.png", DK_NOPOS);
    CHECK(a && !a->missing && a->w == 100);
    CHECK(b && b->missing);
    CHECK(count(&log, "'sky.png': the deck's images already fill the memory budget") == 1);
    /* the same image again costs nothing */
    CHECK(dk_images_get(&ctx, c, "sun.png", DK_NOPOS) == a);
    dk_images_free(c);
    dk_buf_free(&log);
}

/* Diagnostics through the library's hook, counted. */
typedef struct {
    int slides_warned, slides_seen;
} hook_state;

static void on_diag(void *ud, const dk_diag_rec *d) {
    hook_state *h = ud;
    if (strcmp(d->code, "too-many-slides") == 0) h->slides_warned++;
}

static void on_slides(void *ud, int nslides, int nrender) {
    hook_state *h = ud;
    (void)nslides;
    h->slides_seen = nrender;
}

static void test_slide_count(void) {
    dk_buf deck = {0};
    for (int i = 0; i < DK_LIMIT_SLIDES + 50; i++) dk_buf_printf(&deck, "%s# %d\n", i ? "\n---\n" : "", i);
    char dir[] = "/tmp/dk-limits-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char out[64];
    snprintf(out, sizeof out, "%s/d.json", dir);
    hook_state hs = {0};
    dk_render_hooks hooks = {.ud = &hs, .diag = on_diag, .slides = on_slides};
    dk_options o;
    dk_options_init(&o);
    o.format = DK_FMT_LAYOUT;
    o.output = out;
    o.hooks = &hooks;
    int nwarn = 0;
    CHECK(dk_render_memory("many.md", deck.p, deck.n, &o, &nwarn) == DK_OK);
    CHECK(hs.slides_warned == 1);
    CHECK(hs.slides_seen == DK_LIMIT_SLIDES);
    unlink(out);
    rmdir(dir);
    dk_buf_free(&deck);
}

/* A failing allocation at every step of a slide: DK_ENOMEM, never a crash (ASan: no leak). */
static void test_oom_loop(void) {
    static const char src[] = "# Title\n\n<div style=\"display:grid;grid-template-columns:1fr 2fr\">"
                              "<p>a <em>b</em></p><p>c</p></div>\n\n- one\n- two\n";
    dk_ctx ctx;
    dk_buf log = {0};
    ctx_for(&ctx, &log, src, sizeof src - 1);
    dk_deck deck;
    CHECK(dk_deck_parse(&ctx, src, sizeof src - 1, &deck) == DK_OK);
    dk_sheet *ua = NULL;
    CHECK(dk_css_parse_sheet(&ctx, dk_css_ua_sheet, strlen(dk_css_ua_sheet), DK_NOPOS, &ua) == DK_OK);
    dk_images *images = NULL;
    CHECK(dk_images_new(DK_TEST_DATA, 0, &images) == DK_OK);
    dk_text *text = NULL;
    CHECK(dk_text_fake_new(&text) == DK_OK);
    int done = 0, failures = 0;
    for (long n = 1; n < 100000 && !done; n++) {
        dk_arena *a = dk_arena_new();
        dk_arena_fail_after(a, n);
        dk_html h;
        dk_node *dom = NULL;
        dk_box *body = NULL;
        const dk_sheet *sheets[1] = {ua};
        dk_media media = {1280, 720, 1};
        dk_viewport vp = {1280, 720};
        dk_status st = dk_md_render(&ctx, a, src, &deck.slides[0], &h);
        if (!st) st = dk_dom_parse(&ctx, a, &h, 1, &dom);
        if (!st) st = dk_css_cascade(&ctx, a, sheets, 1, &media, dom);
        if (!st) st = dk_box_build(&ctx, a, images, dom, &body);
        if (!st) st = dk_layout(&ctx, a, text, &vp, body);
        if (st == DK_OK) done = 1;
        else failures += st == DK_ENOMEM;
        if (st != DK_OK && st != DK_ENOMEM) {
            CHECK(!"only DK_ENOMEM may fail");
            done = 1;
        }
        dk_arena_free(a);
    }
    CHECK(done && failures > 10);
    text->destroy(text);
    dk_images_free(images);
    dk_sheet_free(ua);
    dk_deck_free(&deck);
    dk_buf_free(&log);
}

#include <time.h>
static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}
#define TIMED(f) do { double t0_ = now(); f(); printf("%s: %.2f s\n", #f, now() - t0_); } while (0)

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    TIMED(test_input);
    TIMED(test_depth);
    TIMED(test_css_values);
    TIMED(test_image_budget);
    TIMED(test_slide_count);
    TIMED(test_oom_loop);
    return dk_test_done();
}
