/*
 * deck/ — split a deck file into slides and read its front matter.
 *
 * Takes the deck's bytes; hands on a dk_deck whose slides are byte spans of
 * those bytes (nothing is copied, so every later position is a deck offset).
 * Slides are separated by lines holding only `---` (trailing white space
 * allowed), except inside fenced code blocks. This runs on source lines
 * *before* Markdown, because CommonMark would swallow a `---` that follows
 * raw HTML into the HTML block.
 *
 * Front matter is a `---` line as the very first line, `key: value` lines,
 * and a closing `---` line. Known keys: title, author, theme, size
 * ("WxH", "16:9", "4:3"), plus anything else kept verbatim in `meta`.
 */
#ifndef DK_DECK_H
#define DK_DECK_H

#include "../base/base.h"

typedef struct {
    size_t start, end; /* bytes [start, end) of the deck source */
    int index;         /* 1-based */
} dk_slide;

typedef struct {
    dk_str key, value; /* views into the source, value trimmed and unquoted */
    size_t off;        /* deck offset of the key */
} dk_meta;

typedef struct {
    dk_slide *slides; /* malloc'd */
    int nslides;
    dk_meta *meta;    /* malloc'd front matter entries, in order */
    int nmeta;
    dk_str title, author, theme; /* from front matter; p == NULL when absent */
    double width, height;        /* slide size in CSS px from `size`; 0 when absent */
} dk_deck;

/*
 * Split `src` (n bytes, ctx->src must be the same buffer) into slides.
 * A deck with no content still has one (empty) slide. Bad front matter
 * values are warnings. Fails only with DK_ENOMEM. Free with dk_deck_free.
 */
dk_status dk_deck_parse(dk_ctx *ctx, const char *src, size_t n, dk_deck *out);
void dk_deck_free(dk_deck *d);

/* Parse a size "1280x720", "16:9", "4:3" into CSS px. Returns 0 if not a size. */
int dk_deck_parse_size(dk_str s, double *w, double *h);

#endif
