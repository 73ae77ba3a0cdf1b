/*
 * text/pango.c and text/hyphen.c through the private font configuration:
 * base direction (dir, first strong character) and alignment, missing-glyph
 * warnings (once per position, with the font package), fallback fonts for
 * every script of the test deck, CJK glyph forms by lang, Thai word
 * breaking, hyphens: auto with libhyphen, soft hyphens, and justification
 * that leaves the last line alone.
 */
#define _XOPEN_SOURCE 700
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "text/fonts.h"
#include "text/hyphen.h"
#include "text/text.h"

#ifndef DK_TEST_DATA
#error "compile with -DDK_TEST_DATA=\"<source>/tests\""
#endif

static dk_ctx ctx;
static dk_buf log_;
static dk_text *tx;
static dk_style base;

/* A one-run paragraph of `s` in `st`. */
static dk_para para1(dk_arena *a, const char *s, const dk_style *st, const char *lang, int dir) {
    dk_run *r = dk_arena_alloc(a, sizeof *r);
    *r = (dk_run){.start = 0, .end = strlen(s), .style = st};
    return (dk_para){.text = s, .len = strlen(s), .runs = r, .nruns = 1, .style = st,
                     .lang = lang, .dir = (unsigned char)dir, .src = 42};
}

static dk_textlayout *lay(dk_arena *a, const dk_para *p, double w) {
    dk_textlayout *tl = NULL;
    CHECK(tx->layout(tx, a, p, w, &tl) == DK_OK);
    return tl;
}

static int installed(const char *f) {
    if (access(f, R_OK) == 0) return 1;
    printf("skip: %s not installed (sh scripts/install-deps.sh)\n", f);
    return 0;
}

static void test_direction(dk_arena *a) {
    const char *ar = "مرحبا بالعالم";
    dk_para p = para1(a, ar, &base, NULL, DK_DIR_UNSET);
    dk_textlayout *tl = lay(a, &p, 600);
    /* no dir: the first strong character makes it RTL, and start is the right edge */
    CHECK(tl->rtl == 1);
    CHECK_NEAR(tl->lines[0].x + tl->lines[0].w, 600, 0.5);
    p = para1(a, ar, &base, NULL, DK_DIR_LTR);
    tl = lay(a, &p, 600);
    CHECK(tl->rtl == 0);
    CHECK_NEAR(tl->lines[0].x, 0, 0.01);
    p = para1(a, "English, then عربي", &base, NULL, DK_DIR_AUTO);
    tl = lay(a, &p, 600);
    CHECK(tl->rtl == 0);
    p = para1(a, "123 עברית first strong", &base, NULL, DK_DIR_AUTO);
    CHECK(lay(a, &p, 600)->rtl == 1);
    p = para1(a, "English", &base, NULL, DK_DIR_RTL);
    tl = lay(a, &p, 600);
    CHECK(tl->rtl == 1);
    CHECK_NEAR(tl->lines[0].x + tl->lines[0].w, 600, 0.5);
    /* text-align: left is physical, also in RTL; end is the left edge in RTL */
    dk_style left = base;
    left.text_align = DK_ALIGN_LEFT;
    p = para1(a, ar, &left, NULL, DK_DIR_RTL);
    CHECK_NEAR(lay(a, &p, 600)->lines[0].x, 0, 0.01);
    dk_style end = base;
    end.text_align = DK_ALIGN_END;
    p = para1(a, ar, &end, NULL, DK_DIR_RTL);
    CHECK_NEAR(lay(a, &p, 600)->lines[0].x, 0, 0.01);
    /* CSS direction: rtl (dir="rtl" on an ancestor) without a dir of its own */
    dk_style rtl = base;
    rtl.direction_rtl = 1;
    p = para1(a, "English", &rtl, NULL, DK_DIR_UNSET);
    CHECK(lay(a, &p, 600)->rtl == 1);
}

static void test_missing(dk_arena *a) {
    int w0 = ctx.nwarn;
    dk_para p = para1(a, "private \xF4\x8F\xBF\xBD use", &base, NULL, 0); /* U+10FFFD */
    dk_textlayout *tl = lay(a, &p, 600);
    CHECK(tl->missing == 1);
    CHECK(ctx.nwarn == w0 + 1);
    CHECK(log_.p && strstr(log_.p, "U+10FFFD (private use"));
    /* laid out again (measuring, fitting): not reported twice */
    lay(a, &p, 300);
    double mn, mx;
    CHECK(tx->measure(tx, a, &p, &mn, &mx) == DK_OK);
    CHECK(ctx.nwarn == w0 + 1);
    /* somewhere else in the deck: reported again */
    p.src = 99;
    lay(a, &p, 600);
    CHECK(ctx.nwarn == w0 + 2);

    CHECK_STR(dk_text_font_package(0x4E2D), "fonts-noto-cjk");
    CHECK_STR(dk_text_font_package(0xAC00), "fonts-noto-cjk");
    CHECK_STR(dk_text_font_package(0x0915), "fonts-noto-core");
    CHECK_STR(dk_text_font_package(0x0E01), "fonts-noto-core");
    CHECK_STR(dk_text_font_package(0x1F600), "fonts-noto-color-emoji");
    CHECK(dk_text_font_package(0x10FFFD) == NULL);
    CHECK(dk_text_font_package('A') == NULL);
}

/* Every script of tests/data/scripts/deck.md has a font. */
static void test_coverage(dk_arena *a) {
    if (!installed("/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf") ||
        !installed("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc") ||
        !installed("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"))
        return;
    static const char *const samples[] = {
        "مرحبا بالعالم", "שלום עולם", "नमस्ते दुनिया", "ภาษาไทย", "你好，世界", "こんにちは世界",
        "안녕하세요 세계", "বাংলা", "தமிழ்", "ქართული", "Հայերեն", "ኢትዮጵያ", "ខ្មែរ",
        "👨‍👩‍👧‍👦 🇫🇷 👋🏽 🏳️‍🌈", "ﬁ e\xCC\x81 Tiếng Việt ∑ → ①",
    };
    int w0 = ctx.nwarn;
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        dk_para p = para1(a, samples[i], &base, NULL, 0);
        dk_textlayout *tl = lay(a, &p, 600);
        CHECK(tl->missing == 0);
        if (tl->missing) fprintf(stderr, "  missing glyphs in \"%s\"\n", samples[i]);
    }
    CHECK(ctx.nwarn == w0);
}

/* The family of the font pango chose for the first character. */
static const char *first_family(const dk_textlayout *tl, char *buf, size_t n) {
    PangoLayoutIter *it = pango_layout_get_iter(tl->impl);
    PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
    buf[0] = 0;
    if (run) {
        PangoFontDescription *d = pango_font_describe(run->item->analysis.font);
        snprintf(buf, n, "%s", pango_font_description_get_family(d));
        pango_font_description_free(d);
    }
    pango_layout_iter_free(it);
    return buf;
}

static void test_cjk_lang(dk_arena *a) {
    if (!installed("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")) return;
    char b[128];
    static const struct {
        const char *lang, *family;
    } cases[] = {{"ja", "Noto Sans CJK JP"}, {"zh-Hans", "Noto Sans CJK SC"},
                 {"zh-CN", "Noto Sans CJK SC"}, {"zh-TW", "Noto Sans CJK TC"},
                 {"zh-Hant", "Noto Sans CJK TC"}, {"zh-HK", "Noto Sans CJK HK"},
                 {"ko", "Noto Sans CJK KR"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        dk_para p = para1(a, "直骨", &base, cases[i].lang, 0);
        CHECK_STR(first_family(lay(a, &p, 600), b, sizeof b), cases[i].family);
    }
    /* a run's own lang wins over the paragraph's */
    dk_para p = para1(a, "直骨", &base, "zh-Hans", 0);
    p.runs[0].lang = "ja";
    CHECK_STR(first_family(lay(a, &p, 600), b, sizeof b), "Noto Sans CJK JP");
}

static int at_boundary(size_t off, const size_t *ok, int n) {
    for (int i = 0; i < n; i++)
        if (ok[i] == off) return 1;
    return 0;
}

static void test_thai(dk_arena *a) {
    if (!installed("/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf")) return;
    /* ภาษา|ไทย|เป็น|ภาษา|ที่|ไม่|มี|การ|เว้น|วรรค|ระหว่าง|คำ: libthai's dictionary breaks */
    static const char *const words[] = {"ภาษา", "ไทย", "เป็น", "ภาษา", "ที่", "ไม่",
                                        "มี", "การ", "เว้น", "วรรค", "ระหว่าง", "คำ"};
    char text[512] = "";
    size_t ok[16];
    int nok = 0;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        strcat(text, words[i]);
        ok[nok++] = strlen(text);
    }
    dk_para p = para1(a, text, &base, "th", 0);
    for (double w = 60; w <= 200; w += 35) {
        dk_textlayout *tl = lay(a, &p, w);
        CHECK(tl->nlines > 1);
        for (int l = 0; l < tl->nlines; l++) {
            CHECK(at_boundary(tl->lines[l].end, ok, nok));
            if (!at_boundary(tl->lines[l].end, ok, nok))
                fprintf(stderr, "  width %g: line %d ends inside a word at byte %zu\n", w, l,
                        tl->lines[l].end);
        }
    }
}

/* Does line l end between two letters (a break inside a word)? */
static int ends_mid_word(const dk_textlayout *tl, int l) {
    const dk_line *L = &tl->lines[l];
    const char *t = tl->para->text;
    if (L->end == 0 || L->end >= tl->para->len) return 0;
    gunichar before = g_utf8_get_char(g_utf8_find_prev_char(t, t + L->end));
    gunichar after = g_utf8_get_char(t + L->end);
    return g_unichar_isalpha(before) && g_unichar_isalpha(after);
}

static void test_hyphens(dk_arena *a) {
    if (!installed("/usr/share/hyphen/hyph_en_US.dic")) return;
    dk_hyph *h = dk_hyph_new(NULL);
    unsigned char after[64];
    const char *w = "hyphenation";
    CHECK(dk_hyph_word(h, "en-US", w, strlen(w), after) > 0);
    CHECK(after[1] == 1 && after[0] == 0); /* hy-phen-ation */
    CHECK(dk_hyph_word(h, "en", "cat", 3, after) == 0); /* too short */
    CHECK(dk_hyph_word(h, "xx", w, strlen(w), after) == 0); /* no dictionary */
    CHECK(!dk_hyph_has(h, "xx"));
    if (access("/usr/share/hyphen/hyph_de_DE.dic", R_OK) == 0) {
        /* an ISO 8859-1 dictionary, a word with ü */
        const char *de = "Silbentrennungsüberprüfung";
        unsigned char af[64];
        CHECK(dk_hyph_word(h, "de-DE", de, strlen(de), af) > 2);
    }
    dk_hyph_free(h);

    const char *text = "Internationalization considerations notwithstanding, "
                       "extraordinarily incomprehensible terminology proliferates.";
    dk_style hy = base;
    hy.hyphens = DK_HYPHENS_AUTO;
    int mid_auto = 0, mid_manual = 0;
    for (double width = 150; width <= 260; width += 10) {
        dk_para p = para1(a, text, &hy, "en", 0);
        dk_textlayout *tl = lay(a, &p, width);
        for (int l = 0; l < tl->nlines; l++) {
            mid_auto += ends_mid_word(tl, l);
            CHECK(tl->lines[l].w <= width + 0.5);
        }
        /* lines still cover the text exactly, in the paragraph's own offsets */
        CHECK(tl->lines[0].start == 0 && tl->lines[tl->nlines - 1].end == strlen(text));
        for (int l = 1; l < tl->nlines; l++) CHECK(tl->lines[l].start == tl->lines[l - 1].end);
        p = para1(a, text, &base, "en", 0); /* hyphens: manual */
        tl = lay(a, &p, width);
        for (int l = 0; l < tl->nlines; l++) mid_manual += ends_mid_word(tl, l);
    }
    CHECK(mid_auto > 5);
    CHECK(mid_manual == 0);
    /* no lang: no hyphenation, as in browsers */
    dk_para p = para1(a, text, &hy, NULL, 0);
    dk_textlayout *tl = lay(a, &p, 150);
    for (int l = 0; l < tl->nlines; l++) CHECK(!ends_mid_word(tl, l));

    /* soft hyphens break with a visible hyphen, whatever hyphens says */
    const char *shy = "extra\xC2\xAD" "ordinary extra\xC2\xAD" "ordinary";
    p = para1(a, shy, &base, NULL, 0);
    tl = lay(a, &p, 70);
    CHECK(tl->nlines >= 2);
    CHECK(tl->lines[0].end == 7); /* after "extra" + U+00AD */
    PangoLayoutLine *line = pango_layout_get_line_readonly(tl->impl, 0);
    PangoRectangle log;
    pango_layout_line_get_extents(line, NULL, &log);
    dk_para p2 = para1(a, "extra", &base, NULL, 0);
    CHECK(tl->lines[0].w > lay(a, &p2, -1)->w + 3); /* the hyphen is drawn */
}

static void test_justify(dk_arena *a) {
    dk_style j = base;
    j.text_align = DK_ALIGN_JUSTIFY;
    const char *text = "Justified text fills every line to the edge, except the last one, which "
                       "is aligned to the start as browsers do.";
    dk_para p = para1(a, text, &j, NULL, 0);
    dk_textlayout *tl = lay(a, &p, 300);
    CHECK(tl->nlines >= 3);
    for (int l = 0; l + 1 < tl->nlines; l++) CHECK_NEAR(tl->lines[l].w, 300, 0.6);
    CHECK(tl->lines[tl->nlines - 1].w < 250);
    CHECK_NEAR(tl->lines[tl->nlines - 1].x, 0, 0.01);
    /* RTL: the last line sits at the right */
    p = para1(a, "هذا نص عربي طويل بما يكفي ليمتد على عدة أسطر عند عرض ضيق جدا", &j, "ar",
              DK_DIR_RTL);
    tl = lay(a, &p, 200);
    CHECK(tl->nlines >= 2);
    const dk_line *last = &tl->lines[tl->nlines - 1];
    CHECK_NEAR(last->x + last->w, 200, 0.6);
}

int main(void) {
    dk_ctx_init(&ctx, "t.md", NULL, 0);
    ctx.log = &log_;
    ctx.quiet = 1;
    FcConfig *fc = NULL;
    CHECK(dk_fonts_new(&ctx, DK_TEST_DATA "/..", &fc) == DK_OK);
    CHECK(dk_text_pango_new(&ctx, fc, &tx) == DK_OK);
    base = *dk_style_initial();
    base.font_family = "DejaVu Sans";
    base.font_size = 20;
    base.line_height = 28;
    dk_arena *a = dk_arena_new();
    if (tx && a) {
        test_direction(a);
        test_missing(a);
        test_coverage(a);
        test_cjk_lang(a);
        test_thai(a);
        test_hyphens(a);
        test_justify(a);
    }
    dk_arena_free(a);
    if (tx) tx->destroy(tx);
    dk_fonts_free(fc);
    dk_buf_free(&log_);
    return dk_test_done();
}
