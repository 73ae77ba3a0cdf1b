/*
 * marp/ — Marp, Obsidian and reveal.js conventions as a DOM transform.
 *
 * Takes the slide's DOM from dom/ (and the directives deck/ read); hands on
 * the same tree, edited in place, before css/ sees it:
 *
 *   - Obsidian: `![[image.png]]` / `![[image.png|300]]` embeds become <img>
 *     elements (the file found by name under the project folder, as
 *     Obsidian does), `[[note|label]]` wikilinks become their label text;
 *   - speaker notes: a `Note:` / `Notes:` paragraph and everything after it
 *     moves into <aside class="notes"> (render/ reads notes from there,
 *     themes hide them);
 *   - Marp decks only: the body's content is wrapped in the slide element
 *     Marp themes style, `<section id="N" class="..." data-paginate ...>`,
 *     with <header> and <footer> from the directives and the page number
 *     as `<div class="deckle-pagination">` (we do not generate ::after
 *     content); `![bg ...]` images become the section's background (or,
 *     `bg left`/`right`, a column beside it); `![w:300 h:200]` size images.
 *
 * What the DOM looks like afterwards (Marp):
 *
 *   body                      (display:flex row only for a split background)
 *     div.deckle-bg           (split backgrounds: figures, one per image)
 *     section#N.class         the slide: theme padding, fonts, centring
 *       div.deckle-pagination (when paginate is on: the slide number)
 *       header                (when set)
 *       ...the slide's content...
 *       footer                (when set)
 *
 * Not supported: Marp's fitting headers (`<!-- fit -->`), Obsidian note
 * transclusion (`![[note#heading]]`, reported once per embed), image
 * filters beyond passing them on as CSS `filter`, and HTML comments as
 * presenter notes (dom/ drops comments).
 */
#ifndef DK_MARP_H
#define DK_MARP_H

#include "../base/base.h"
#include "../deck/deck.h"
#include "../dom/dom.h"

/* Marp's image keywords, read from an image's alt text. */
typedef struct {
    int bg;             /* `bg`: a background image */
    int split;          /* 0, 'l' (`bg left`) or 'r' (`bg right`) */
    double split_pct;   /* the image side's share of the slide width, % (default 50) */
    int vertical;       /* `vertical`: several backgrounds stacked, not side by side */
    char size[32];      /* background size: "cover", "contain", "auto", "50%", ... */
    char width[32];     /* `w:` / `width:` as a CSS length, or "" */
    char height[32];    /* `h:` / `height:` */
    char filter[256];   /* CSS filter functions from `blur`, `sepia:50%`, ... or "" */
} dk_marp_img;

/*
 * Parse the Marp keywords of `alt` into *out; the words that are not
 * keywords are written to `rest` (at most cap bytes, NUL-terminated), to
 * stay the image's alt text. Returns how many keywords were found.
 */
int dk_marp_parse_alt(const char *alt, dk_marp_img *out, char *rest, size_t cap);

/*
 * Find the file an Obsidian embed names: `name` may be a bare file name or
 * a vault path. Looks in `deck_dir` first, then walks `root` breadth-first
 * with entries in byte order (hidden folders skipped), so the shallowest
 * match wins and the choice is stable. Returns a malloc'd path, or NULL.
 */
char *dk_marp_find_file(const char *root, const char *deck_dir, const char *name);

/* Where a deck's own Marp themes are looked for (marp/theme.c). */
typedef struct {
    const char *deck_dir; /* the deck's folder */
    const char *stop;     /* the project root: never searched above (NULL: no root known) */
    const char *data_dir; /* deckle's data: themes/marp-*.css stand for Marp's built-in themes */
    void (*input)(void *ud, const char *path); /* told of every sheet read (--watch), or NULL */
    void *ud;
} dk_theme_env;

/*
 * Find the CSS file of the Marp theme `name` in the user's project: a .css
 * or .scss file whose `@theme` comment names it, in the deck's folder and
 * its subfolders, then in the folders above (see theme.c). A file that is
 * only named `name.css` is taken when no @theme matches at its level, and
 * *by_file_name is set (Marp would not take it; the caller says so).
 * Returns a malloc'd path, or NULL when nothing matches.
 */
char *dk_marp_find_theme(const dk_theme_env *env, const char *name, int *by_file_name);

/*
 * Append the theme sheet at `path` to `out` with its @imports inlined:
 * Marp's built-in names ('default', 'gaia', 'uncover') become the bundled
 * marp-*.css, other names a project theme or a file beside the sheet.
 * Remote imports are kept (css/ ignores them); others that resolve to
 * nothing, or to a cycle, are warnings (code marp-theme-import) naming the
 * sheet's line and column. DK_EIO when `path` itself cannot be read.
 */
dk_status dk_marp_theme_read(dk_ctx *ctx, const dk_theme_env *env, const char *path, dk_buf *out);

/*
 * Append `css` to `out` with Marpit's page number selectors retargeted:
 * `section::after` (and `section.x:after`, ...) becomes
 * `section > .deckle-pagination`, the element deckle draws the page number
 * with (see marp-base.css), so a theme's styling of its pagination applies
 * to it, and a browser showing the export draws no second number.
 */
void dk_marp_pagination_css(const char *css, size_t n, dk_buf *out);

/* What the transform needs to know about the deck. */
typedef struct {
    const char *src;       /* the deck bytes (ctx->src) */
    const dk_deck *deck;
    int slide;             /* 0-based index into deck->slides */
    const char *deck_dir;  /* the deck's folder */
    const char *root;      /* the project folder searched for embeds (NULL: deck_dir) */
} dk_marp_in;

/*
 * Apply the conventions above to the slide tree `root` (from dk_dom_parse),
 * allocating from `a`. Problems in the deck (an embed that names no file,
 * a bad image keyword) are warnings at their deck position. Fails only
 * with DK_ENOMEM.
 */
dk_status dk_marp_transform(dk_ctx *ctx, dk_arena *a, const dk_marp_in *in, dk_node *root);

/*
 * The entries of folder `dir` a project search looks at — not hidden, not
 * node_modules — sorted bytewise so searches are stable. Returns a malloc'd
 * array of malloc'd names (free each, then the array) with *n set, or NULL
 * when the folder cannot be opened (or on OOM).
 */
char **dk_marp_list_dir(const char *dir, size_t *n);

#endif
