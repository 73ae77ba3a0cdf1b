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

/* Paint the slide whose body box is `root`, with `bg` as the page background. */
void dk_paint(dk_canvas *c, const dk_box *root, double width, double height);

#endif
