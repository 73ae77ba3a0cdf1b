/*
 * md/ — one slide's Markdown to HTML text, with md4c.
 *
 * Takes a dk_slide (a span of the deck source); hands on a dk_html: the
 * HTML text plus a source map from HTML offsets back to deck offsets.
 * Extensions: tables, strikethrough, task lists, permissive autolinks; raw
 * HTML is kept. Whenever md4c hands us a text pointer that lies inside the
 * slide's bytes we record an (HTML offset, deck offset) pair, so positions
 * survive the change of format.
 */
#ifndef DK_MD_H
#define DK_MD_H

#include "../base/base.h"
#include "../deck/deck.h"

typedef struct {
    size_t html_off, deck_off;
} dk_srcpair;

typedef struct {
    const char *html; /* NUL-terminated, in the arena */
    size_t n;
    dk_srcpair *map;  /* sorted by html_off; in the arena */
    size_t nmap;
    size_t deck_start, deck_end; /* the slide's span of the deck (mapped offsets stay inside) */
} dk_html;

/*
 * Render slide `s` of the deck source `src` to HTML, allocating from `a`.
 * Fails only with DK_ENOMEM.
 */
dk_status dk_md_render(dk_ctx *ctx, dk_arena *a, const char *src, const dk_slide *s, dk_html *out);

/*
 * The deck offset of an HTML offset: the nearest recorded pair at or before
 * it, plus the distance from it (clamped). DK_NOPOS when nothing maps.
 */
size_t dk_html_deck_offset(const dk_html *h, size_t html_off);

#endif
