/*
 * The PDF writer: one page per slide at 1 CSS px = 0.75 pt, link
 * annotations, an outline entry per slide named by its first heading,
 * title and author metadata. cairo writes to a temporary file; libqpdf
 * rewrites it into the output (pdffix.c), which also repairs the
 * cross-reference table cairo 1.16 gets wrong once links are tagged.
 */
#define _GNU_SOURCE
#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../canvas/canvas.h"
#include "../paint/paint.h"
#include "pdffix.h"
#include "writer.h"

#ifndef DK_VERSION
#define DK_VERSION "0"
#endif

typedef struct {
    dk_writer base;
    cairo_surface_t *surface;
    char *tmp;
    int titled; /* the document has a title */
} pdf_writer;

static void set_meta(cairo_surface_t *s, cairo_pdf_metadata_t key, dk_str v) {
    char *z = strndup(v.p, v.n);
    if (z) cairo_pdf_surface_set_metadata(s, key, z);
    free(z);
}

static dk_status pdf_begin(dk_writer *w, const dk_deck_info *d) {
    pdf_writer *p = (pdf_writer *)w;
    size_t n = strlen(d->output) + 32;
    p->tmp = malloc(n);
    if (!p->tmp) return DK_ENOMEM;
    snprintf(p->tmp, n, "%s.tmp-%d", d->output, (int)getpid());
    p->surface = cairo_pdf_surface_create(p->tmp, d->width * 0.75, d->height * 0.75);
    if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS) {
        dk_diag_error(d->ctx, DK_NOPOS, "cannot write %s: %s", d->output,
                      cairo_status_to_string(cairo_surface_status(p->surface)));
        return DK_EIO;
    }
    if (d->deck->title.p) {
        set_meta(p->surface, CAIRO_PDF_METADATA_TITLE, d->deck->title);
        p->titled = 1;
    }
    if (d->deck->author.p) set_meta(p->surface, CAIRO_PDF_METADATA_AUTHOR, d->deck->author);
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR, "deckle " DK_VERSION);
    if (d->source_date_epoch >= 0) {
        char date[32];
        time_t t = (time_t)d->source_date_epoch;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
        cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
        cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_MOD_DATE, date);
    }
    return DK_OK;
}

static dk_status pdf_slide(dk_writer *w, const dk_deck_info *d, const dk_slide_out *s) {
    pdf_writer *p = (pdf_writer *)w;
    cairo_t *cr = cairo_create(p->surface);
    cairo_scale(cr, 0.75, 0.75);
    dk_canvas *c;
    dk_status st = dk_canvas_cairo_new(cr, 1, &c);
    if (st == DK_OK) {
        dk_paint(c, s->body, d->width, d->height);
        dk_canvas_free(c);
    }
    cairo_show_page(cr);
    cairo_destroy(cr);
    char fallback[32], link[32];
    snprintf(fallback, sizeof fallback, "Slide %d", s->index);
    snprintf(link, sizeof link, "page=%d", s->index);
    cairo_pdf_surface_add_outline(p->surface, CAIRO_PDF_OUTLINE_ROOT,
                                  s->title ? s->title : fallback, link, 0);
    /* without a title in the front matter, the first slide's heading names the document */
    if (!p->titled && s->title) {
        cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, s->title);
        p->titled = 1;
    }
    if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS) {
        dk_diag_error(d->ctx, DK_NOPOS, "PDF: %s",
                      cairo_status_to_string(cairo_surface_status(p->surface)));
        return DK_EIO;
    }
    return st;
}

static dk_status pdf_end(dk_writer *w, const dk_deck_info *d, int ok) {
    pdf_writer *p = (pdf_writer *)w;
    dk_status st = DK_OK;
    if (!p->surface) return DK_OK;
    cairo_surface_finish(p->surface);
    int bad = cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(p->surface);
    p->surface = NULL;
    if (ok && !bad) st = dk_pdf_finish(d->ctx, p->tmp, d->output, d->source_date_epoch);
    else if (bad) st = DK_EIO;
    unlink(p->tmp);
    return st;
}

static void pdf_destroy(dk_writer *w) {
    pdf_writer *p = (pdf_writer *)w;
    if (p->surface) {
        cairo_surface_destroy(p->surface);
        unlink(p->tmp);
    }
    free(p->tmp);
    free(p);
}

dk_status dk_writer_pdf_new(dk_writer **out) {
    pdf_writer *p = calloc(1, sizeof *p);
    *out = NULL;
    if (!p) return DK_ENOMEM;
    p->base = (dk_writer){pdf_begin, pdf_slide, pdf_end, pdf_destroy};
    *out = &p->base;
    return DK_OK;
}
