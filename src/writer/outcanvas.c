/*
 * The writers' canvas: canvas/cairo.c with the flags the output needs (see
 * outcanvas.h), painted by paint/.
 */
#include "outcanvas.h"

#include <cairo.h>

#include "../paint/paint.h"

dk_status dk_outcanvas_paint(cairo_t *cr, int flags, const dk_box *body, double width,
                             double height) {
    dk_canvas *c;
    int cf = ((flags & DK_OUT_LINKS) ? DK_CANVAS_LINKS : 0) | ((flags & DK_OUT_VECTOR) ? DK_CANVAS_VECTOR : 0);
    dk_status st = dk_canvas_cairo_new(cr, cf, &c);
    if (st) return st;
    dk_paint_page(c, body, width, height, (flags & DK_OUT_TRANSPARENT) ? DK_PAINT_NO_PAGE_BG : 0);
    dk_canvas_free(c);
    return DK_OK;
}
