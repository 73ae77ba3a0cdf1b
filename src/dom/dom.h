/*
 * dom/ — HTML text to our own DOM, with gumbo.
 *
 * Takes a dk_html; hands on a dk_node tree allocated from the slide arena.
 * Gumbo parses into a scratch allocation that is freed before we return;
 * only what we need is copied (MuPDF's xml.c does the same). Comments and
 * doctype are dropped; element and attribute names are lower case.
 * Annotation comments are applied, not dropped: reveal.js's
 * `<!-- .element: class="x" -->` and Advanced Slides' `<!-- element ... -->`
 * add their attributes to the element they sit in (or, between blocks, to
 * the element before them); `<!-- .slide: ... -->` and `<!-- slide ... -->`
 * add theirs to <body>, the slide.
 *
 * Text that is clearly mojibake (UTF-8 read as Windows-1252) is repaired in
 * text nodes and attribute values, with one warning per deck.
 */
#ifndef DK_DOM_H
#define DK_DOM_H

#include "../base/base.h"
#include "../md/md.h"

struct dk_style; /* css/css.h */

typedef enum { DK_NODE_ELEMENT, DK_NODE_TEXT } dk_node_type;

typedef struct dk_attr {
    const char *name;  /* lower case, NUL-terminated */
    const char *value; /* entities decoded, NUL-terminated */
    size_t src;        /* deck offset of the value, or DK_NOPOS */
    struct dk_attr *next;
} dk_attr;

typedef struct dk_node {
    dk_node_type type;
    const char *tag;     /* elements: lower-case tag name; text: NULL */
    const char *text;    /* text nodes: NUL-terminated UTF-8; elements: NULL */
    size_t text_len;
    dk_attr *attrs;      /* elements: in source order */
    size_t src;          /* deck offset of the start tag / text, or DK_NOPOS */
    struct dk_node *parent, *first, *last, *prev, *next;
    int nth_of_type;     /* elements: 1-based position among siblings with the same tag */
    int nth;             /* elements: 1-based position among element siblings */
    const struct dk_style *style; /* set by css/ (text nodes share the parent's) */
    struct dk_node *before, *after; /* set by css/: generated ::before / ::after (not in the
                                       child list; parent is this element), or NULL */
} dk_node;

/*
 * Parse `html` into a tree whose root is the <html> element (with <head>
 * and <body> as gumbo's HTML5 algorithm builds them). `fix_text` enables
 * mojibake repair. Fails only with DK_ENOMEM.
 */
dk_status dk_dom_parse(dk_ctx *ctx, dk_arena *a, const dk_html *html, int fix_text,
                       dk_node **root);

/* The attribute's value, or NULL. */
const char *dk_node_attr(const dk_node *n, const char *name);
/* The attribute, or NULL (for its source offset). */
const dk_attr *dk_node_attr_find(const dk_node *n, const char *name);
/* First descendant element with this tag (pre-order), or NULL. */
dk_node *dk_node_find(dk_node *root, const char *tag);
/* Is this element's tag `tag`? (NULL-safe; text nodes are never) */
int dk_node_is(const dk_node *n, const char *tag);

/* ---- building and editing trees (for transforms such as marp/) ---------- */

/* A new element `tag` (copied) with no attributes, at deck offset `src`; NULL on OOM. */
dk_node *dk_node_new_element(dk_arena *a, const char *tag, size_t src);
/* A new text node holding a copy of s[0, n); NULL on OOM. */
dk_node *dk_node_new_text(dk_arena *a, const char *s, size_t n, size_t src);
/* Set (replace or add) attribute `name` to a copy of `value`. DK_ENOMEM on OOM. */
dk_status dk_node_set_attr(dk_arena *a, dk_node *n, const char *name, const char *value, size_t src);
/* Unlink `n` from its parent (if any); its subtree stays intact. */
void dk_node_detach(dk_node *n);
/* Insert `n` (detached first) before `ref` under `parent`; ref NULL appends. */
void dk_node_insert(dk_node *parent, dk_node *n, dk_node *ref);
/* Recompute nth / nth_of_type of the children of `parent` after edits. */
void dk_node_renumber(dk_node *parent);

/*
 * Mojibake repair (fixtext.c). If `s` is valid UTF-8 that reads as UTF-8
 * bytes decoded as Windows-1252 (or Latin-1), once or twice over, write the
 * repaired text to `out` (at least n+1 bytes) and return its length;
 * otherwise return (size_t)-1 and leave `out` untouched. Genuine text in
 * those characters ("café", "naïve", "Ðóññêèé" as real words) is left alone:
 * a repair is made only when every decoded sequence forms valid UTF-8 of
 * at least one multi-byte character.
 */
size_t dk_fix_mojibake(const char *s, size_t n, char *out);

#endif
