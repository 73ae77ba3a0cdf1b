/*
 * writer/handout — N slides on each printed page (--handout N).
 *
 * A handout page is A4 (595.28 x 841.89 pt) or US Letter (612 x 792 pt), in
 * whichever orientation gives the slides the larger scale. Inside the
 * margins: a header band with the deck title, a footer band with "page x of
 * y", and a grid of cells. Each cell holds one slide, framed, with its
 * number under the frame, and — with 3 a page, or with --notes — an annex
 * beside or under the slide: ruled lines to write on (3 a page), or the
 * slide's speaker notes (--notes). Every candidate grid (columns x rows,
 * both orientations, annex beside or under) is scored by the slide scale it
 * allows and the best one wins, so the choice is the same arithmetic for
 * every N and both papers.
 *
 * The slide is painted with a cairo transform onto the page, so text stays
 * text (selectable, searchable) and images are the same image objects as
 * in the slide PDF. Header, footer, numbers and notes are set with pango
 * over deckle's private fontconfig (DejaVu Sans), never the system fonts.
 */
#ifndef DK_OUT_HANDOUT_H
#define DK_OUT_HANDOUT_H

#include "../text/text.h"
#include "writer.h"

enum { DK_HANDOUT_MAX = 9 };

typedef enum { DK_ANNEX_NONE, DK_ANNEX_LINES, DK_ANNEX_NOTES } dk_annex_kind;

/* Where everything goes on a handout page, in pt from the page's top-left. */
typedef struct {
    double page_w, page_h;
    int per_page, cols, rows;
    int landscape;
    dk_annex_kind annex;        /* what fills the annex areas */
    int annex_under;            /* the annex is under the slide, else beside it */
    double scale;               /* pt per CSS px of the slide */
    dk_rect slide[DK_HANDOUT_MAX]; /* the slide frames, in reading order */
    dk_rect annex_r[DK_HANDOUT_MAX]; /* lines or notes (w == 0: none) */
    dk_rect header, footer;     /* text bands */
} dk_handout_plan;

/*
 * Plan a handout of `n` (1, 2, 3, 4, 6 or 9) slides of slide_w x slide_h
 * CSS px a page on A4 (letter == 0) or US Letter, with notes beside the
 * slides when `notes`. Returns 0 if n is not one of those.
 */
int dk_handout_plan_make(int n, int letter, int notes, double slide_w, double slide_h,
                         dk_handout_plan *p);

typedef struct dk_handout dk_handout;

/*
 * The handout writer's painter over a cairo PDF surface whose pages the
 * caller sizes (plan.page_w x plan.page_h). `title` is the header text;
 * NULL: the first slide's heading, else the deck's file name.
 * Uses `d->data_dir`'s fonts. Free with dk_handout_free.
 */
dk_status dk_handout_new(const dk_deck_info *d, const char *title, dk_handout **out);
const dk_handout_plan *dk_handout_get_plan(const dk_handout *h);

/*
 * Paint slide number `k` (0-based among the written slides) with its
 * notes at its place: starts a new page (header, footer) on the first slot.
 * `cr` is a context on the surface; pages are ended with cairo_show_page
 * here and in dk_handout_finish.
 */
dk_status dk_handout_slide(dk_handout *h, struct _cairo *cr, const dk_deck_info *d, int k,
                           const dk_slide_out *s);
/* End the last page. */
void dk_handout_finish(dk_handout *h, struct _cairo *cr);
void dk_handout_free(dk_handout *h);

#endif
