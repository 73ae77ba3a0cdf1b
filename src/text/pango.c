/*
 * The pango backend of dk_text.
 *
 * Design. One PangoContext per deck over a private fontconfig map, with
 * hinting off, metrics unhinted and glyph positions unrounded, so a
 * paragraph measures the same whether it is later drawn into a PDF or a
 * PNG at any scale. Pango breaks, shapes and reorders; we take its lines
 * (which bytes, their x extents) but compute line boxes ourselves the CSS
 * way (CSS 2.1 §10.8): each inline run's box is its primary font's ascent +
 * descent, grown or shrunk by half-leading to its line-height; atomic
 * inlines sit on the baseline; the block's strut is always present. Like
 * Blink, font ascent and descent are rounded to whole pixels before use,
 * so our line boxes agree with Chromium's.
 *
 * Painting draws each PangoLayoutLine at the baseline we computed.
 */
#include "text.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <hb-ot.h>
#include <hb.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdlib.h>
#include <string.h>

#include "hyphen.h"

/* A (deck position, character) that has been reported as missing. */
typedef struct {
    size_t src;
    uint32_t cp;
} warned;

typedef struct {
    dk_text base;
    dk_ctx *ctx;
    PangoFontMap *fm;
    PangoContext *pc[2];    /* base direction LTR, RTL; never changed after set-up, because a
                               PangoLayout re-lays itself out when its context changes */
    dk_hyph *hyph;
    warned *warned;         /* missing glyphs already reported */
    int nwarned, capwarned;
    GHashTable *metrics;    /* font_key -> font_metrics: pango_context_get_metrics shapes a
                               sample text on every call */
} ptext;

#define PS ((double)PANGO_SCALE)

static void ptext_destroy(dk_text *t) {
    ptext *p = (ptext *)t;
    for (int i = 0; i < 2; i++)
        if (p->pc[i]) g_object_unref(p->pc[i]);
    if (p->fm) g_object_unref(p->fm);
    if (p->metrics) g_hash_table_destroy(p->metrics);
    dk_hyph_free(p->hyph);
    free(p->warned);
    free(p);
}

/* "\"DejaVu Sans\", sans-serif" -> "DejaVu Sans,sans-serif" (pango's family list). */
static void family_list(const char *css, char *out, size_t cap) {
    size_t n = 0;
    if (!css || !*css) css = "sans-serif";
    for (const char *s = css; *s && n + 1 < cap; s++) {
        if (*s == '"' || *s == '\'') continue;
        if (*s == ',') {
            while (n && out[n - 1] == ' ') n--;
            out[n++] = ',';
            while (s[1] == ' ') s++;
            continue;
        }
        if (*s == ' ' && n && out[n - 1] == ',') continue;
        out[n++] = *s;
    }
    while (n && out[n - 1] == ' ') n--;
    out[n] = 0;
}

/*
 * The Noto CJK face for a language tag, or NULL. One font collection holds
 * the Japanese, Korean, Simplified and Traditional Chinese (Taiwan, Hong
 * Kong) faces; they cover the same characters with different glyph forms,
 * so fontconfig's language matching cannot choose between them (Debian
 * does it with the rules of 70-fonts-noto-cjk.conf, which we do not read).
 */
static const char *cjk_family(const char *lang) {
    if (!lang) return NULL;
    size_t n = strlen(lang);
    char l[32];
    if (n >= sizeof l) n = sizeof l - 1;
    for (size_t i = 0; i < n; i++) l[i] = (char)g_ascii_tolower(lang[i] == '_' ? '-' : lang[i]);
    l[n] = 0;
    if (strcmp(l, "ja") == 0 || strncmp(l, "ja-", 3) == 0) return "Noto Sans CJK JP";
    if (strcmp(l, "ko") == 0 || strncmp(l, "ko-", 3) == 0) return "Noto Sans CJK KR";
    if (strcmp(l, "zh") != 0 && strncmp(l, "zh-", 3) != 0 && strcmp(l, "yue") != 0 &&
        strncmp(l, "yue-", 4) != 0)
        return NULL;
    if (strstr(l, "-hk") || strstr(l, "-mo") || l[0] == 'y') return "Noto Sans CJK HK";
    if (strstr(l, "-hant") || strstr(l, "-tw")) return "Noto Sans CJK TC";
    return "Noto Sans CJK SC";
}

static PangoFontDescription *font_desc(const dk_style *s, const char *lang) {
    char fam[560];
    family_list(s->font_family, fam, 512);
    const char *cjk = cjk_family(lang);
    if (cjk) {
        /* after the author's families, before anything fontconfig would pick */
        size_t n = strlen(fam);
        snprintf(fam + n, sizeof fam - n, ",%s", cjk);
    }
    PangoFontDescription *d = pango_font_description_new();
    pango_font_description_set_family(d, fam);
    pango_font_description_set_absolute_size(d, s->font_size * PS);
    pango_font_description_set_weight(d, (PangoWeight)s->font_weight);
    pango_font_description_set_style(d, s->font_italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    return d;
}

/* A run's box above and below the baseline, CSS style, before the line sees it. */
typedef struct {
    double ascent, descent; /* rounded font metrics (the content area) */
    double above, below;    /* with half-leading applied */
} vmetrics;

/* What a font's metrics depend on: the style's font and the language (see font_desc). */
typedef struct {
    char *family, *lang; /* lang may be NULL */
    float size;
    unsigned short weight;
    unsigned char italic;
} font_key;

typedef struct {
    font_key key;        /* owns its strings */
    double ascent, descent;
} font_metrics;

static guint font_key_hash(gconstpointer k) {
    const font_key *f = k;
    guint h = g_str_hash(f->family) * 31 + (f->lang ? g_str_hash(f->lang) : 0);
    return h * 31 + (guint)(f->size * 64) + f->weight * 2u + f->italic;
}

static gboolean font_key_equal(gconstpointer a, gconstpointer b) {
    const font_key *x = a, *y = b;
    return x->size == y->size && x->weight == y->weight && x->italic == y->italic &&
           strcmp(x->family, y->family) == 0 && g_strcmp0(x->lang, y->lang) == 0;
}

static void font_metrics_free(gpointer v) {
    font_metrics *m = v;
    g_free(m->key.family);
    g_free(m->key.lang);
    g_free(m);
}

static vmetrics run_metrics(ptext *p, const dk_style *s, const char *lang) {
    font_key k = {(char *)(s->font_family ? s->font_family : ""), (char *)lang, s->font_size,
                  s->font_weight, s->font_italic};
    font_metrics *fm = g_hash_table_lookup(p->metrics, &k);
    if (!fm) {
        PangoFontDescription *d = font_desc(s, lang);
        PangoLanguage *pl = lang ? pango_language_from_string(lang) : NULL;
        PangoFontMetrics *m = pango_context_get_metrics(p->pc[0], d, pl);
        fm = g_new(font_metrics, 1);
        fm->key = k;
        fm->key.family = g_strdup(k.family);
        fm->key.lang = g_strdup(lang);
        fm->ascent = round(pango_font_metrics_get_ascent(m) / PS);
        fm->descent = round(pango_font_metrics_get_descent(m) / PS);
        pango_font_metrics_unref(m);
        pango_font_description_free(d);
        g_hash_table_add(p->metrics, fm);
    }
    vmetrics v;
    v.ascent = fm->ascent;
    v.descent = fm->descent;
    double lh = s->line_height >= 0 ? s->line_height : v.ascent + v.descent;
    double half = (lh - (v.ascent + v.descent)) / 2;
    v.above = v.ascent + half;
    v.below = v.descent + half;
    return v;
}

static void add_attr(PangoAttrList *l, PangoAttribute *a, size_t start, size_t end) {
    a->start_index = (guint)start;
    a->end_index = (guint)end;
    pango_attr_list_insert(l, a);
}

static const char *run_lang(const dk_para *para, const dk_run *r) {
    return r->lang && *r->lang ? r->lang : para->lang && *para->lang ? para->lang : NULL;
}

/* Does white-space `ws` keep lines from wrapping (pre, nowrap)? */
static int no_wrap(int ws) { return ws == DK_WS_PRE || ws == DK_WS_NOWRAP; }

/*
 * Is the paragraph right-to-left? dir="rtl"/"ltr" decide; otherwise CSS
 * direction: rtl (which dir="rtl" on an ancestor sets) does; otherwise, for
 * dir="auto" and for text without any dir, the first strong character
 * (UAX #9 rules P2 and P3, what `unicode-bidi: plaintext` gives in a
 * browser), and a paragraph without one is left-to-right.
 */
static int resolve_rtl(const dk_para *para) {
    if (para->dir == DK_DIR_RTL) return 1;
    if (para->dir == DK_DIR_LTR) return 0;
    if (para->dir == DK_DIR_UNSET && para->style->direction_rtl) return 1;
    /* deprecated only in favour of fribidi, which pango calls itself */
    G_GNUC_BEGIN_IGNORE_DEPRECATIONS
    PangoDirection d = pango_find_base_dir(para->text, (gint)para->len);
    G_GNUC_END_IGNORE_DEPRECATIONS
    if (d == PANGO_DIRECTION_RTL) return 1;
    if (d == PANGO_DIRECTION_LTR) return 0;
    return para->style->direction_rtl;
}

/*
 * The text pango lays out: the paragraph's, with U+00AD inserted at the
 * hyphenation points of words under `hyphens: auto` (so pango may break
 * there and draws a hyphen when it does). o2p / p2o map byte offsets
 * between the two; both NULL when nothing was inserted.
 */
typedef struct {
    const char *text;
    size_t len;
    size_t *o2p, *p2o;
} tmap;

static size_t O2P(const tmap *m, size_t o) { return m->o2p ? m->o2p[o] : o; }
static size_t P2O(const tmap *m, size_t q) { return m->p2o ? m->p2o[q] : q; }

static int is_word_char(gunichar c) {
    switch (g_unichar_type(c)) {
    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK: return 1;
    default: return 0;
    }
}

static dk_status hyphenate(ptext *p, dk_arena *a, const dk_para *para, tmap *m) {
    *m = (tmap){para->text, para->len, NULL, NULL};
    unsigned char *after = NULL;
    size_t k = 0;
    for (int i = 0; i < para->nruns; i++) {
        const dk_run *r = &para->runs[i];
        const char *lang = run_lang(para, r);
        if (r->atomic || r->style->hyphens != DK_HYPHENS_AUTO || !lang) continue;
        if (!dk_hyph_has(p->hyph, lang)) continue;
        if (!after) {
            after = dk_arena_alloc(a, para->len + 1);
            if (!after) return DK_ENOMEM;
        }
        const char *t = para->text;
        for (size_t b = r->start; b < r->end;) {
            size_t e = b;
            while (e < r->end && is_word_char(g_utf8_get_char(t + e)))
                e = (size_t)(g_utf8_next_char(t + e) - t);
            if (e > b) {
                int n = dk_hyph_word(p->hyph, lang, t + b, e - b, after + b);
                if (n < 0) return DK_ENOMEM;
                k += (size_t)n;
                b = e;
            } else {
                b = (size_t)(g_utf8_next_char(t + b) - t);
            }
        }
    }
    /*
     * A browser may break after any space (Blink does), while UAX #14 LB13 keeps
     * a space and a following `:`, `!`, `)` ... together ("::: left <img> :::"
     * would not wrap). A zero-width space after such a space gives pango the
     * break opportunity (LB8).
     */
    size_t z = 0;
    for (int i = 0; i < para->nruns; i++) {
        const dk_run *r = &para->runs[i];
        if (r->atomic || no_wrap(r->style->white_space)) continue;
        for (size_t b = r->start; b < r->end && b + 1 < para->len; b++) {
            if (para->text[b] != ' ') continue;
            switch (g_unichar_break_type(g_utf8_get_char(para->text + b + 1))) {
            case G_UNICODE_BREAK_CLOSE_PUNCTUATION:
            case G_UNICODE_BREAK_CLOSE_PARANTHESIS:
            case G_UNICODE_BREAK_EXCLAMATION:
            case G_UNICODE_BREAK_INFIX_SEPARATOR:
            case G_UNICODE_BREAK_SYMBOL: break;
            default: continue;
            }
            if (!after && !(after = dk_arena_alloc(a, para->len + 1))) return DK_ENOMEM;
            if (!after[b]) after[b] = 2, z++;
        }
    }
    if (k == 0 && z == 0) return DK_OK;
    size_t plen = para->len + 2 * k + 3 * z;
    char *pt = dk_arena_alloc(a, plen + 1);
    m->o2p = dk_arena_alloc(a, sizeof(size_t) * (para->len + 1));
    m->p2o = dk_arena_alloc(a, sizeof(size_t) * (plen + 1));
    if (!pt || !m->o2p || !m->p2o) return DK_ENOMEM;
    size_t q = 0;
    for (size_t o = 0; o < para->len; o++) {
        m->o2p[o] = q;
        m->p2o[q] = o;
        pt[q++] = para->text[o];
        if (after[o] == 2) {
            m->p2o[q] = m->p2o[q + 1] = m->p2o[q + 2] = o + 1; /* U+200B ZERO WIDTH SPACE */
            pt[q++] = (char)0xE2;
            pt[q++] = (char)0x80;
            pt[q++] = (char)0x8B;
        } else if (after[o]) {
            m->p2o[q] = m->p2o[q + 1] = o + 1; /* the inserted hyphen belongs to what follows */
            pt[q++] = (char)0xC2;
            pt[q++] = (char)0xAD;
        }
    }
    m->o2p[para->len] = q;
    m->p2o[q] = para->len;
    DK_ASSERT(q == plen);
    m->text = pt;
    m->len = plen;
    return DK_OK;
}

/* Is c a visible character font f has no glyph for (an atomic inline's U+FFFC is not)? */
static int lacks(PangoFont *f, gunichar c) {
    return c && c != 0xFFFC && g_unichar_isgraph(c) && !pango_font_has_char(f, c);
}

/*
 * Spaces of run r in the first font of its family list, as Chromium takes
 * them whatever script is around: pango keeps the font of the text around a
 * space, so one between Korean or Japanese words would come out in the
 * (narrower) CJK face. Only spaces next to a character that first font
 * lacks are concerned (runs that are all ASCII are skipped at once).
 */
static void primary_spaces(ptext *p, const dk_para *para, const dk_run *r, const tmap *m,
                           PangoAttrList *al) {
    const char *t = para->text;
    size_t i = r->start;
    while (i < r->end && !(t[i] & 0x80)) i++;
    if (i == r->end || !memchr(t + r->start, ' ', r->end - r->start)) return;
    PangoFontDescription *d = font_desc(r->style, run_lang(para, r));
    PangoFont *f = pango_context_load_font(p->pc[0], d);
    pango_font_description_free(d);
    if (!f) return;
    hb_codepoint_t g;
    PangoRectangle log = {0};
    int ok = hb_font_get_nominal_glyph(pango_font_get_hb_font(f), ' ', &g);
    if (ok) pango_font_get_glyph_extents(f, g, NULL, &log);
    if (!ok || log.width <= 0) {
        g_object_unref(f);
        return;
    }
    PangoRectangle box = {0, 0, log.width, 0};
    for (i = r->start; i < r->end; i++) {
        if (t[i] != ' ') continue;
        gunichar prev = i ? g_utf8_get_char(g_utf8_prev_char(t + i)) : 0;
        gunichar next = i + 1 < para->len ? g_utf8_get_char(t + i + 1) : 0;
        int foreign = lacks(f, prev) || lacks(f, next);
        if (foreign) add_attr(al, pango_attr_shape_new(&box, &box), O2P(m, i), O2P(m, i + 1));
    }
    g_object_unref(f);
}

static PangoLayout *make_layout(ptext *p, const dk_para *para, const tmap *m, int rtl,
                                double width) {
    PangoLayout *lo = pango_layout_new(p->pc[rtl]);
    pango_layout_set_auto_dir(lo, FALSE); /* the direction is resolved once for the whole block */
    pango_layout_set_text(lo, m->text, (int)m->len);
    PangoAttrList *al = pango_attr_list_new();
    for (int i = 0; i < para->nruns; i++) {
        const dk_run *r = &para->runs[i];
        const dk_style *s = r->style;
        size_t rs = O2P(m, r->start), re = O2P(m, r->end);
        if (r->atomic) {
            PangoRectangle ink = {0, (int)(-r->box_baseline * PS), (int)(r->box_w * PS),
                                  (int)(r->box_h * PS)};
            add_attr(al, pango_attr_shape_new(&ink, &ink), rs, re);
            continue;
        }
        const char *lang = run_lang(para, r);
        PangoFontDescription *d = font_desc(s, lang);
        add_attr(al, pango_attr_font_desc_new(d), rs, re);
        pango_font_description_free(d);
        if (lang) add_attr(al, pango_attr_language_new(pango_language_from_string(lang)), rs, re);
        add_attr(al, pango_attr_foreground_new(s->color.r * 257, s->color.g * 257, s->color.b * 257),
                 rs, re);
        if (s->color.a < 255)
            add_attr(al, pango_attr_foreground_alpha_new((guint16)(s->color.a * 257)), rs, re);
        if (s->text_decoration & DK_DECO_UNDERLINE)
            add_attr(al, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE), rs, re);
        if (s->text_decoration & DK_DECO_LINE_THROUGH)
            add_attr(al, pango_attr_strikethrough_new(TRUE), rs, re);
        if (s->text_decoration & DK_DECO_OVERLINE)
            add_attr(al, pango_attr_overline_new(PANGO_OVERLINE_SINGLE), rs, re);
        if (s->letter_spacing != 0)
            add_attr(al, pango_attr_letter_spacing_new((int)(s->letter_spacing * PS)), rs, re);
        if (r->shift != 0) add_attr(al, pango_attr_rise_new((int)(r->shift * PS)), rs, re);
        primary_spaces(p, para, r, m, al);
    }
    pango_layout_set_attributes(lo, al);
    pango_attr_list_unref(al);

    const dk_style *bs = para->style;
    int nowrap = no_wrap(bs->white_space);
    pango_layout_set_wrap(lo, PANGO_WRAP_WORD);
    pango_layout_set_width(lo, (width < 0 || nowrap) ? -1 : (int)floor(width * PS + 0.5));
    /* physical alignment: with auto_dir off pango does not swap left and right */
    PangoAlignment start = rtl ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
    PangoAlignment end = rtl ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT;
    PangoAlignment al_ = start;
    switch (bs->text_align) {
    case DK_ALIGN_CENTER: al_ = PANGO_ALIGN_CENTER; break;
    case DK_ALIGN_RIGHT: al_ = PANGO_ALIGN_RIGHT; break;
    case DK_ALIGN_LEFT: al_ = PANGO_ALIGN_LEFT; break;
    case DK_ALIGN_END: al_ = end; break;
    default: break; /* start; justify: its last line is start-aligned */
    }
    if (nowrap) al_ = PANGO_ALIGN_LEFT; /* aligned by us, see ptext_layout */
    pango_layout_set_alignment(lo, al_);
    pango_layout_set_justify(lo, bs->text_align == DK_ALIGN_JUSTIFY);
    return lo;
}

static int run_at(const dk_para *para, size_t byte) {
    int lo = 0, hi = para->nruns - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (para->runs[mid].start <= byte) lo = mid;
        else hi = mid - 1;
    }
    return lo;
}

static int is_space_only(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\n' && s[i] != '\t') return 0;
    return 1;
}

/* ---- missing glyphs ---------------------------------------------------------------- */

/* Unicode blocks and the Debian package whose fonts (in fonts.c's list) draw them. */
static const struct {
    uint32_t lo, hi;
    const char *pkg;
} block_pkg[] = {
    {0x0530, 0x058F, "fonts-noto-core"},         /* Armenian */
    {0x0590, 0x05FF, "fonts-noto-core"},         /* Hebrew */
    {0x0600, 0x08FF, "fonts-noto-core"},         /* Arabic, Syriac, Thaana, NKo, Arabic ext. */
    {0x0900, 0x0DFF, "fonts-noto-core"},         /* Devanagari ... Sinhala */
    {0x0E00, 0x0EFF, "fonts-noto-core"},         /* Thai, Lao */
    {0x0F00, 0x0FFF, "fonts-noto-extra"},        /* Tibetan */
    {0x1000, 0x109F, "fonts-noto-core"},         /* Myanmar */
    {0x10A0, 0x10FF, "fonts-noto-core"},         /* Georgian */
    {0x1100, 0x11FF, "fonts-noto-cjk"},          /* Hangul Jamo */
    {0x1200, 0x139F, "fonts-noto-core"},         /* Ethiopic */
    {0x13A0, 0x13FF, "fonts-noto-core"},         /* Cherokee */
    {0x1400, 0x167F, "fonts-noto-core"},         /* Canadian Aboriginal */
    {0x1780, 0x17FF, "fonts-noto-core"},         /* Khmer */
    {0x1800, 0x18AF, "fonts-noto-core"},         /* Mongolian */
    {0x2190, 0x23FF, "fonts-noto-core"},         /* arrows, mathematical operators, technical */
    {0x2460, 0x25FF, "fonts-noto-core"},         /* enclosed alphanumerics, boxes, shapes */
    {0x2600, 0x27BF, "fonts-noto-color-emoji"},  /* miscellaneous symbols, dingbats */
    {0x27C0, 0x2BFF, "fonts-noto-core"},         /* math, arrows, symbols */
    {0x2E80, 0x2FDF, "fonts-noto-cjk"},          /* CJK radicals */
    {0x3000, 0x9FFF, "fonts-noto-cjk"},          /* CJK punctuation, kana, Hangul compat., ideographs */
    {0xA960, 0xA97F, "fonts-noto-cjk"},          /* Hangul Jamo ext. A */
    {0xAC00, 0xD7FF, "fonts-noto-cjk"},          /* Hangul syllables, Jamo ext. B */
    {0xF900, 0xFAFF, "fonts-noto-cjk"},          /* CJK compatibility ideographs */
    {0xFB1D, 0xFB4F, "fonts-noto-core"},         /* Hebrew presentation forms */
    {0xFB50, 0xFDFF, "fonts-noto-core"},         /* Arabic presentation forms A */
    {0xFE30, 0xFE4F, "fonts-noto-cjk"},          /* CJK compatibility forms */
    {0xFE70, 0xFEFF, "fonts-noto-core"},         /* Arabic presentation forms B */
    {0xFF00, 0xFFEF, "fonts-noto-cjk"},          /* half- and full-width forms */
    {0x1D400, 0x1D7FF, "fonts-noto-core"},       /* mathematical alphanumerics */
    {0x1F000, 0x1FAFF, "fonts-noto-color-emoji"}, /* emoji, flags, symbols */
    {0x20000, 0x3FFFF, "fonts-noto-cjk"},        /* CJK ideographs ext. B and later */
};

const char *dk_text_font_package(uint32_t cp) {
    for (size_t i = 0; i < sizeof block_pkg / sizeof *block_pkg; i++)
        if (cp >= block_pkg[i].lo && cp <= block_pkg[i].hi) return block_pkg[i].pkg;
    return NULL;
}

static int is_private_use(uint32_t cp) {
    return (cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000;
}

/* Why a character may be missing, for the warning: "in fonts-noto-cjk", "private use", ... */
static const char *missing_why(uint32_t cp) {
    static const char *const in[] = {"in fonts-noto-core", "in fonts-noto-cjk",
                                     "in fonts-noto-color-emoji", "in fonts-noto-extra"};
    const char *pkg = dk_text_font_package(cp);
    for (size_t i = 0; pkg && i < sizeof in / sizeof *in; i++)
        if (strcmp(in[i] + 3, pkg) == 0) return in[i];
    if (is_private_use(cp)) return "private use: only a font made for it has it";
    return "no font package known";
}

/* Remember (src, cp); 0 when it was reported before (or on OOM: better silent than noisy). */
static int first_report(ptext *p, size_t src, uint32_t cp) {
    for (int i = 0; i < p->nwarned; i++)
        if (p->warned[i].src == src && p->warned[i].cp == cp) return 0;
    if (p->nwarned == p->capwarned) {
        int cap = p->capwarned ? p->capwarned * 2 : 16;
        warned *w = realloc(p->warned, sizeof *w * (size_t)cap);
        if (!w) return 0;
        p->warned = w;
        p->capwarned = cap;
    }
    p->warned[p->nwarned++] = (warned){src, cp};
    return 1;
}

static size_t pos_of(const dk_para *para, const dk_run *r) {
    if (r->src && r->src != DK_NOPOS) return r->src;
    if (para->src && para->src != DK_NOPOS) return para->src;
    return DK_NOPOS;
}

/*
 * Count the characters pango drew as missing-glyph boxes (no font in the
 * private configuration has them) and warn about each once per deck
 * position: the characters as U+XXXX and the package whose fonts have them.
 */
static void report_missing(ptext *p, const dk_para *para, const tmap *m, PangoLayout *lo,
                           dk_textlayout *tl) {
    enum { MAXC = 8 };
    uint32_t cps[MAXC];
    int ncps = 0, more = 0;
    size_t at = DK_NOPOS;
    PangoLayoutIter *it = pango_layout_get_iter(lo);
    do {
        PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
        if (!run) continue;
        const PangoGlyphString *gs = run->glyphs;
        for (int i = 0; i < gs->num_glyphs; i++) {
            PangoGlyph g = gs->glyphs[i].glyph;
            int unknown = (g & PANGO_GLYPH_UNKNOWN_FLAG) && g != PANGO_GLYPH_INVALID_INPUT;
            if (!unknown && g != 0) continue;
            size_t q = (size_t)(run->item->offset + gs->log_clusters[i]);
            if (q >= m->len) continue;
            uint32_t cp = g_utf8_get_char(m->text + q);
            /* control characters and line separators are not meant to be drawn */
            if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 || cp == 0x2029) continue;
            tl->missing++;
            const dk_run *r = &para->runs[0];
            size_t o = P2O(m, q);
            for (int k = 0; k < para->nruns; k++)
                if (para->runs[k].start <= o && o < para->runs[k].end) r = &para->runs[k];
            size_t src = pos_of(para, r);
            if (!first_report(p, src, cp)) continue;
            if (at == DK_NOPOS) at = src;
            int dup = 0;
            for (int k = 0; k < ncps; k++) dup |= cps[k] == cp;
            if (dup) continue;
            if (ncps < MAXC) cps[ncps++] = cp;
            else more++;
        }
    } while (pango_layout_iter_next_run(it));
    pango_layout_iter_free(it);
    if (!ncps || !p->ctx) return;

    /* "U+0F40 U+0F41 (in fonts-noto-extra), U+10FFFD (private use)" */
    dk_buf b = {0};
    for (int k = 0; k < ncps; k++) {
        const char *why = missing_why(cps[k]);
        dk_buf_printf(&b, "U+%04X", (unsigned)cps[k]);
        if (k + 1 < ncps && strcmp(why, missing_why(cps[k + 1])) == 0) {
            dk_buf_addc(&b, ' ');
            continue;
        }
        dk_buf_printf(&b, " (%s)%s", why, k + 1 < ncps ? ", " : "");
    }
    if (more) dk_buf_printf(&b, " and %d more", more);
    if (!b.oom)
        dk_diag_warn(p->ctx, at, "no installed font has %s; drawn as missing-glyph boxes", b.p);
    dk_buf_free(&b);
}

/*
 * The letter-spacing after the last character of line `L` (left-to-right
 * only). Chromium adds letter-spacing after every character, the last on a
 * line too, and counts it in the line's and the inline box's width; pango
 * drops it at the ends of a line.
 */
static double trailing_spacing(const dk_para *para, const dk_line *L, int rtl) {
    if (rtl || L->end <= L->start) return 0;
    const dk_run *r = &para->runs[run_at(para, L->end - 1)];
    return r->atomic ? 0 : r->style->letter_spacing;
}

/*
 * Make the paragraph's PangoLayout at `width` (released with `a`) into tl->impl and
 * set tl->rtl; reports missing glyphs. *m gets the text pango lays out.
 */
static dk_status break_lines(ptext *p, dk_arena *a, const dk_para *para, double width, tmap *m,
                             dk_textlayout *tl) {
    dk_status st;
    if ((st = hyphenate(p, a, para, m))) return st;
    tl->rtl = resolve_rtl(para);
    PangoLayout *lo = make_layout(p, para, m, tl->rtl, width);
    if (dk_arena_defer(a, g_object_unref, lo) != DK_OK) return DK_ENOMEM;
    tl->impl = lo;
    if (pango_layout_get_unknown_glyphs_count(lo) > 0) report_missing(p, para, m, lo, tl);
    return DK_OK;
}

static dk_status ptext_layout(dk_text *t, dk_arena *a, const dk_para *para, double width,
                              dk_textlayout **out) {
    ptext *p = (ptext *)t;
    dk_status st;
    *out = NULL;
    dk_textlayout *tl = dk_arena_alloc(a, sizeof *tl);
    if (!tl) return DK_ENOMEM;
    tl->para = para;
    tl->width = width;
    int nr = para->nruns;
    tl->run_rect = dk_arena_alloc(a, sizeof(dk_rect) * (size_t)(nr ? nr : 1));
    tl->run_first_line = dk_arena_alloc(a, sizeof(int) * (size_t)(nr ? nr : 1));
    tl->run_last_line = dk_arena_alloc(a, sizeof(int) * (size_t)(nr ? nr : 1));
    vmetrics *vm = dk_arena_alloc(a, sizeof(vmetrics) * (size_t)(nr ? nr : 1));
    if (!tl->run_rect || !tl->run_first_line || !tl->run_last_line || !vm) return DK_ENOMEM;
    for (int i = 0; i < nr; i++) {
        tl->run_first_line[i] = tl->run_last_line[i] = -1;
        const dk_run *r = &para->runs[i];
        if (r->atomic == DK_RUN_ATOMIC) { /* an edge run has its box's font, as text does */
            vm[i] = (vmetrics){r->box_baseline, r->box_h - r->box_baseline, r->box_baseline,
                               r->box_h - r->box_baseline};
        } else if (i > 0 && r->style == para->runs[i - 1].style && !para->runs[i - 1].atomic &&
                   run_lang(para, r) == run_lang(para, &para->runs[i - 1]) &&
                   r->shift == para->runs[i - 1].shift) {
            vm[i] = vm[i - 1];
            continue;
        } else {
            vm[i] = run_metrics(p, r->style, run_lang(para, r));
        }
        /* a raised run reaches higher above the baseline and less far below (CSS 2.1 §10.8) */
        vm[i].above += r->shift;
        vm[i].below -= r->shift;
    }
    vmetrics strut = run_metrics(p, para->style, para->lang);

    tmap m;
    PangoLayout *lo;
    if ((st = break_lines(p, a, para, width, &m, tl))) return st;
    lo = tl->impl;

    int nl = pango_layout_get_line_count(lo);
    /* a paragraph of one line feed (a lone <br>) is one line: the feed ends it and opens no
       other, as box/ drops the final feed of longer paragraphs */
    if (nl > 1 && para->len == 1 && para->text[0] == '\n') nl = 1;
    tl->lines = dk_arena_alloc(a, sizeof(dk_line) * (size_t)(nl ? nl : 1));
    if (!tl->lines) return DK_ENOMEM;
    int nowrap = no_wrap(para->style->white_space);
    double y = 0, maxw = 0;
    PangoLayoutIter *it = pango_layout_get_iter(lo);
    int li = 0;
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle log;
        pango_layout_iter_get_line_extents(it, NULL, &log);
        dk_line *L = &tl->lines[li];
        L->start = P2O(&m, (size_t)line->start_index);
        L->end = P2O(&m, (size_t)(line->start_index + line->length));
        L->x = log.x / PS;
        L->w = log.width / PS + trailing_spacing(para, L, tl->rtl);
        double above = strut.above, below = strut.below;
        for (size_t b = L->start; b < L->end;) {
            int ri = run_at(para, b);
            const dk_run *r = &para->runs[ri];
            size_t e = DK_MIN(r->end, L->end);
            if (r->atomic || !is_space_only(para->text + b, e - b) || e - b == r->end - r->start) {
                above = DK_MAX(above, vm[ri].above);
                below = DK_MAX(below, vm[ri].below);
            }
            b = e > b ? e : b + 1;
        }
        L->y = y;
        L->h = above + below;
        L->baseline = y + above;
        y += L->h;
        li++;
    } while (li < nl && pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    tl->nlines = li;
    for (int i = 0; i < tl->nlines; i++) maxw = DK_MAX(maxw, tl->lines[i].w);
    tl->w = maxw;
    tl->h = y;

    /* a nowrap paragraph is aligned by us inside the width */
    if (nowrap && width >= 0) {
        double f = tl->rtl ? 1 : 0;
        int al = para->style->text_align;
        if (al == DK_ALIGN_CENTER) f = 0.5;
        else if (al == DK_ALIGN_RIGHT) f = 1;
        else if (al == DK_ALIGN_LEFT) f = 0;
        else if (al == DK_ALIGN_END) f = tl->rtl ? 0 : 1;
        for (int i = 0; i < tl->nlines; i++) tl->lines[i].x += (width - tl->lines[i].w) * f;
    }

    /* where each run landed */
    int fcap = nr + tl->nlines + 8;
    tl->frags = dk_arena_alloc(a, sizeof(dk_frag) * (size_t)fcap);
    if (!tl->frags) return DK_ENOMEM;
    for (int i = 0; i < nr; i++) {
        const dk_run *r = &para->runs[i];
        double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
        for (int l = 0; l < tl->nlines; l++) {
            dk_line *L = &tl->lines[l];
            size_t s = DK_MAX(r->start, L->start), e = DK_MIN(r->end, L->end);
            if (s >= e && !(r->start == r->end && r->start >= L->start && r->start <= L->end))
                continue;
            int *ranges = NULL, n = 0;
            PangoLayoutLine *line = pango_layout_get_line_readonly(lo, l);
            pango_layout_line_get_x_ranges(line, (int)O2P(&m, s), (int)O2P(&m, e), &ranges, &n);
            double shift = nowrap ? L->x : 0;
            double fx0 = INFINITY, fx1 = -INFINITY;
            for (int k = 0; k < n; k++) {
                fx0 = DK_MIN(fx0, ranges[2 * k] / PS + shift);
                fx1 = DK_MAX(fx1, ranges[2 * k + 1] / PS + shift);
            }
            g_free(ranges);
            if (e == L->end) fx1 += trailing_spacing(para, L, tl->rtl);
            double top = (r->atomic == DK_RUN_ATOMIC ? L->baseline - r->box_baseline : L->baseline - vm[i].ascent) -
                         r->shift;
            double h = r->atomic == DK_RUN_ATOMIC ? r->box_h : vm[i].ascent + vm[i].descent;
            if (fx0 > fx1) continue;
            x0 = DK_MIN(x0, fx0);
            x1 = DK_MAX(x1, fx1);
            if (tl->nfrags == fcap) {
                dk_frag *nf = dk_arena_alloc(a, sizeof(dk_frag) * (size_t)fcap * 2);
                if (!nf) return DK_ENOMEM;
                memcpy(nf, tl->frags, sizeof(dk_frag) * (size_t)fcap);
                tl->frags = nf;
                fcap *= 2;
            }
            tl->frags[tl->nfrags++] = (dk_frag){i, l, {fx0, top, fx1 - fx0, h}};
            y0 = DK_MIN(y0, top);
            y1 = DK_MAX(y1, top + h);
            if (!is_space_only(para->text + s, e - s)) {
                if (tl->run_first_line[i] < 0) tl->run_first_line[i] = l;
                tl->run_last_line[i] = l;
            }
        }
        tl->run_rect[i] = x0 <= x1 ? (dk_rect){x0, y0, x1 - x0, y1 - y0} : (dk_rect){0, 0, 0, 0};
    }
    *out = tl;
    return DK_OK;
}

/* The widest line of a laid-out paragraph (what ptext_layout gives as w). */
static double widest_line(const dk_para *para, const tmap *m, const dk_textlayout *tl) {
    PangoLayout *lo = tl->impl;
    PangoLayoutIter *it = pango_layout_get_iter(lo);
    int nl = pango_layout_get_line_count(lo), li = 0;
    double w = 0;
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle log;
        pango_layout_iter_get_line_extents(it, NULL, &log);
        dk_line L = {.start = P2O(m, (size_t)line->start_index),
                     .end = P2O(m, (size_t)(line->start_index + line->length))};
        w = DK_MAX(w, log.width / PS + trailing_spacing(para, &L, tl->rtl));
        li++;
    } while (li < nl && pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    return w;
}

/* A text item of an unwrapped layout: characters [c0, c1) of its text. */
typedef struct {
    PangoItem *item;
    int c0, c1;
    int imposed; /* an atomic inline's (a shape attribute): its width does not depend on shaping */
} mitem;

/* The width of characters [c0, c1) of item `m` shaped on their own, as pango does a piece of
   an item that a line break cuts off. */
static long shape_alone(const mitem *m, const char *text, int len, const PangoLogAttr *la,
                        int c0, int c1) {
    const char *b0 = g_utf8_offset_to_pointer(text + m->item->offset, c0 - m->c0);
    const char *b1 = g_utf8_offset_to_pointer(b0, c1 - c0);
    PangoItem *sub = pango_item_copy(m->item);
    sub->offset = (int)(b0 - text);
    sub->length = (int)(b1 - b0);
    sub->num_chars = c1 - c0;
    PangoGlyphString *gs = pango_glyph_string_new();
    pango_shape_item(sub, text, len, (PangoLogAttr *)la + c0, gs, PANGO_SHAPE_NONE);
    long w = pango_glyph_string_get_width(gs);
    pango_glyph_string_free(gs);
    pango_item_free(sub);
    return w;
}

/*
 * Min-content width from the unwrapped layout `lo`: the widest piece of text
 * between two break opportunities, which is what the widest line of the
 * paragraph broken at width 0 measures. Laying it out at width 0 instead
 * would shape the rest of each text item again after every break (quadratic
 * in its length). Pango drops the final white space character of a wrapped
 * line (and keeps it before a forced break); a piece cut from a text item at
 * a break that follows something else (a hyphen, CJK) is shaped on its own,
 * since kerning and contextual forms across that break went into the
 * unwrapped widths. < 0 when a break would insert a hyphen, or with tabs or
 * letter-spacing: then only the width-0 layout knows.
 */
static double widest_piece(dk_arena *a, const dk_para *para, PangoLayout *lo) {
    for (int i = 0; i < para->nruns; i++)
        if (!para->runs[i].atomic && para->runs[i].style->letter_spacing != 0) return -1;
    int nattrs;
    const PangoLogAttr *la = pango_layout_get_log_attrs_readonly(lo, &nattrs);
    const char *text = pango_layout_get_text(lo);
    if (strchr(text, '\t')) return -1; /* a tab's width depends on where it starts */
    int len = (int)strlen(text), nchars = nattrs - 1, nl = pango_layout_get_line_count(lo);
    int nitems = 0;
    for (int l = 0; l < nl; l++)
        nitems += (int)g_slist_length(pango_layout_get_line_readonly(lo, l)->runs);
    int *w = dk_arena_alloc(a, sizeof(int) * (size_t)(nchars + 1));
    int *itm = dk_arena_alloc(a, sizeof(int) * (size_t)(nchars + 1));
    mitem *items = dk_arena_alloc(a, sizeof(mitem) * (size_t)(nitems ? nitems : 1));
    if (!w || !itm || !items) return -1;
    memset(w, 0, sizeof(int) * (size_t)(nchars + 1));
    for (int i = 0; i <= nchars; i++) itm[i] = -1;
    /* per character widths and items, in logical order */
    int k = 0;
    for (int l = 0; l < nl; l++) {
        PangoLayoutLine *line = pango_layout_get_line_readonly(lo, l);
        for (GSList *r = line->runs; r; r = r->next, k++) {
            PangoGlyphItem *gi = r->data;
            mitem *m = &items[k];
            m->item = gi->item;
            m->c0 = (int)g_utf8_pointer_to_offset(text, text + gi->item->offset);
            m->c1 = m->c0 + gi->item->num_chars;
            if (m->c1 > nchars) return -1;
            m->imposed = 0;
            for (GSList *e = gi->item->analysis.extra_attrs; e; e = e->next)
                m->imposed |= ((PangoAttribute *)e->data)->klass->type == PANGO_ATTR_SHAPE;
            pango_glyph_item_get_logical_widths(gi, text, w + m->c0);
            for (int c = m->c0; c < m->c1; c++) itm[c] = k;
        }
    }
    long best = 0;
    int cut_start = 0; /* the current piece starts at a break that follows no white space */
    for (int s = 0, e = 1; s < nchars; e++) {
        int wrap = e < nchars && la[e].is_line_break && !la[e].is_mandatory_break;
        if (e < nchars && !wrap && !la[e].is_mandatory_break) continue;
        if (wrap && (la[e].break_inserts_hyphen || la[e].break_removes_preceding)) return -1;
        int cut_end = wrap && !la[e - 1].is_white;
        long piece = 0;
        for (int c = s; c < e;) {
            const mitem *m = itm[c] >= 0 ? &items[itm[c]] : NULL;
            int pe = m ? DK_MIN(e, m->c1) : c + 1;
            int cut = m && ((cut_start && c == s && m->c0 < s) || (cut_end && pe == e && m->c1 > e));
            if (cut && !m->imposed) {
                piece += shape_alone(m, text, len, la, c, pe);
            } else {
                for (int i = c; i < pe; i++) piece += w[i];
            }
            c = pe;
        }
        if (wrap && !cut_end) piece -= w[e - 1]; /* the final white space character */
        best = DK_MAX(best, piece);
        cut_start = cut_end;
        s = e;
    }
    return best / PS;
}

/* Only the widths asked for (non-NULL) are computed, from one unwrapped layout. */
static dk_status ptext_measure(dk_text *t, dk_arena *a, const dk_para *para, double *min_w,
                               double *max_w) {
    ptext *p = (ptext *)t;
    dk_textlayout tl = {0};
    tmap m;
    dk_status st = break_lines(p, a, para, -1, &m, &tl);
    if (st) return st;
    /* a paragraph that does not wrap is laid out unwrapped whatever the width */
    int nowrap = no_wrap(para->style->white_space);
    double widest = max_w || nowrap ? widest_line(para, &m, &tl) : 0;
    if (max_w) *max_w = widest;
    if (min_w) {
        *min_w = nowrap ? widest : widest_piece(a, para, tl.impl);
        if (*min_w < 0) {
            if ((st = break_lines(p, a, para, 0, &m, &tl))) return st;
            *min_w = widest_line(para, &m, &tl);
        }
    }
    return DK_OK;
}

/*
 * The pango backend. Everything it lays out goes through `fc` (the private
 * configuration from dk_fonts_new, which the caller keeps alive and frees);
 * missing-glyph warnings go to `ctx` (which may be NULL: then only
 * dk_textlayout.missing counts them).
 */
dk_status dk_text_pango_new(dk_ctx *ctx, struct _FcConfig *fc, dk_text **out) {
    *out = NULL;
    ptext *p = calloc(1, sizeof *p);
    if (!p) return DK_ENOMEM;
    p->ctx = ctx;
    p->base.layout = ptext_layout;
    p->base.measure = ptext_measure;
    p->base.destroy = ptext_destroy;
    p->hyph = dk_hyph_new(NULL);
    /* the key is the value's first member, freed with it */
    p->metrics = g_hash_table_new_full(font_key_hash, font_key_equal, NULL, font_metrics_free);
    p->fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    if (!p->fm || !p->hyph) {
        ptext_destroy(&p->base);
        return DK_ENOMEM;
    }
    if (fc) pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(p->fm), fc);
    cairo_font_options_t *fo = cairo_font_options_create();
    /* hinting per font from our fontconfig rules: none, except colour bitmap fonts */
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_DEFAULT);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    for (int i = 0; i < 2; i++) {
        PangoContext *pc = p->pc[i] = pango_font_map_create_context(p->fm);
        pango_cairo_context_set_font_options(pc, fo);
        pango_cairo_context_set_resolution(pc, 96);
        pango_context_set_round_glyph_positions(pc, FALSE);
        /* not the locale's: text without lang="" must break and pick fonts the same everywhere */
        pango_context_set_language(pc, pango_language_from_string("und"));
        pango_context_set_base_dir(pc, i ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR);
    }
    cairo_font_options_destroy(fo);
    *out = &p->base;
    return DK_OK;
}
/* ---- painting ------------------------------------------------------------------------ */

/*
 * Text extraction from PDF. Pango gives cairo each character its own
 * cluster (harfbuzz's monotone-characters level), so a combining mark is a
 * zero-width glyph of its own, placed after its base by its origin;
 * pdftotext then sorts Thai "มี" after the next letter. Merging the marks
 * of left-to-right runs into their base's cluster makes cairo write the
 * pair as one /ActualText span, which extractors read in logical order.
 * (Right-to-left runs are left alone: poppler reverses ActualText there.)
 * This only changes how the glyphs are labelled, never where they go.
 */
static void merge_marks(PangoLayoutLine *line, const char *text) {
    for (GSList *l = line->runs; l; l = l->next) {
        PangoGlyphItem *gi = l->data;
        if (!gi->glyphs || (gi->item->analysis.level & 1)) continue;
        int *lc = gi->glyphs->log_clusters;
        for (int i = 1; i < gi->glyphs->num_glyphs; i++) {
            if (lc[i] == lc[i - 1]) continue;
            gunichar c = g_utf8_get_char(text + gi->item->offset + lc[i]);
            if (g_unichar_ismark(c)) lc[i] = lc[i - 1];
        }
    }
}

static int is_color_font(PangoFont *f) {
    hb_font_t *hb = f ? pango_font_get_hb_font(f) : NULL;
    hb_face_t *face = hb ? hb_font_get_face(hb) : NULL;
    return face && (hb_ot_color_has_png(face) || hb_ot_color_has_layers(face));
}

/*
 * cairo 1.16 paints colour glyphs (emoji) as images and drops their text,
 * so an emoji could not be copied or found in the PDF. After the line is
 * drawn, each colour cluster gets an invisible stand-in carrying its text:
 * blank glyphs of DejaVu Sans (em, en, thin spaces...) filling the
 * cluster's width, which cairo writes with the emoji's characters as their
 * /ActualText. (Not one stretched glyph: pdftotext would take it for text of
 * another size and put it on a line of its own.)
 */
static void emoji_text(cairo_t *cr, PangoLayout *lo, PangoLayoutLine *line, const char *text,
                       double x, double y) {
    double pen = 0;
    for (GSList *l = line->runs; l; l = l->next) {
        PangoGlyphItem *gi = l->data;
        double run_w = pango_glyph_string_get_width(gi->glyphs) / PS;
        if (!gi->glyphs || !is_color_font(gi->item->analysis.font)) {
            pen += run_w;
            continue;
        }
        /* the run's own font description (the emoji font's size is that of its bitmap strike) */
        PangoFontDescription *d = pango_font_description_new();
        PangoAttrIterator *ai = pango_attr_list_get_iterator(pango_layout_get_attributes(lo));
        do {
            int s0, s1;
            pango_attr_iterator_range(ai, &s0, &s1);
            if (gi->item->offset >= s0 && gi->item->offset < s1) {
                pango_attr_iterator_get_font(ai, d, NULL, NULL);
                break;
            }
        } while (pango_attr_iterator_next(ai));
        pango_attr_iterator_destroy(ai);
        pango_font_description_set_family(d, "DejaVu Sans");
        PangoFont *f = pango_context_load_font(pango_layout_get_context(lo), d);
        pango_font_description_free(d);
        cairo_scaled_font_t *sf = f ? pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(f)) : NULL;
        /* blank glyphs of several widths, widest first: em, en, space, thin, hair space */
        static const gunichar blanks[] = {0x2003, 0x2002, 0x0020, 0x2009, 0x200A};
        cairo_glyph_t bg[5];
        double bw[5];
        int nb = 0;
        hb_font_t *hb = f && sf ? pango_font_get_hb_font(f) : NULL;
        for (size_t k = 0; hb && k < sizeof blanks / sizeof *blanks; k++) {
            hb_codepoint_t gid;
            if (!hb_font_get_nominal_glyph(hb, blanks[k], &gid)) continue;
            cairo_glyph_t g = {gid, 0, 0};
            cairo_text_extents_t ext;
            cairo_scaled_font_glyph_extents(sf, &g, 1, &ext);
            if (ext.x_advance <= 0) continue;
            bg[nb] = g;
            bw[nb++] = ext.x_advance;
        }
        if (!nb) {
            if (f) g_object_unref(f);
            pen += run_w;
            continue;
        }
        PangoGlyphItemIter it;
        for (gboolean ok = pango_glyph_item_iter_init_start(&it, gi, text); ok;
             ok = pango_glyph_item_iter_next_cluster(&it)) {
            int rev = it.start_glyph > it.end_glyph;
            int g0 = rev ? it.end_glyph + 1 : it.start_glyph, g1 = rev ? it.start_glyph + 1 : it.end_glyph;
            double cx = 0, cw = 0;
            for (int k = 0; k < gi->glyphs->num_glyphs; k++) {
                double w = gi->glyphs->glyphs[k].geometry.width / PS;
                if (k < g0) cx += w;
                else if (k < g1) cw += w;
            }
            if (cw <= 0 || it.end_index <= it.start_index) continue;
            /* fill the cluster's width with blanks, so extraction sees no gap and no overlap */
            cairo_glyph_t cg[16];
            int n = 0;
            double gx = 0;
            while (n < 16) {
                int k = 0;
                while (k < nb && bw[k] > cw - gx + bw[nb - 1] / 2) k++;
                if (k == nb) break;
                cg[n++] = (cairo_glyph_t){bg[k].index, x + pen + cx + gx, y};
                gx += bw[k];
            }
            if (!n) continue;
            cairo_text_cluster_t cl = {it.end_index - it.start_index, n};
            cairo_save(cr);
            cairo_set_scaled_font(cr, sf);
            cairo_show_text_glyphs(cr, text + it.start_index, it.end_index - it.start_index, cg, n,
                                   &cl, 1, 0);
            cairo_restore(cr);
        }
        g_object_unref(f);
        pen += run_w;
    }
}

/*
 * Paint a paragraph laid out by this backend with its top-left at (x, y).
 * On vector surfaces (PDF, SVG) the text is also labelled for extraction:
 * see merge_marks and emoji_text.
 */
void dk_text_pango_paint(struct _cairo *cr, const dk_textlayout *tl, double x, double y) {
    PangoLayout *lo = tl->impl;
    cairo_surface_type_t t = cairo_surface_get_type(cairo_get_target(cr));
    int vector = t == CAIRO_SURFACE_TYPE_PDF || t == CAIRO_SURFACE_TYPE_SVG ||
                 t == CAIRO_SURFACE_TYPE_PS || t == CAIRO_SURFACE_TYPE_RECORDING;
    const char *text = pango_layout_get_text(lo);
    for (int i = 0; i < tl->nlines; i++) {
        PangoLayoutLine *line = pango_layout_get_line_readonly(lo, i);
        if (vector) merge_marks(line, text);
        /* lines[i].x is the line's offset inside the paragraph (alignment) */
        cairo_move_to(cr, x + tl->lines[i].x, y + tl->lines[i].baseline);
        pango_cairo_show_layout_line(cr, line);
        if (vector) emoji_text(cr, lo, line, text, x + tl->lines[i].x, y + tl->lines[i].baseline);
    }
}
