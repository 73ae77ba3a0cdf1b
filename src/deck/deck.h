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
 *
 * Marp: global directives (theme, size, headingDivider, style) and local
 * ones (class, paginate, header, footer, backgroundColor, backgroundImage,
 * color, ...) come from the front matter and from HTML comments holding
 * `key: value` lines; see dk_slide.dir. In a Marp deck a built-in Marp
 * theme name (default, gaia, uncover, or none) becomes "marp-<name>", the
 * bundled equivalent. reveal.js and Advanced Slides vertical separators
 * (`--`, `----` after a blank line) and reveal-md's `separator:` /
 * `verticalSeparator:` lines split slides too; a 2-D deck prints as a
 * sequence, as reveal.js's print view does.
 *
 * Slidev: outside Marp decks, a separator directly followed by `key: value`
 * lines and another `---` opens a slide with its own front matter (not two
 * slides); its keys are that slide's scoped directives (`class:` works).
 */
#ifndef DK_DECK_H
#define DK_DECK_H

#include "../base/base.h"

/*
 * Marp directives (https://marpit.marp.app/directives). Local directives
 * are set in the front matter or in `<!-- key: value -->` comments; a plain
 * key applies from its slide on, an `_key` to its slide only. Each slide
 * gets the values in effect on it (dk_deck.dirs), as views into the deck.
 */
typedef enum {
    DK_DIR_CLASS, DK_DIR_PAGINATE, DK_DIR_HEADER, DK_DIR_FOOTER, DK_DIR_BG_COLOR,
    DK_DIR_BG_IMAGE, DK_DIR_BG_POSITION, DK_DIR_BG_REPEAT, DK_DIR_BG_SIZE, DK_DIR_COLOR,
    DK_DIR_N
} dk_dir_key;

typedef struct {
    dk_str v;   /* trimmed and unquoted; v.p == NULL when not set */
    size_t off; /* deck offset of the value */
} dk_dirval;

/* The Marp local directives in effect on one slide. */
typedef struct {
    dk_dirval v[DK_DIR_N];
} dk_slide_dirs;

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
    dk_slide_dirs *dirs; /* malloc'd, one per slide */
    dk_meta *meta;    /* malloc'd front matter entries, in order */
    int nmeta;
    dk_str title, author, theme; /* from front matter; p == NULL when absent */
    size_t theme_off;            /* deck offset where the theme is named, or DK_NOPOS */
    double width, height;        /* slide size in CSS px from `size`; 0 when absent */
    int marp;                    /* a Marp deck: `marp: true` or Marp directives */
    unsigned heading_divider;    /* Marp headingDivider: bit L set splits before level-L headings */
    dk_dirval style;             /* Marp `style:` directive: CSS added to the theme */
    int vertical;                /* reveal.js / Advanced Slides `--` and `----` lines split too */
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
