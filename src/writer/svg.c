/*
 * The SVG writer: one file per slide, <deck>.NNN.svg, at the slide's CSS
 * size. Text is not text: cairo 1.16's SVG surface writes every glyph as
 * a <symbol> of outlines used by <use> (there is no text-as-text mode, and
 * no way to attach the string), so an SVG slide looks exact but its text
 * cannot be selected or searched. Links are not kept either: cairo's tag
 * API (CAIRO_TAG_LINK) only reaches the PDF surface. Images are embedded
 * once per file as base64 PNG (JPEG as its original bytes), SVG images as
 * vector paths.
 */
#include <cairo-svg.h>
#include <cairo.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "outcanvas.h"
#include "writer.h"

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int n) {
    dk_buf *b = closure;
    dk_buf_add(b, data, n);
    return b->oom ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

static dk_status svg_begin(dk_writer *w, const dk_deck_info *d) {
    (void)w;
    (void)d;
    return DK_OK;
}

static dk_status svg_slide(dk_writer *w, const dk_deck_info *d, const dk_slide_out *s) {
    (void)w;
    dk_buf svg = {0};
    cairo_surface_t *surf = cairo_svg_surface_create_for_stream(to_buf, &svg, d->width, d->height);
    cairo_svg_surface_set_document_unit(surf, CAIRO_SVG_UNIT_PX);
    cairo_t *cr = cairo_create(surf);
    dk_status st = dk_outcanvas_paint(cr, DK_OUT_VECTOR | (d->transparent ? DK_OUT_TRANSPARENT : 0),
                                      s->body, d->width, d->height);
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    if (st == DK_OK && cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
        st = svg.oom ? DK_ENOMEM : DK_EIO;
    cairo_surface_destroy(surf);
    char *file = st == DK_OK ? dk_slide_file(d, s->index, "svg") : NULL;
    if (st == DK_OK && !file) st = DK_ENOMEM;
    if (st == DK_OK && (st = dk_file_write_atomic(file, svg.p, svg.n)))
        dk_diag_error(d->ctx, DK_NOPOS, "cannot write %s: %s", file, strerror(errno));
    free(file);
    dk_buf_free(&svg);
    return st == DK_OK ? d->slide_written(d, s->index) : st;
}

static dk_status svg_end(dk_writer *w, const dk_deck_info *d, int ok) {
    (void)w;
    (void)d;
    (void)ok;
    return DK_OK;
}

static void svg_destroy(dk_writer *w) { free(w); }

dk_status dk_writer_svg_new(dk_writer **out) {
    dk_writer *w = calloc(1, sizeof *w);
    *out = w;
    if (!w) return DK_ENOMEM;
    *w = (dk_writer){svg_begin, svg_slide, svg_end, svg_destroy};
    return DK_OK;
}
