/*
 * Handouts: the plan (pure arithmetic, unit-tested) and the painter (cairo
 * and pango). See handout.h for the model.
 */
#define _GNU_SOURCE
#include "handout.h"

#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../text/fonts.h"
#include "outcanvas.h"

/* Page furniture, in pt. */
#define MARGIN 28.0      /* about 10 mm: inside every printer's unprintable edge */
#define HEADER 22.0      /* title band, rule under it */
#define FOOTER 18.0      /* "page x of y" band */
#define GAP 14.0         /* between cells, and between a slide and its annex */
#define LABEL 11.0       /* slide number under the frame */
#define SLIDE_SHARE 0.55 /* with an annex: the slide's share of the cell */
#define RULE_STEP 20.0   /* ruled note lines: a comfortable handwriting pitch */

/* Try one grid; keep it in *best if it gives larger slides. */
static void try_grid(int n, int cols, int rows, int landscape, dk_annex_kind annex, int under,
                     double pw, double ph, double sw, double sh, dk_handout_plan *best) {
    double cw = pw - 2 * MARGIN, ch = ph - 2 * MARGIN - HEADER - FOOTER;
    double cell_w = (cw - (cols - 1) * GAP) / cols, cell_h = (ch - (rows - 1) * GAP) / rows;
    double area_w = cell_w, area_h = cell_h - LABEL; /* room for the slide */
    if (annex != DK_ANNEX_NONE) {
        if (under) area_h = (cell_h - LABEL - GAP) * SLIDE_SHARE;
        else area_w = (cell_w - GAP) * SLIDE_SHARE;
    }
    if (area_w <= 0 || area_h <= 0) return;
    double s = DK_MIN(area_w / sw, area_h / sh);
    if (s <= best->scale + 1e-9) return;
    dk_handout_plan p = {0};
    p.page_w = pw;
    p.page_h = ph;
    p.per_page = n;
    p.cols = cols;
    p.rows = rows;
    p.landscape = landscape;
    p.annex = annex;
    p.annex_under = under;
    p.scale = s;
    p.header = (dk_rect){MARGIN, MARGIN, cw, HEADER};
    p.footer = (dk_rect){MARGIN, ph - MARGIN - FOOTER, cw, FOOTER};
    double w = sw * s, h = sh * s;
    for (int i = 0; i < n; i++) {
        int c = i % cols, r = i / cols;
        double x = MARGIN + c * (cell_w + GAP), y = MARGIN + HEADER + r * (cell_h + GAP);
        if (annex == DK_ANNEX_NONE) {
            /* centred in the cell, the number under it */
            p.slide[i] = (dk_rect){x + (cell_w - w) / 2, y + (cell_h - LABEL - h) / 2, w, h};
        } else if (under) {
            p.slide[i] = (dk_rect){x + (cell_w - w) / 2, y, w, h};
            double ay = y + h + LABEL + GAP / 2;
            p.annex_r[i] = (dk_rect){x, ay, cell_w, y + cell_h - ay};
        } else {
            p.slide[i] = (dk_rect){x, y + (cell_h - LABEL - h) / 2, w, h};
            double ax = x + w + GAP;
            p.annex_r[i] = (dk_rect){ax, p.slide[i].y, x + cell_w - ax, h + LABEL};
        }
    }
    *best = p;
}

int dk_handout_plan_make(int n, int letter, int notes, double slide_w, double slide_h,
                         dk_handout_plan *p) {
    memset(p, 0, sizeof *p);
    if (!(n == 1 || n == 2 || n == 3 || n == 4 || n == 6 || n == 9)) return 0;
    if (slide_w <= 0 || slide_h <= 0) return 0;
    double a = letter ? 612 : 595.2756, b = letter ? 792 : 841.8898; /* short, long side */
    dk_annex_kind annex = notes ? DK_ANNEX_NOTES : n == 3 ? DK_ANNEX_LINES : DK_ANNEX_NONE;
    for (int land = 0; land < 2; land++) {
        double pw = land ? b : a, ph = land ? a : b;
        for (int cols = 1; cols <= n; cols++) {
            int rows = (n + cols - 1) / cols;
            if (cols * rows - n >= cols) continue; /* an empty row */
            try_grid(n, cols, rows, land, annex, 0, pw, ph, slide_w, slide_h, p);
            /* notes may go under the slide; the 3-up lines sit beside it, as printed */
            if (annex == DK_ANNEX_NOTES)
                try_grid(n, cols, rows, land, annex, 1, pw, ph, slide_w, slide_h, p);
        }
    }
    return p->scale > 0;
}

/* ---- painting ------------------------------------------------------------------------- */

struct dk_handout {
    dk_handout_plan plan;
    FcConfig *fc;
    PangoFontMap *fm;
    PangoContext *pc;
    char *title;
    int pages;    /* pages in all */
    int open;     /* a page is started and not shown yet */
    int titled;   /* h->title came from the front matter */
};

dk_status dk_handout_new(const dk_deck_info *d, const char *title, dk_handout **out) {
    *out = NULL;
    dk_handout *h = calloc(1, sizeof *h);
    if (!h) return DK_ENOMEM;
    dk_status st = DK_OK;
    if (!dk_handout_plan_make(d->handout, d->paper_letter, d->notes, d->width, d->height,
                              &h->plan)) {
        dk_diag_error(d->ctx, DK_NOPOS, "--handout %d: want 1, 2, 3, 4, 6 or 9", d->handout);
        st = DK_EUSAGE;
        goto done;
    }
    h->pages = (d->nselected + h->plan.per_page - 1) / h->plan.per_page;
    if (h->pages < 1) h->pages = 1;
    h->titled = title != NULL;
    h->title = strdup(title ? title : d->stem ? d->stem : "");
    if (!h->title) {
        st = DK_ENOMEM;
        goto done;
    }
    if ((st = dk_fonts_new(d->ctx, d->data_dir, &h->fc))) goto done;
    h->fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    if (!h->fm) {
        st = DK_ENOMEM;
        goto done;
    }
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(h->fm), h->fc);
    h->pc = pango_font_map_create_context(h->fm);
    /* 72 dpi: a font size in the description is in pt, which is the page's unit */
    pango_cairo_context_set_resolution(h->pc, 72);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(h->pc, fo);
    cairo_font_options_destroy(fo);
done:
    if (st) dk_handout_free(h);
    else *out = h;
    return st;
}

const dk_handout_plan *dk_handout_get_plan(const dk_handout *h) { return &h->plan; }

void dk_handout_free(dk_handout *h) {
    if (!h) return;
    if (h->pc) g_object_unref(h->pc);
    if (h->fm) g_object_unref(h->fm);
    dk_fonts_free(h->fc);
    free(h->title);
    free(h);
}

typedef enum { LEFT, CENTER, RIGHT } align;

/*
 * Set `text` in DejaVu Sans at `size` pt in the box r (top-aligned); lines
 * that do not fit its height are cut with an ellipsis.
 */
static void show_text(dk_handout *h, cairo_t *cr, const char *text, double size, int bold,
                      align al, dk_rect r, double grey) {
    if (!text || !*text || r.w <= 0 || r.h <= 0) return;
    pango_cairo_update_context(cr, h->pc);
    PangoLayout *l = pango_layout_new(h->pc);
    PangoFontDescription *fd = pango_font_description_from_string("DejaVu Sans");
    pango_font_description_set_size(fd, (int)lround(size * PANGO_SCALE));
    if (bold) pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(r.w * PANGO_SCALE));
    pango_layout_set_height(l, (int)(r.h * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    pango_layout_set_alignment(l, al == LEFT ? PANGO_ALIGN_LEFT
                                  : al == CENTER ? PANGO_ALIGN_CENTER
                                                 : PANGO_ALIGN_RIGHT);
    pango_layout_set_text(l, text, -1);
    cairo_save(cr);
    cairo_set_source_rgb(cr, grey, grey, grey);
    cairo_move_to(cr, r.x, r.y);
    pango_cairo_show_layout(cr, l);
    cairo_restore(cr);
    g_object_unref(l);
}

static void begin_page(dk_handout *h, cairo_t *cr, int page) {
    const dk_handout_plan *p = &h->plan;
    show_text(h, cr, h->title, 10, 1, LEFT, (dk_rect){p->header.x, p->header.y, p->header.w, 14},
              0.1);
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, p->header.x, p->header.y + p->header.h - 5);
    cairo_line_to(cr, p->header.x + p->header.w, p->header.y + p->header.h - 5);
    cairo_stroke(cr);
    cairo_restore(cr);
    char foot[64];
    snprintf(foot, sizeof foot, "page %d of %d", page, h->pages);
    show_text(h, cr, foot, 8, 0, CENTER,
              (dk_rect){p->footer.x, p->footer.y + p->footer.h - 11, p->footer.w, 11}, 0.35);
    h->open = 1;
}

static void ruled_lines(cairo_t *cr, dk_rect r) {
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
    cairo_set_line_width(cr, 0.5);
    for (double y = r.y + RULE_STEP; y <= r.y + r.h + 0.01; y += RULE_STEP) {
        cairo_move_to(cr, r.x, y);
        cairo_line_to(cr, r.x + r.w, y);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

dk_status dk_handout_slide(dk_handout *h, cairo_t *cr, const dk_deck_info *d, int k,
                           const dk_slide_out *s) {
    const dk_handout_plan *p = &h->plan;
    int slot = k % p->per_page;
    if (k == 0 && !h->titled && s->title) {
        /* no title in the front matter: the first slide's heading, as for the PDF's title */
        char *t = strdup(s->title);
        if (!t) return DK_ENOMEM;
        free(h->title);
        h->title = t;
    }
    if (slot == 0) {
        if (h->open) cairo_show_page(cr);
        begin_page(h, cr, k / p->per_page + 1);
    }
    dk_rect f = p->slide[slot];
    /* the slide, scaled onto the page: still vector, text still text */
    cairo_save(cr);
    cairo_translate(cr, f.x, f.y);
    cairo_scale(cr, p->scale, p->scale);
    cairo_rectangle(cr, 0, 0, d->width, d->height);
    cairo_clip(cr);
    dk_status st =
        dk_outcanvas_paint(cr, DK_OUT_LINKS | DK_OUT_VECTOR, s->body, d->width, d->height);
    cairo_restore(cr);
    /* frame and number */
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
    cairo_set_line_width(cr, 0.75);
    cairo_rectangle(cr, f.x, f.y, f.w, f.h);
    cairo_stroke(cr);
    cairo_restore(cr);
    char num[32];
    snprintf(num, sizeof num, "%d", s->index);
    show_text(h, cr, num, 7.5, 0, RIGHT, (dk_rect){f.x, f.y + f.h + 1.5, f.w, LABEL}, 0.35);
    dk_rect a = p->annex_r[slot];
    if (p->annex == DK_ANNEX_LINES) ruled_lines(cr, a);
    else if (p->annex == DK_ANNEX_NOTES) show_text(h, cr, s->notes, 8.5, 0, LEFT, a, 0.1);
    return st;
}

void dk_handout_finish(dk_handout *h, cairo_t *cr) {
    if (!h->open) begin_page(h, cr, 1); /* no slides: one empty page, still a PDF */
    cairo_show_page(cr);
    h->open = 0;
}
