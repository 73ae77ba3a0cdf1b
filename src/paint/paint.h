/*
 * paint/ — walk a laid-out box tree and draw it on a dk_canvas.
 *
 * No decisions here beyond CSS painting order (background colour and
 * image, border, list marker, then content; in-flow descendants in tree
 * order; a collapsing-border table's borders after all its cells):
 * geometry comes from layout/.
 */
#ifndef DK_PAINT_H
#define DK_PAINT_H

#include "../box/box.h"
#include "../canvas/canvas.h"

enum {
    DK_PAINT_NO_PAGE_BG = 1, /* leave the page (width x height) unpainted where no box paints:
                                the root background is not spread over it (--transparent) */
};

/*
 * Paint the slide whose body box is `root` on a width x height page: first
 * the page background (the root's background colour, else white), then the
 * boxes. `flags` are DK_PAINT_*.
 */
void dk_paint_page(dk_canvas *c, const dk_box *root, double width, double height, unsigned flags);
/* dk_paint_page with no flags. */
void dk_paint(dk_canvas *c, const dk_box *root, double width, double height);

#endif
