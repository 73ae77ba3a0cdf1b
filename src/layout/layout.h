/*
 * layout/ — used geometry for a box tree: block flow, grid, flex, images,
 * paragraphs through dk_text.
 *
 * Takes the box tree and a dk_text backend; writes x, y, w, h (border
 * boxes, CSS px, relative to the slide) and line boxes into the same boxes.
 * The only stage that writes geometry. Follows CSS 2.1 block layout
 * (margins with collapsing, auto margins, box-sizing, min/max), CSS Grid
 * track sizing for the cases slides use, flexbox, and CSS 2.1 positioning
 * (relative offsets; absolute and fixed boxes placed after the flow against
 * their containing block).
 */
#ifndef DK_LAYOUT_H
#define DK_LAYOUT_H

#include "../box/box.h"
#include "../text/text.h"

typedef struct {
    double width, height; /* the viewport: the slide */
} dk_viewport;

/*
 * Lay out `root` (the body box) in the viewport. Line boxes and text
 * layouts come from `a`. Fails only with DK_ENOMEM.
 */
dk_status dk_layout(dk_ctx *ctx, dk_arena *a, dk_text *text, const dk_viewport *vp, dk_box *root);

/*
 * Append this slide's boxes to `out` as one slide object of the
 * layout-oracle schema ({"index":..,"width":..,"height":..,"boxes":[...]}),
 * every element in document order with its path, border box rounded to
 * 0.01 and its own line count.
 */
void dk_layout_dump_json(const dk_box *root, int index, const dk_viewport *vp, dk_buf *out);

/*
 * Size grid tracks (CSS Grid §11, single-span items): `item_min`/`item_max`
 * are the largest min-/max-content contributions of the items in each
 * track, `avail` the grid's content width. Writes n track sizes.
 */
void dk_grid_size_tracks(const dk_track *tracks, int n, const double *item_min,
                         const double *item_max, double gap, double avail, double *size);

#endif
