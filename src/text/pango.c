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
#include <math.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    dk_text base;
    PangoFontMap *fm;
    PangoContext *pc;
} ptext;

#define PS ((double)PANGO_SCALE)

static void ptext_destroy(dk_text *t) {
    ptext *p = (ptext *)t;
    if (p->pc) g_object_unref(p->pc);
    if (p->fm) g_object_unref(p->fm);
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

static PangoFontDescription *font_desc(const dk_style *s) {
    char fam[512];
    family_list(s->font_family, fam, sizeof fam);
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

static vmetrics run_metrics(ptext *p, const dk_style *s, PangoLanguage *lang) {
    PangoFontDescription *d = font_desc(s);
    PangoFontMetrics *m = pango_context_get_metrics(p->pc, d, lang);
    vmetrics v;
    v.ascent = round(pango_font_metrics_get_ascent(m) / PS);
    v.descent = round(pango_font_metrics_get_descent(m) / PS);
    pango_font_metrics_unref(m);
    pango_font_description_free(d);
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

static PangoLayout *make_layout(ptext *p, const dk_para *para, double width) {
    PangoLayout *lo = pango_layout_new(p->pc);
    pango_layout_set_text(lo, para->text, (int)para->len);
    PangoAttrList *al = pango_attr_list_new();
    for (int i = 0; i < para->nruns; i++) {
        const dk_run *r = &para->runs[i];
        const dk_style *s = r->style;
        if (r->atomic) {
            PangoRectangle ink = {0, (int)(-r->box_baseline * PS), (int)(r->box_w * PS),
                                  (int)(r->box_h * PS)};
            add_attr(al, pango_attr_shape_new(&ink, &ink), r->start, r->end);
            continue;
        }
        PangoFontDescription *d = font_desc(s);
        add_attr(al, pango_attr_font_desc_new(d), r->start, r->end);
        pango_font_description_free(d);
        add_attr(al, pango_attr_foreground_new(s->color.r * 257, s->color.g * 257, s->color.b * 257),
                 r->start, r->end);
        if (s->color.a < 255)
            add_attr(al, pango_attr_foreground_alpha_new((guint16)(s->color.a * 257)), r->start,
                     r->end);
        if (s->text_decoration & DK_DECO_UNDERLINE)
            add_attr(al, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE), r->start, r->end);
        if (s->text_decoration & DK_DECO_LINE_THROUGH)
            add_attr(al, pango_attr_strikethrough_new(TRUE), r->start, r->end);
        if (s->text_decoration & DK_DECO_OVERLINE)
            add_attr(al, pango_attr_overline_new(PANGO_OVERLINE_SINGLE), r->start, r->end);
        if (s->letter_spacing != 0)
            add_attr(al, pango_attr_letter_spacing_new((int)(s->letter_spacing * PS)), r->start,
                     r->end);
        if (s->vertical_align == DK_VALIGN_SUPER || s->vertical_align == DK_VALIGN_SUB) {
            /* CSS raises by a font-dependent amount; Blink uses font-size / 3 and / 5 of the parent */
            double rise = s->vertical_align == DK_VALIGN_SUPER ? s->font_size * 0.5 : -s->font_size * 0.3;
            add_attr(al, pango_attr_rise_new((int)(rise * PS)), r->start, r->end);
        }
    }
    pango_layout_set_attributes(lo, al);
    pango_attr_list_unref(al);
    if (para->lang) pango_context_set_language(p->pc, pango_language_from_string(para->lang));

    const dk_style *bs = para->style;
    int nowrap = bs->white_space == DK_WS_PRE || bs->white_space == DK_WS_NOWRAP;
    pango_layout_set_wrap(lo, PANGO_WRAP_WORD);
    pango_layout_set_width(lo, (width < 0 || nowrap) ? -1 : (int)floor(width * PS + 0.5));
    PangoAlignment al_ = PANGO_ALIGN_LEFT;
    switch (bs->text_align) {
    case DK_ALIGN_CENTER: al_ = PANGO_ALIGN_CENTER; break;
    case DK_ALIGN_RIGHT: al_ = bs->direction_rtl ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT; break;
    case DK_ALIGN_END: al_ = PANGO_ALIGN_RIGHT; break;
    case DK_ALIGN_LEFT: al_ = bs->direction_rtl ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT; break;
    default: break;
    }
    if (nowrap) al_ = PANGO_ALIGN_LEFT; /* aligned by us, see ptext_layout */
    pango_layout_set_alignment(lo, al_);
    pango_layout_set_justify(lo, bs->text_align == DK_ALIGN_JUSTIFY);
    if (bs->direction_rtl) {
        pango_layout_set_auto_dir(lo, FALSE);
        pango_context_set_base_dir(p->pc, PANGO_DIRECTION_RTL);
    } else {
        pango_layout_set_auto_dir(lo, TRUE);
        pango_context_set_base_dir(p->pc, PANGO_DIRECTION_LTR);
    }
    pango_layout_context_changed(lo);
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

static dk_status ptext_layout(dk_text *t, dk_arena *a, const dk_para *para, double width,
                              dk_textlayout **out) {
    ptext *p = (ptext *)t;
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
    PangoLanguage *lang = para->lang ? pango_language_from_string(para->lang) : NULL;
    for (int i = 0; i < nr; i++) {
        tl->run_first_line[i] = tl->run_last_line[i] = -1;
        const dk_run *r = &para->runs[i];
        if (r->atomic) {
            vm[i] = (vmetrics){r->box_baseline, r->box_h - r->box_baseline, r->box_baseline,
                               r->box_h - r->box_baseline};
        } else if (i > 0 && r->style == para->runs[i - 1].style) {
            vm[i] = vm[i - 1];
        } else {
            vm[i] = run_metrics(p, r->style, lang);
        }
    }
    vmetrics strut = run_metrics(p, para->style, lang);

    PangoLayout *lo = make_layout(p, para, width);
    if (dk_arena_defer(a, g_object_unref, lo) != DK_OK) return DK_ENOMEM;
    tl->impl = lo;

    int nl = pango_layout_get_line_count(lo);
    tl->lines = dk_arena_alloc(a, sizeof(dk_line) * (size_t)(nl ? nl : 1));
    if (!tl->lines) return DK_ENOMEM;
    int nowrap = para->style->white_space == DK_WS_PRE || para->style->white_space == DK_WS_NOWRAP;
    double y = 0, maxw = 0;
    PangoLayoutIter *it = pango_layout_get_iter(lo);
    int li = 0;
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle log;
        pango_layout_iter_get_line_extents(it, NULL, &log);
        dk_line *L = &tl->lines[li];
        L->start = (size_t)line->start_index;
        L->end = (size_t)(line->start_index + line->length);
        L->x = log.x / PS;
        L->w = log.width / PS;
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
        double f = 0;
        int al = para->style->text_align;
        if (al == DK_ALIGN_CENTER) f = 0.5;
        else if (al == DK_ALIGN_RIGHT || al == DK_ALIGN_END) f = 1;
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
            pango_layout_line_get_x_ranges(line, (int)s, (int)e, &ranges, &n);
            double shift = nowrap ? L->x : 0;
            double fx0 = INFINITY, fx1 = -INFINITY;
            for (int k = 0; k < n; k++) {
                fx0 = DK_MIN(fx0, ranges[2 * k] / PS + shift);
                fx1 = DK_MAX(fx1, ranges[2 * k + 1] / PS + shift);
            }
            g_free(ranges);
            double top = r->atomic ? L->baseline - r->box_baseline : L->baseline - vm[i].ascent;
            double h = r->atomic ? r->box_h : vm[i].ascent + vm[i].descent;
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

static dk_status ptext_measure(dk_text *t, dk_arena *a, const dk_para *para, double *min_w,
                               double *max_w) {
    dk_textlayout *tl;
    dk_status st = ptext_layout(t, a, para, 0, &tl);
    if (st) return st;
    *min_w = tl->w;
    st = ptext_layout(t, a, para, -1, &tl);
    if (st) return st;
    *max_w = tl->w;
    return DK_OK;
}

dk_status dk_text_pango_new(dk_ctx *ctx, struct _FcConfig *fc, dk_text **out) {
    (void)ctx;
    *out = NULL;
    ptext *p = calloc(1, sizeof *p);
    if (!p) return DK_ENOMEM;
    p->base.layout = ptext_layout;
    p->base.measure = ptext_measure;
    p->base.destroy = ptext_destroy;
    p->fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    if (!p->fm) {
        free(p);
        return DK_ENOMEM;
    }
    if (fc) pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(p->fm), fc);
    p->pc = pango_font_map_create_context(p->fm);
    cairo_font_options_t *fo = cairo_font_options_create();
    /* hinting per font from our fontconfig rules: none, except colour bitmap fonts */
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_DEFAULT);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(p->pc, fo);
    cairo_font_options_destroy(fo);
    pango_cairo_context_set_resolution(p->pc, 96);
    pango_context_set_round_glyph_positions(p->pc, FALSE);
    *out = &p->base;
    return DK_OK;
}

void dk_text_pango_paint(struct _cairo *cr, const dk_textlayout *tl, double x, double y) {
    PangoLayout *lo = tl->impl;
    for (int i = 0; i < tl->nlines; i++) {
        PangoLayoutLine *line = pango_layout_get_line_readonly(lo, i);
        /* lines[i].x is the line's offset inside the paragraph (alignment) */
        cairo_move_to(cr, x + tl->lines[i].x, y + tl->lines[i].baseline);
        pango_cairo_show_layout_line(cr, line);
    }
}
