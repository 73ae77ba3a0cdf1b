/*
 * css/ — style sheets, selectors and the cascade.
 *
 * Takes the theme sheets, the DOM and each element's `style=""`; hands on
 * one `const dk_style *` per element with *computed* values: lengths in px
 * wherever they do not depend on layout (em, rem, pt, vw, vh resolved),
 * percentages and `auto` kept for layout to resolve, colours as RGBA,
 * keywords as enums. Text nodes point at their parent's style.
 *
 * We write our own tokenizer and parser (css-syntax-3, the parts we need)
 * because no maintained C CSS library is packaged for Debian 12 (libcss
 * from NetSurf is not packaged and brings its own DOM model). Unknown
 * properties and values are dropped as a browser drops them, with a
 * diagnostic.
 */
#ifndef DK_CSS_H
#define DK_CSS_H

#include "../base/base.h"
#include "../dom/dom.h"

/* ---- values ------------------------------------------------------------ */

typedef enum {
    DK_LEN_PX,   /* v is px */
    DK_LEN_PCT,  /* v is a percentage (50 means 50%) of the containing block */
    DK_LEN_AUTO, /* `auto` */
    DK_LEN_NONE, /* `none` (max-width / max-height) */
    DK_LEN_FR,   /* grid tracks only */
    DK_LEN_MIN_CONTENT, DK_LEN_MAX_CONTENT, /* grid tracks only */
} dk_len_unit;

typedef struct {
    float v;
    unsigned char unit; /* dk_len_unit */
} dk_len;

typedef struct {
    unsigned char r, g, b, a; /* straight (not premultiplied) alpha */
} dk_rgba;

typedef enum {
    DK_DISPLAY_INLINE = 0, /* the initial value */
    DK_DISPLAY_BLOCK,
    DK_DISPLAY_INLINE_BLOCK,
    DK_DISPLAY_LIST_ITEM,
    DK_DISPLAY_GRID,
    DK_DISPLAY_INLINE_GRID,
    DK_DISPLAY_FLEX,
    DK_DISPLAY_INLINE_FLEX,
    DK_DISPLAY_TABLE,
    DK_DISPLAY_TABLE_ROW_GROUP, DK_DISPLAY_TABLE_HEADER_GROUP, DK_DISPLAY_TABLE_FOOTER_GROUP,
    DK_DISPLAY_TABLE_ROW,
    DK_DISPLAY_TABLE_CELL,
    DK_DISPLAY_TABLE_CAPTION,
    DK_DISPLAY_CONTENTS,
    DK_DISPLAY_NONE,
} dk_display;

typedef enum { DK_ALIGN_LEFT, DK_ALIGN_RIGHT, DK_ALIGN_CENTER, DK_ALIGN_JUSTIFY, DK_ALIGN_START, DK_ALIGN_END } dk_text_align;
/* align-items / justify-items / align-self / justify-content values */
typedef enum {
    DK_AL_NORMAL = 0, DK_AL_STRETCH, DK_AL_START, DK_AL_END, DK_AL_CENTER, DK_AL_BASELINE,
    DK_AL_SPACE_BETWEEN, DK_AL_SPACE_AROUND, DK_AL_SPACE_EVENLY, DK_AL_AUTO,
} dk_align;
typedef enum { DK_WS_NORMAL, DK_WS_PRE, DK_WS_NOWRAP, DK_WS_PRE_WRAP, DK_WS_PRE_LINE } dk_white_space;
typedef enum { DK_BORDER_NONE, DK_BORDER_SOLID, DK_BORDER_DASHED, DK_BORDER_DOTTED, DK_BORDER_DOUBLE } dk_border_style;
typedef enum { DK_DECO_UNDERLINE = 1, DK_DECO_LINE_THROUGH = 2, DK_DECO_OVERLINE = 4 } dk_text_deco;
typedef enum { DK_LIST_NONE, DK_LIST_DISC, DK_LIST_CIRCLE, DK_LIST_SQUARE, DK_LIST_DECIMAL, DK_LIST_LOWER_ALPHA, DK_LIST_UPPER_ALPHA, DK_LIST_LOWER_ROMAN, DK_LIST_UPPER_ROMAN } dk_list_style;
typedef enum { DK_VALIGN_BASELINE, DK_VALIGN_SUB, DK_VALIGN_SUPER, DK_VALIGN_TOP, DK_VALIGN_MIDDLE, DK_VALIGN_BOTTOM, DK_VALIGN_TEXT_TOP, DK_VALIGN_TEXT_BOTTOM } dk_valign;
typedef enum { DK_TT_NONE, DK_TT_UPPER, DK_TT_LOWER, DK_TT_CAPITALIZE } dk_text_transform;
typedef enum { DK_OBJECT_FILL, DK_OBJECT_CONTAIN, DK_OBJECT_COVER, DK_OBJECT_NONE, DK_OBJECT_SCALE_DOWN } dk_object_fit;

typedef enum { DK_BG_AUTO, DK_BG_COVER, DK_BG_CONTAIN, DK_BG_LENGTHS } dk_bg_size;
typedef enum { DK_HYPHENS_MANUAL = 0, DK_HYPHENS_NONE, DK_HYPHENS_AUTO } dk_hyphens;
/* position (CSS 2.1 §9.3.1); sticky has no scrolling to stick to: positioned, never offset */
typedef enum { DK_POS_STATIC = 0, DK_POS_RELATIVE, DK_POS_STICKY, DK_POS_ABSOLUTE, DK_POS_FIXED } dk_position;

enum { DK_TOP = 0, DK_RIGHT = 1, DK_BOTTOM = 2, DK_LEFT = 3 };

#define DK_MAX_TRACKS 64

typedef struct {
    dk_len min, max; /* a plain size has min == max; minmax(a, b) keeps both */
} dk_track;

/*
 * Computed style. Immutable once the cascade hands it out; may be shared
 * between nodes.
 */
typedef struct dk_style {
    unsigned char display;        /* dk_display */
    unsigned char box_sizing;     /* 0 content-box, 1 border-box */
    dk_len width, height, min_width, min_height, max_width, max_height;
    dk_len margin[4];             /* px, % or auto */
    dk_len padding[4];            /* px or % */
    float border_width[4];        /* px (0 when style is none) */
    unsigned char border_style[4];
    dk_rgba border_color[4];
    float border_radius[4];       /* px, corners TL TR BR BL */

    dk_rgba color;
    dk_rgba background_color;
    const char *background_image; /* url() text, or NULL */
    float opacity;                /* 0..1 */
    unsigned char overflow_hidden;

    /* text */
    const char *font_family;      /* the family list as written, e.g. "Inter, sans-serif" */
    float font_size;              /* px */
    unsigned short font_weight;   /* 100..900 */
    unsigned char font_italic;
    float line_height;            /* px; < 0 means `normal` */
    unsigned char text_align;     /* dk_text_align */
    unsigned char text_decoration;/* dk_text_deco bits: the element's own plus those propagated
                                     from ancestors (not into inline-blocks), so inline
                                     children paint their ancestors' underlines */
    unsigned char white_space;    /* dk_white_space */
    unsigned char text_transform;
    unsigned char vertical_align; /* dk_valign */
    float letter_spacing;         /* px */
    float text_indent;            /* px */
    unsigned char list_style;     /* dk_list_style */
    unsigned char direction_rtl;
    unsigned char object_fit;

    /* grid and flex containers */
    dk_track grid_cols[DK_MAX_TRACKS];
    int ngrid_cols;               /* 0: none */
    dk_track grid_rows[DK_MAX_TRACKS];
    int ngrid_rows;
    float column_gap, row_gap;    /* px, or a percentage where gap_pct says so */
    unsigned char gap_pct;        /* bit 0: column_gap, bit 1: row_gap is a percentage of the
                                     content box (50 = 50%), resolved by layout/ */
    unsigned char align_items, justify_items, align_self, justify_self, justify_content;
    unsigned char align_content;  /* dk_align: a grid's rows in its height */
    unsigned char flex_direction_column, flex_wrap;
    float flex_grow, flex_shrink;
    dk_len flex_basis;
    int grid_col_start, grid_col_span, grid_row_start, grid_row_span; /* 0 = auto */
    const char *grid_areas;       /* grid-template-areas: rows split by '\n', cells by ' ',
                                     "." a null cell; NULL: none (named areas are resolved
                                     into the items' line numbers by css/) */

    /* added with the css/ implementation */
    float line_height_factor;     /* > 0: line-height was a unitless number; it is what
                                     inherits, and line_height = factor * font_size here */
    dk_rgba text_decoration_color;/* colour of the element that set the nearest decoration */
    unsigned char visibility_hidden; /* visibility: hidden | collapse (inherited) */
    unsigned char border_radius_pct; /* bit k set: border_radius[k] is a percentage (50 = 50%)
                                        of the border box, not px */
    unsigned char flex_direction_reverse; /* row-reverse / column-reverse */

    /* tables and text (issue 3) */
    unsigned char border_collapse;  /* 1: border-collapse: collapse (inherited) */
    float border_spacing[2];        /* px, horizontal and vertical (inherited) */
    unsigned char hyphens;          /* dk_hyphens (inherited) */
    unsigned char bg_size;          /* dk_bg_size */
    dk_len bg_size_len[2];          /* DK_BG_LENGTHS: width, height (px, % or auto) */
    dk_len bg_pos[2];               /* background-position x, y (px or %) */
    unsigned char bg_repeat;        /* bit 0: repeat-x, bit 1: repeat-y */

    /* positioning (CSS 2.1 §9.3, §9.9) */
    unsigned char position;         /* dk_position; absolute and fixed are blockified */
    unsigned char z_auto;           /* 1: z-index auto (no stacking context of its own) */
    int z_index;                    /* when !z_auto */
    dk_len inset[4];                /* top right bottom left: px, % or auto */

    const struct dk_cvars *cvars;   /* custom properties (css/ only; NULL: none) */

    /* generated content (CSS 2.1 §12.2): the text of `content` with its strings joined
       (attr(), url() add nothing; counter(name) is DK_COUNTER_MARK name DK_COUNTER_MARK,
       which the cascade replaces by the counter's value); NULL for none / normal */
    const char *content;
    /* counter-reset / counter-increment (CSS 2.1 §12.4): "name value" pairs separated
       by spaces, values always written; NULL for none */
    const char *counter_reset, *counter_increment;
} dk_style;

/* Brackets a counter's name in dk_style.content. */
#define DK_COUNTER_MARK '\x01'

/* Pseudo-elements that generate boxes (CSS 2.1 §12.1). */
enum { DK_PSEUDO_BEFORE = 1, DK_PSEUDO_AFTER = 2 };

/* Is the box out of flow (absolutely positioned: absolute or fixed)? */
static inline int dk_style_out_of_flow(const dk_style *s) { return s->position >= DK_POS_ABSOLUTE; }

/* ---- sheets ------------------------------------------------------------ */

typedef struct dk_sheet dk_sheet;

/*
 * For text scans over CSS that must not look inside comments or strings
 * (rewriting @import, ::after, font-family without a full parse): when
 * css[i] opens a comment or a string, the index of its last byte (n when a
 * comment is never closed; a string also ends at a newline), else i.
 */
size_t dk_css_skip_opaque(const char *css, size_t n, size_t i);

/*
 * Parse a style sheet. `name` is used in diagnostics; `base_off` is the deck
 * offset of the first byte when the sheet comes from the deck (a <style>
 * element), else DK_NOPOS. Rules and strings are copied into the sheet.
 * Bad rules are dropped with a warning. Fails only with DK_ENOMEM.
 * Free with dk_sheet_free.
 */
dk_status dk_css_parse_sheet(dk_ctx *ctx, const char *css, size_t n, size_t base_off,
                             dk_sheet **out);
/*
 * The same, with a name for messages about a sheet that is not part of the
 * deck (base_off == DK_NOPOS): "theme.css:3:7: ..." inside the message.
 * A sheet parsed from dk_css_ua_sheet itself has user-agent origin: every
 * normal author declaration beats it, whatever the specificity.
 */
dk_status dk_css_parse_sheet_named(dk_ctx *ctx, const char *name, const char *css, size_t n,
                                   size_t base_off, dk_sheet **out);
void dk_sheet_free(dk_sheet *s);

/* The user-agent sheet (browser defaults for HTML), as CSS text. */
extern const char dk_css_ua_sheet[];

/* What @media queries and vw/vh see. */
typedef struct {
    double width, height; /* slide size in CSS px */
    double text_scale;    /* fit: absolute font sizes and line heights times this (0 means 1) */
} dk_media;

/*
 * Run the cascade over the tree under `root`: for every element, match the
 * rules of `sheets` (in order of increasing precedence: UA first), then the
 * `style` attribute, then inheritance; write node->style. Rules in <style>
 * elements inside the tree are added after `sheets`. Styles are allocated
 * from `a`. An element whose ::before / ::after has a `content` other than
 * none/normal gets node->before / ->after: a node outside the child list
 * (tag "::before" / "::after", the pseudo-element's style, one text child
 * holding the content) for box/ to place first / last. Fails only with
 * DK_ENOMEM.
 */
dk_status dk_css_cascade(dk_ctx *ctx, dk_arena *a, const dk_sheet *const *sheets, int nsheets,
                         const dk_media *media, dk_node *root);

/* The initial values (what `initial` and the root inherit from). */
const dk_style *dk_style_initial(void);

/*
 * The style of an anonymous box (CSS 2.1 §9.2.1.1, §17.2.1) with display
 * `display` (dk_display) under a box styled `parent`: inherited properties
 * from the parent, the others initial. From `a`; NULL on OOM.
 */
const dk_style *dk_style_anonymous(dk_arena *a, const dk_style *parent, int display);

/* Debug dump of a computed style, one "property: value" per line (goldens). */
void dk_style_dump(const dk_style *s, dk_buf *out);

#endif
