/*
 * css/ private header: tokens, parsed sheets, specified values.
 *
 * Data flow inside the stage:
 *   text --tokenize.c--> token array --parse.c--> dk_sheet (rules with
 *   selectors and longhand declarations, values already parsed into `sval`)
 *   --select.c--> matched declarations per element --cascade.c/values.c-->
 *   computed dk_style.
 *
 * Shorthands are expanded into longhands when the sheet is parsed, so the
 * cascade only ever picks a winner per longhand and computes it.
 */
#ifndef DK_CSS_INTERNAL_H
#define DK_CSS_INTERNAL_H

#include "css.h"

/* ---- tokens (css-syntax-3 §4) ----------------------------------------- */

typedef enum {
    T_EOF, T_WS, T_IDENT, T_FUNCTION, T_AT, T_HASH, T_STRING, T_BAD_STRING, T_URL, T_BAD_URL,
    T_DELIM, T_NUMBER, T_PERCENT, T_DIMENSION, T_CDO, T_CDC, T_COLON, T_SEMI, T_COMMA,
    T_LBRACKET, T_RBRACKET, T_LPAREN, T_RPAREN, T_LBRACE, T_RBRACE,
} tok_type;

typedef struct {
    unsigned char type;   /* tok_type */
    unsigned char hash_id;/* T_HASH: "id" type flag */
    unsigned char is_int; /* numeric tokens: integer type flag */
    unsigned delim;       /* T_DELIM: the code point */
    dk_str s;             /* ident/function/at/hash/string/url value (unescaped); unit of a dimension */
    double num;           /* numeric tokens */
    size_t off;           /* byte offset of the token in the input */
    int match;            /* openers ( [ { and functions: index of the matching closer (or EOF) */
} tok;

/*
 * Tokenize `n` bytes. Unescaped strings are allocated from `scratch`.
 * *out is malloc'd (free it), always ends with a T_EOF token; openers get
 * their `match`. DK_ENOMEM only.
 */
dk_status dk_css_tokenize(dk_arena *scratch, const char *p, size_t n, tok **out, int *ntok);
const char *dk_css_tok_name(int type);

/* ---- specified values ------------------------------------------------- */

typedef enum {
    U_PX, U_PCT, U_AUTO, U_NONE, U_FR, U_MINC, U_MAXC, /* same order as dk_len_unit */
    U_EM, U_REM, U_EX, U_CH, U_VW, U_VH, U_VMIN, U_VMAX,
} css_unit;

typedef enum {
    SV_NONE,      /* no value (not declared) */
    SV_INHERIT, SV_INITIAL, SV_UNSET,
    SV_LEN,       /* v + unit */
    SV_NUM,       /* v */
    SV_KW,        /* i: a property-specific keyword value */
    SV_COLOR,     /* c */
    SV_CURRENT,   /* currentcolor */
    SV_STR,       /* s: font-family list, url() */
    SV_TRACKS,    /* tracks/ntracks */
    SV_LINE,      /* grid line: i = line number (0 auto), v = span (0 none) */
    SV_VAR,       /* a value with var(): s = "property:value" as written, parsed again for each
                     element once its custom properties are known (css-variables-1 §3) */
    SV_CUSTOM,    /* a custom property (prop P_CUSTOM): s = its name, raw = its value text */
} sval_kind;

typedef struct {
    float minv, maxv;
    unsigned char minu, maxu; /* css_unit */
} css_track;

typedef struct {
    unsigned char kind; /* sval_kind */
    unsigned char unit; /* css_unit, SV_LEN */
    float v;
    int i;
    dk_rgba c;
    const char *s;
    const css_track *tracks;
    int ntracks;
    const char *raw;    /* SV_CUSTOM: the value text */
} sval;

/* Longhands, in the order the cascade computes them: font-size and color first. */
typedef enum {
    P_FONT_SIZE, P_COLOR, P_DISPLAY, P_BOX_SIZING,
    P_WIDTH, P_HEIGHT, P_MIN_WIDTH, P_MIN_HEIGHT, P_MAX_WIDTH, P_MAX_HEIGHT,
    P_MARGIN_TOP, P_MARGIN_RIGHT, P_MARGIN_BOTTOM, P_MARGIN_LEFT,
    P_PADDING_TOP, P_PADDING_RIGHT, P_PADDING_BOTTOM, P_PADDING_LEFT,
    P_BORDER_TOP_WIDTH, P_BORDER_RIGHT_WIDTH, P_BORDER_BOTTOM_WIDTH, P_BORDER_LEFT_WIDTH,
    P_BORDER_TOP_STYLE, P_BORDER_RIGHT_STYLE, P_BORDER_BOTTOM_STYLE, P_BORDER_LEFT_STYLE,
    P_BORDER_TOP_COLOR, P_BORDER_RIGHT_COLOR, P_BORDER_BOTTOM_COLOR, P_BORDER_LEFT_COLOR,
    P_BORDER_TL_RADIUS, P_BORDER_TR_RADIUS, P_BORDER_BR_RADIUS, P_BORDER_BL_RADIUS,
    P_BACKGROUND_COLOR, P_BACKGROUND_IMAGE, P_OPACITY, P_OVERFLOW,
    P_FONT_FAMILY, P_FONT_WEIGHT, P_FONT_STYLE, P_LINE_HEIGHT,
    P_TEXT_ALIGN, P_TEXT_DECORATION_LINE, P_TEXT_DECORATION_COLOR, P_WHITE_SPACE,
    P_TEXT_TRANSFORM, P_VERTICAL_ALIGN, P_LETTER_SPACING, P_TEXT_INDENT,
    P_LIST_STYLE_TYPE, P_DIRECTION, P_OBJECT_FIT, P_VISIBILITY,
    P_GRID_TEMPLATE_COLUMNS, P_GRID_TEMPLATE_ROWS, P_COLUMN_GAP, P_ROW_GAP,
    P_ALIGN_ITEMS, P_JUSTIFY_ITEMS, P_ALIGN_SELF, P_JUSTIFY_SELF, P_JUSTIFY_CONTENT,
    P_FLEX_DIRECTION, P_FLEX_WRAP, P_FLEX_GROW, P_FLEX_SHRINK, P_FLEX_BASIS,
    P_GRID_COLUMN_START, P_GRID_COLUMN_END, P_GRID_ROW_START, P_GRID_ROW_END,
    P_BORDER_COLLAPSE, P_BORDER_SPACING_H, P_BORDER_SPACING_V, P_HYPHENS,
    P_BG_SIZE_X, P_BG_SIZE_Y, P_BG_POS_X, P_BG_POS_Y, P_BG_REPEAT,
    P_POSITION, P_TOP, P_RIGHT, P_BOTTOM, P_LEFT, P_Z_INDEX, P_GRID_TEMPLATE_AREAS,
    P_CONTENT, P_ALIGN_CONTENT, P_COUNTER_RESET, P_COUNTER_INCREMENT,
    P_COUNT
} css_prop;

/* css_decl.prop of a custom property declaration (`--name: value`) */
#define P_CUSTOM 0xFFFF

/*
 * The custom properties of an element (css-variables-1 §2): name -> value
 * text with var() already substituted; a NULL value is the guaranteed-invalid
 * value. They all inherit, so an element that declares none shares its
 * parent's table.
 */
struct dk_cvars {
    const char **name, **val;
    int n;
};

const char *dk_css_prop_name(int prop);
int dk_css_prop_inherited(int prop);

typedef struct {
    unsigned short prop;    /* css_prop */
    unsigned char important;
    unsigned seq;           /* order within the sheet */
    size_t off;             /* deck offset, or DK_NOPOS */
    sval v;
} css_decl;

/* ---- selectors ---------------------------------------------------------- */

typedef enum {
    S_TYPE, S_UNIVERSAL, S_ID, S_CLASS,
    S_ATTR,                 /* op: '\0' exists, '=', '~', '^', '$', '*', '|' */
    S_FIRST_CHILD, S_LAST_CHILD, S_ONLY_CHILD, S_FIRST_OF_TYPE, S_LAST_OF_TYPE, S_ONLY_OF_TYPE,
    S_NTH_CHILD, S_NTH_LAST_CHILD, S_NTH_OF_TYPE, S_NTH_LAST_OF_TYPE, /* a, b */
    S_ROOT, S_EMPTY, S_LINK, S_NOT, S_NEVER,
} simple_type;

typedef struct css_compound css_compound;

typedef struct {
    unsigned char type, op, icase;
    const char *name; /* tag, id, class, attribute name (lower case for tag/attr) */
    const char *val;  /* attribute value */
    int a, b;         /* :nth-*(an+b) */
    const css_compound *arg; /* :not() */
} css_simple;

enum { C_NONE, C_DESC, C_CHILD, C_NEXT, C_SUBSEQ };

struct css_compound {
    css_simple *s;
    int ns;
    unsigned char comb; /* how this compound relates to the next one to the LEFT */
};

typedef struct css_rule css_rule;

typedef struct {
    css_compound *c; /* c[0] is the rightmost compound (the subject) */
    int nc;
    unsigned spec;   /* a<<16 | b<<8 | c, each clamped to 255 */
    unsigned char pseudo; /* the pseudo-element it styles: 0 none, DK_PSEUDO_BEFORE / _AFTER */
    const css_rule *rule;
} css_selector;

/* ---- media ------------------------------------------------------------ */

enum { MF_WIDTH, MF_HEIGHT, MF_ASPECT, MF_ORIENTATION };
enum { MOP_EQ, MOP_MIN, MOP_MAX, MOP_GT, MOP_LT };

typedef struct {
    unsigned char feature, op;
    double v; /* px, ratio, or orientation (0 portrait, 1 landscape) */
} css_mfeat;

typedef struct {
    unsigned char negate, never; /* never: unknown type/feature or print */
    css_mfeat *f;
    int nf;
} css_mquery;

typedef struct css_media {
    css_mquery *q; /* matches if any query matches */
    int nq;
    const struct css_media *parent; /* enclosing @media, all must match */
} css_media;

int dk_css_media_match(const css_media *m, const dk_media *media);

/* ---- rules and sheets --------------------------------------------------- */

struct css_rule {
    css_selector *sel;
    int nsel;
    css_decl *decls;
    int ndecls;
    const css_media *media; /* NULL: unconditional */
};

struct dk_sheet {
    dk_arena *mem;  /* selectors, declarations, strings */
    int own_mem;    /* free mem with the sheet (theme sheets); not for <style> in a slide */
    int ua;         /* user-agent origin: parsed from dk_css_ua_sheet */
    css_rule *rules;
    int nrules;
};

/* Parser state shared by sheet, declaration and selector parsing. */
typedef struct {
    dk_ctx *ctx;
    dk_arena *mem;     /* where results go */
    const char *src;   /* the CSS text (for line:col in sheets outside the deck) */
    size_t n;
    size_t base_off;   /* deck offset of src[0], or DK_NOPOS */
    const char *name;  /* sheet name for messages when base_off is DK_NOPOS */
    const tok *t;
    int nt;
    unsigned seq;      /* next declaration sequence number */
    /* growable declaration list for the block being parsed (malloc'd) */
    css_decl *d;
    int nd, capd;
    int oom;
    int quiet;         /* no diagnostics (values re-parsed after var() substitution) */
} css_parser;

/* A warning with its report code ("css-invalid-value", ...; see dk_diag_rec). */
void dk_css_warn(css_parser *ps, const char *code, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A note, only with ctx->verbose. */
void dk_css_note(css_parser *ps, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A verbose note given once per deck for each key (unsupported properties and values). */
void dk_css_note_once(css_parser *ps, const char *key, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Parse a declaration list in tokens [b, e) and append the longhands to
 * ps->d. Bad declarations are warned about and skipped.
 */
void dk_css_parse_decls(css_parser *ps, int b, int e);
/* Parse one declaration value (tokens [b, e), no !important) for `name`. */
void dk_css_parse_property(css_parser *ps, dk_str name, size_t name_off, int b, int e, int important);
/* Parse a selector list in tokens [b, e); *out NULL with *n 0 when none usable. */
int dk_css_parse_selectors(css_parser *ps, int b, int e, css_selector **out, int *n);

/* dk_css_parse_sheet_named with the sheet's data in `mem` (NULL: its own arena). */
dk_status dk_css_parse_sheet_mem(dk_ctx *ctx, const char *name, const char *css, size_t n,
                              size_t base_off, dk_arena *mem, dk_sheet **out);

/*
 * Parse a `style=""` value into declarations allocated from `a`. `off` is
 * the deck offset of the value (DK_NOPOS if unknown). Returns DK_ENOMEM only.
 */
dk_status dk_css_parse_inline(dk_ctx *ctx, dk_arena *a, const char *p, size_t n, size_t off,
                           css_decl **out, int *nout);

/*
 * Parse "property:value" text produced by var() substitution into
 * declarations allocated from `a`, without diagnostics (a value that turns
 * out invalid is invalid at computed-value time, which browsers do not
 * report). DK_ENOMEM only.
 */
dk_status dk_css_parse_substituted(dk_ctx *ctx, dk_arena *a, const char *p, size_t n,
                                   css_decl **out, int *nout);

/* Custom properties (vars.c): an element's table, and var() substitution in a value. */
dk_status dk_css_vars_element(dk_arena *a, const struct dk_cvars *parent, const sval *const *own,
                              int nown, const struct dk_cvars **out);
dk_status dk_css_vars_subst(dk_arena *a, const struct dk_cvars *v, const char *text, char **out);

/* ---- matching ----------------------------------------------------------- */

int dk_css_match_selector(const css_selector *s, const dk_node *e);

/* ---- computing ---------------------------------------------------------- */

typedef struct {
    dk_style *s;
    const dk_style *parent; /* the initial style for the root */
    float root_fs;          /* font-size of the root element (rem) */
    const dk_media *media;
    const sval *win[P_COUNT];
    int is_root;
} css_compute;

/* Compute node style s from the winning declarations (values.c). */
void dk_css_compute_style(css_compute *cx);

/* Debug output for tests: tokens and sheets serialized one per line. */
void dk_css_dump_tokens(const tok *t, int n, dk_buf *out);
void dk_css_dump_sheet(const dk_sheet *s, dk_buf *out);
void dk_css_dump_decl(const css_decl *d, dk_buf *out);
void dk_css_dump_float(dk_buf *out, double v);
void dk_css_dump_sval(int prop, const sval *v, dk_buf *out);
int dk_css_named_color_count(void);

#endif
