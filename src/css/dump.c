/*
 * Text dumps: computed styles for golden files, and (for tests) tokens and
 * parsed sheets. Output is deterministic: fixed property order, numbers
 * rounded to 2 decimals with trailing zeros dropped.
 */
#include "css-internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Append v rounded to 0.01, without trailing zeros ("16", "13.33", "-0.5"). */
void dk_css_dump_float(dk_buf *out, double v) {
    char s[64];
    double r = round(v * 100) / 100;
    if (r == 0) r = 0; /* no "-0" */
    snprintf(s, sizeof s, "%.2f", r);
    char *dot = strchr(s, '.');
    if (dot) {
        char *e = s + strlen(s) - 1;
        while (e > dot && *e == '0') *e-- = 0;
        if (e == dot) *e = 0;
    }
    dk_buf_adds(out, s);
}

static void len(dk_buf *out, dk_len l) {
    switch (l.unit) {
    case DK_LEN_PX: dk_css_dump_float(out, l.v), dk_buf_adds(out, "px"); break;
    case DK_LEN_PCT: dk_css_dump_float(out, l.v), dk_buf_adds(out, "%"); break;
    case DK_LEN_AUTO: dk_buf_adds(out, "auto"); break;
    case DK_LEN_NONE: dk_buf_adds(out, "none"); break;
    case DK_LEN_FR: dk_css_dump_float(out, l.v), dk_buf_adds(out, "fr"); break;
    case DK_LEN_MIN_CONTENT: dk_buf_adds(out, "min-content"); break;
    case DK_LEN_MAX_CONTENT: dk_buf_adds(out, "max-content"); break;
    default: dk_buf_adds(out, "?"); break;
    }
}

static void px(dk_buf *out, double v) {
    dk_css_dump_float(out, v);
    dk_buf_adds(out, "px");
}

static void color(dk_buf *out, dk_rgba c) {
    dk_buf_printf(out, "#%02x%02x%02x", c.r, c.g, c.b);
    if (c.a != 255) dk_buf_printf(out, "%02x", c.a);
}

static const char *name_of(const char *const *names, size_t n, unsigned v) {
    return v < n ? names[v] : "?";
}
#define NAME(tab, v) name_of(tab, sizeof tab / sizeof *tab, (v))

static void tracks(dk_buf *out, const dk_track *t, int n) {
    if (!n) dk_buf_adds(out, "none");
    for (int i = 0; i < n; i++) {
        if (i) dk_buf_addc(out, ' ');
        if (memcmp(&t[i].min, &t[i].max, sizeof t[i].min) == 0 ||
            (t[i].min.v == t[i].max.v && t[i].min.unit == t[i].max.unit)) {
            len(out, t[i].min);
        } else {
            dk_buf_adds(out, "minmax(");
            len(out, t[i].min);
            dk_buf_adds(out, ", ");
            len(out, t[i].max);
            dk_buf_addc(out, ')');
        }
    }
}

/*
 * Dump a computed style, one "property: value" per line, every property,
 * always in the same order (see css.h).
 */
void dk_style_dump(const dk_style *s, dk_buf *out) {
    static const char *const display[] = {
        "inline", "block", "inline-block", "list-item", "grid", "inline-grid", "flex",
        "inline-flex", "table", "table-row-group", "table-header-group", "table-footer-group",
        "table-row", "table-cell", "table-caption", "contents", "none"};
    static const char *const align_t[] = {"left", "right", "center", "justify", "start", "end"};
    static const char *const al[] = {"normal", "stretch", "start", "end", "center", "baseline",
                                     "space-between", "space-around", "space-evenly", "auto"};
    static const char *const ws[] = {"normal", "pre", "nowrap", "pre-wrap", "pre-line"};
    static const char *const bs[] = {"none", "solid", "dashed", "dotted", "double"};
    static const char *const ls[] = {"none", "disc", "circle", "square", "decimal",
                                     "lower-alpha", "upper-alpha", "lower-roman", "upper-roman"};
    static const char *const va[] = {"baseline", "sub", "super", "top", "middle", "bottom",
                                     "text-top", "text-bottom"};
    static const char *const tt[] = {"none", "uppercase", "lowercase", "capitalize"};
    static const char *const of[] = {"fill", "contain", "cover", "none", "scale-down"};
    static const char *const side[] = {"top", "right", "bottom", "left"};
    static const char *const corner[] = {"top-left", "top-right", "bottom-right", "bottom-left"};

    dk_buf_printf(out, "display: %s\n", NAME(display, s->display));
    dk_buf_printf(out, "box-sizing: %s\n", s->box_sizing ? "border-box" : "content-box");
    const struct {
        const char *name;
        dk_len l;
    } sizes[] = {{"width", s->width}, {"height", s->height}, {"min-width", s->min_width},
                 {"min-height", s->min_height}, {"max-width", s->max_width},
                 {"max-height", s->max_height}};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        dk_buf_printf(out, "%s: ", sizes[i].name);
        len(out, sizes[i].l);
        dk_buf_addc(out, '\n');
    }
    for (int k = 0; k < 4; k++) {
        dk_buf_printf(out, "margin-%s: ", side[k]);
        len(out, s->margin[k]);
        dk_buf_addc(out, '\n');
    }
    for (int k = 0; k < 4; k++) {
        dk_buf_printf(out, "padding-%s: ", side[k]);
        len(out, s->padding[k]);
        dk_buf_addc(out, '\n');
    }
    for (int k = 0; k < 4; k++) {
        dk_buf_printf(out, "border-%s: ", side[k]);
        px(out, s->border_width[k]);
        dk_buf_printf(out, " %s ", NAME(bs, s->border_style[k]));
        color(out, s->border_color[k]);
        dk_buf_addc(out, '\n');
    }
    for (int k = 0; k < 4; k++) {
        dk_buf_printf(out, "border-%s-radius: ", corner[k]);
        dk_css_dump_float(out, s->border_radius[k]);
        dk_buf_adds(out, s->border_radius_pct >> k & 1 ? "%\n" : "px\n");
    }
    dk_buf_adds(out, "color: ");
    color(out, s->color);
    dk_buf_adds(out, "\nbackground-color: ");
    color(out, s->background_color);
    dk_buf_printf(out, "\nbackground-image: %s%s%s\n", s->background_image ? "url(" : "",
                  s->background_image ? s->background_image : "none", s->background_image ? ")" : "");
    dk_buf_adds(out, "opacity: ");
    dk_css_dump_float(out, s->opacity);
    dk_buf_printf(out, "\noverflow: %s\n", s->overflow_hidden ? "hidden" : "visible");
    dk_buf_printf(out, "visibility: %s\n", s->visibility_hidden ? "hidden" : "visible");
    dk_buf_printf(out, "font-family: %s\n", s->font_family ? s->font_family : "");
    dk_buf_adds(out, "font-size: ");
    px(out, s->font_size);
    dk_buf_printf(out, "\nfont-weight: %u\nfont-style: %s\nline-height: ", s->font_weight,
                  s->font_italic ? "italic" : "normal");
    if (s->line_height < 0) {
        dk_buf_adds(out, "normal");
    } else {
        px(out, s->line_height);
        if (s->line_height_factor > 0) {
            dk_buf_adds(out, " (factor ");
            dk_css_dump_float(out, s->line_height_factor);
            dk_buf_addc(out, ')');
        }
    }
    dk_buf_printf(out, "\ntext-align: %s\n", NAME(align_t, s->text_align));
    dk_buf_adds(out, "text-decoration:");
    if (!s->text_decoration) dk_buf_adds(out, " none");
    if (s->text_decoration & DK_DECO_UNDERLINE) dk_buf_adds(out, " underline");
    if (s->text_decoration & DK_DECO_OVERLINE) dk_buf_adds(out, " overline");
    if (s->text_decoration & DK_DECO_LINE_THROUGH) dk_buf_adds(out, " line-through");
    dk_buf_addc(out, ' ');
    color(out, s->text_decoration_color);
    dk_buf_printf(out, "\nwhite-space: %s\n", NAME(ws, s->white_space));
    dk_buf_printf(out, "text-transform: %s\n", NAME(tt, s->text_transform));
    dk_buf_printf(out, "vertical-align: %s\n", NAME(va, s->vertical_align));
    dk_buf_adds(out, "letter-spacing: ");
    px(out, s->letter_spacing);
    dk_buf_adds(out, "\ntext-indent: ");
    px(out, s->text_indent);
    dk_buf_printf(out, "\nlist-style-type: %s\n", NAME(ls, s->list_style));
    dk_buf_printf(out, "direction: %s\n", s->direction_rtl ? "rtl" : "ltr");
    dk_buf_printf(out, "object-fit: %s\n", NAME(of, s->object_fit));
    dk_buf_adds(out, "grid-template-columns: ");
    tracks(out, s->grid_cols, s->ngrid_cols);
    dk_buf_adds(out, "\ngrid-template-rows: ");
    tracks(out, s->grid_rows, s->ngrid_rows);
    dk_buf_adds(out, "\nrow-gap: ");
    len(out, (dk_len){s->row_gap, s->gap_pct & 2 ? DK_LEN_PCT : DK_LEN_PX});
    dk_buf_adds(out, "\ncolumn-gap: ");
    len(out, (dk_len){s->column_gap, s->gap_pct & 1 ? DK_LEN_PCT : DK_LEN_PX});
    dk_buf_printf(out, "\nalign-items: %s\njustify-items: %s\nalign-self: %s\njustify-self: %s\n"
                       "justify-content: %s\nalign-content: %s\n",
                  NAME(al, s->align_items), NAME(al, s->justify_items), NAME(al, s->align_self),
                  NAME(al, s->justify_self), NAME(al, s->justify_content), NAME(al, s->align_content));
    dk_buf_printf(out, "flex-direction: %s%s\nflex-wrap: %s\nflex-grow: ",
                  s->flex_direction_column ? "column" : "row",
                  s->flex_direction_reverse ? "-reverse" : "", s->flex_wrap ? "wrap" : "nowrap");
    dk_css_dump_float(out, s->flex_grow);
    dk_buf_adds(out, "\nflex-shrink: ");
    dk_css_dump_float(out, s->flex_shrink);
    dk_buf_adds(out, "\nflex-basis: ");
    len(out, s->flex_basis);
    dk_buf_printf(out, "\ngrid-column: %d / span %d\ngrid-row: %d / span %d\n", s->grid_col_start,
                  s->grid_col_span, s->grid_row_start, s->grid_row_span);
    dk_buf_printf(out, "border-collapse: %s\nborder-spacing: ",
                  s->border_collapse ? "collapse" : "separate");
    px(out, s->border_spacing[0]);
    dk_buf_addc(out, ' ');
    px(out, s->border_spacing[1]);
    static const char *const hy[] = {"manual", "none", "auto"};
    dk_buf_printf(out, "\nhyphens: %s\n", hy[s->hyphens < 3 ? s->hyphens : 0]);
    /* positioning only when it is not the initial static flow (older goldens stay valid) */
    if (s->position != DK_POS_STATIC || !s->z_auto) {
        static const char *const pos[] = {"static", "relative", "sticky", "absolute", "fixed"};
        dk_buf_printf(out, "position: %s\n", NAME(pos, s->position));
        for (int k = 0; k < 4; k++) {
            dk_buf_printf(out, "%s: ", side[k]);
            len(out, s->inset[k]);
            dk_buf_addc(out, '\n');
        }
        if (s->z_auto) dk_buf_adds(out, "z-index: auto\n");
        else dk_buf_printf(out, "z-index: %d\n", s->z_index);
    }
}

/* One token per line: TYPE, value, numeric details (tokenizer tests). */
void dk_css_dump_tokens(const tok *t, int n, dk_buf *out) {
    for (int i = 0; i < n; i++) {
        dk_buf_adds(out, dk_css_tok_name(t[i].type));
        switch (t[i].type) {
        case T_IDENT: case T_FUNCTION: case T_AT: case T_STRING: case T_URL:
            dk_buf_printf(out, " \"%.*s\"", (int)t[i].s.n, t[i].s.p);
            break;
        case T_HASH:
            dk_buf_printf(out, " \"%.*s\"%s", (int)t[i].s.n, t[i].s.p, t[i].hash_id ? " id" : "");
            break;
        case T_DELIM: dk_buf_printf(out, " '%c'", (char)t[i].delim); break;
        case T_NUMBER: case T_PERCENT: case T_DIMENSION:
            dk_buf_addc(out, ' ');
            dk_css_dump_float(out, t[i].num);
            if (t[i].type == T_DIMENSION) dk_buf_printf(out, " \"%.*s\"", (int)t[i].s.n, t[i].s.p);
            dk_buf_adds(out, t[i].is_int ? " int" : " num");
            break;
        default: break;
        }
        dk_buf_addc(out, '\n');
    }
}

/* "name: value[ !important]" for one longhand declaration. */
void dk_css_dump_decl(const css_decl *d, dk_buf *out) {
    dk_buf_printf(out, "%s: ", d->prop == P_CUSTOM ? d->v.s : dk_css_prop_name(d->prop));
    dk_css_dump_sval(d->prop, &d->v, out);
    if (d->important) dk_buf_adds(out, " !important");
}

static void dump_compound(const css_compound *c, dk_buf *out) {
    if (!c->ns) dk_buf_addc(out, '*');
    for (int i = 0; i < c->ns; i++) {
        const css_simple *s = &c->s[i];
        static const char *const pseudo[] = {
            [S_FIRST_CHILD] = ":first-child", [S_LAST_CHILD] = ":last-child",
            [S_ONLY_CHILD] = ":only-child", [S_FIRST_OF_TYPE] = ":first-of-type",
            [S_LAST_OF_TYPE] = ":last-of-type", [S_ONLY_OF_TYPE] = ":only-of-type",
            [S_NTH_CHILD] = ":nth-child", [S_NTH_LAST_CHILD] = ":nth-last-child",
            [S_NTH_OF_TYPE] = ":nth-of-type", [S_NTH_LAST_OF_TYPE] = ":nth-last-of-type",
            [S_ROOT] = ":root", [S_EMPTY] = ":empty", [S_LINK] = ":link", [S_NEVER] = ":never"};
        switch (s->type) {
        case S_TYPE: dk_buf_adds(out, s->name); break;
        case S_UNIVERSAL: dk_buf_addc(out, '*'); break;
        case S_ID: dk_buf_printf(out, "#%s", s->name); break;
        case S_CLASS: dk_buf_printf(out, ".%s", s->name); break;
        case S_ATTR:
            if (!s->op) dk_buf_printf(out, "[%s]", s->name);
            else dk_buf_printf(out, "[%s%s=\"%s\"%s]", s->name, s->op == '=' ? "" : (char[2]){(char)s->op, 0},
                               s->val, s->icase ? " i" : "");
            break;
        case S_NOT:
            dk_buf_adds(out, ":not(");
            dump_compound(s->arg, out);
            dk_buf_addc(out, ')');
            break;
        default:
            dk_buf_adds(out, pseudo[s->type]);
            if (s->type >= S_NTH_CHILD && s->type <= S_NTH_LAST_OF_TYPE)
                dk_buf_printf(out, "(%dn%+d)", s->a, s->b);
            break;
        }
    }
}

/* Serialize a selector, left to right ("ul > li + li"). */
static void dump_selector(const css_selector *s, dk_buf *out) {
    static const char *const comb[] = {"", " ", " > ", " + ", " ~ "};
    for (int k = s->nc - 1; k >= 0; k--) {
        dump_compound(&s->c[k], out);
        if (k > 0) dk_buf_adds(out, comb[s->c[k - 1].comb]);
    }
    if (s->pseudo) dk_buf_adds(out, s->pseudo == DK_PSEUDO_BEFORE ? "::before" : "::after");
}

/*
 * A parsed sheet, one rule per line:
 *   "sel, sel (spec a,b,c) { prop: value; ... }" with "@media" noted.
 */
void dk_css_dump_sheet(const dk_sheet *sh, dk_buf *out) {
    for (int r = 0; r < sh->nrules; r++) {
        const css_rule *rule = &sh->rules[r];
        if (rule->media) dk_buf_adds(out, "@media ");
        for (int i = 0; i < rule->nsel; i++) {
            if (i) dk_buf_adds(out, ", ");
            dump_selector(&rule->sel[i], out);
        }
        dk_buf_adds(out, " {");
        for (int d = 0; d < rule->ndecls; d++) {
            dk_buf_addc(out, ' ');
            dk_css_dump_decl(&rule->decls[d], out);
            dk_buf_addc(out, ';');
        }
        dk_buf_adds(out, " }\n");
    }
}
