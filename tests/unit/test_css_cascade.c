/*
 * css/ cascade: matching, specificity, order, !important, style="",
 * inheritance, computed values, the UA sheet, @media, <style> elements,
 * diagnostics positions, speed on a big tree, and OOM.
 *
 * Trees are built by hand (dom/ is written in parallel): el() links a node
 * under its parent the way dom/ does, including nth and nth_of_type.
 */
#include "../../src/css/css-internal.h"
#include "box/box.h"
#include "test.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static dk_arena *A;

static void link_child(dk_node *parent, dk_node *n) {
    n->parent = parent;
    if (!parent) return;
    n->prev = parent->last;
    if (parent->last) parent->last->next = n;
    else parent->first = n;
    parent->last = n;
}

/* el(parent, "tag", "attr", "value", ..., NULL) */
static dk_node *el(dk_node *parent, const char *tag, ...) {
    dk_node *n = dk_arena_alloc(A, sizeof *n);
    n->type = DK_NODE_ELEMENT;
    n->tag = tag;
    n->src = DK_NOPOS;
    va_list ap;
    va_start(ap, tag);
    dk_attr **tail = &n->attrs;
    for (const char *k; (k = va_arg(ap, const char *));) {
        dk_attr *at = dk_arena_alloc(A, sizeof *at);
        at->name = k;
        at->value = va_arg(ap, const char *);
        at->src = DK_NOPOS;
        *tail = at;
        tail = &at->next;
    }
    va_end(ap);
    link_child(parent, n);
    if (parent) {
        n->nth = n->nth_of_type = 1;
        for (dk_node *s = n->prev; s; s = s->prev)
            if (s->type == DK_NODE_ELEMENT) {
                n->nth++;
                if (!strcmp(s->tag, tag)) n->nth_of_type++;
            }
    }
    return n;
}

static dk_node *txt(dk_node *parent, const char *text) {
    dk_node *n = dk_arena_alloc(A, sizeof *n);
    n->type = DK_NODE_TEXT;
    n->text = text;
    n->text_len = strlen(text);
    n->src = DK_NOPOS;
    link_child(parent, n);
    return n;
}

static dk_ctx CTX;
static dk_buf LOG;
static dk_sheet *UA;
static dk_sheet *THEMES[64];
static int NTHEMES;

/* Cascade `root` with the UA sheet and `theme` (may be NULL) on a w x h slide. */
static dk_status run(dk_node *root, const char *theme, double w, double h) {
    dk_sheet *th = NULL;
    const dk_sheet *sheets[2] = {UA, NULL};
    int n = 1;
    if (theme) {
        if (dk_css_parse_sheet_named(&CTX, "theme.css", theme, strlen(theme), DK_NOPOS, &th) != DK_OK)
            return DK_ENOMEM;
        sheets[n++] = th;
    }
    dk_media m = {w, h, 1};
    dk_status st = dk_css_cascade(&CTX, A, sheets, n, &m, root);
    /* theme sheets live as long as the deck: styles may point into them */
    if (th && NTHEMES < 64) THEMES[NTHEMES++] = th;
    else dk_sheet_free(th);
    return st;
}

/* html > head, body; returns body */
static dk_node *doc(dk_node **html) {
    *html = el(NULL, "html", NULL);
    el(*html, "head", NULL);
    return el(*html, "body", NULL);
}

static int rgb(dk_rgba c, unsigned v) {
    return c.r == (v >> 16 & 255) && c.g == (v >> 8 & 255) && c.b == (v & 255) && c.a == 255;
}

/* Custom properties inherit and var() substitutes per element (css-variables-1). */
static void test_vars(void) {
    dk_node *html, *body = doc(&html);
    dk_node *a = el(body, "div", "class", "a", NULL);
    dk_node *b = el(a, "p", "class", "b", NULL);
    dk_node *c = el(body, "div", "class", "c", NULL);
    dk_node *g = el(body, "div", "class", "g", NULL);
    dk_node *g1 = el(g, "div", "class", "g1", NULL);
    dk_node *g2 = el(g, "div", "class", "g2", NULL);
    const char *css =
        ":root { --w: 10px; --col: #ff0000; --x: var(--y); --y: var(--x) }\n"
        ".a { --w: 20px; --fs: 150%; font-size: 10px; margin: var(--w) var(--none, 3px) }\n"
        ".b { font-size: var(--fs); color: var(--col); padding-left: var(--x, 7px) }\n"
        ".c { margin-top: var(--w); width: var(--missing); color: var(--x) }\n"
        ".g { display: grid; grid-template-columns: 1fr 1fr; grid-template-areas: 'h h' 'l r' }\n"
        ".g1 { grid-area: h } .g2 { grid-area: r; grid-row: 2 / 3 }\n";
    CHECK(run(html, css, 1000, 500) == DK_OK);
    CHECK(a->style->margin[DK_TOP].v == 20 && a->style->margin[DK_LEFT].v == 3);
    CHECK(b->style->font_size == 15);               /* 150% of the parent's 10px */
    CHECK(rgb(b->style->color, 0xff0000));
    CHECK(b->style->padding[DK_LEFT].v == 7);         /* a cycle is invalid: the fallback */
    CHECK(c->style->margin[DK_TOP].v == 10);          /* the root's value, not .a's */
    CHECK(c->style->width.unit == DK_LEN_AUTO);       /* invalid at computed-value time: unset */
    CHECK(g1->style->grid_col_start == 1 && g1->style->grid_col_span == 2);
    CHECK(g1->style->grid_row_start == 1 && g1->style->grid_row_span == 1);
    CHECK(g2->style->grid_col_start == 2 && g2->style->grid_col_span == 1);
    CHECK(g2->style->grid_row_start == 2);
}

static void test_specificity_order_important(void) {
    dk_node *html, *body = doc(&html);
    dk_node *p = el(body, "p", "class", "x", "id", "y", NULL);
    dk_node *q = el(body, "p", "class", "x", NULL);
    dk_node *r = el(body, "p", NULL);
    dk_node *s = el(body, "p", "id", "s", "style", "color: #010101; margin-top: 3px !important", NULL);
    dk_node *t = el(body, "p", "class", "imp", "style", "color: #020202 !important", NULL);
    const char *css = "#y { color: #00ff00 } .x { color: blue } p { color: red } p { color: #111111 }\n"
                      "#s { color: #333333; margin-top: 1px !important }\n"
                      "p.imp { color: #444444 !important }\n"
                      "* { margin-bottom: 5px } p { margin-bottom: 0 }\n";
    CHECK(run(html, css, 1280, 720) == DK_OK);
    CHECK(rgb(p->style->color, 0x00ff00)); /* id beats class beats type */
    CHECK(rgb(q->style->color, 0x0000ff));
    CHECK(rgb(r->style->color, 0x111111)); /* later wins at equal specificity */
    CHECK(rgb(s->style->color, 0x010101)); /* style="" beats #id */
    CHECK_NEAR(s->style->margin[0].v, 3, 0); /* important inline beats important sheet */
    CHECK(rgb(t->style->color, 0x020202));
    CHECK_NEAR(r->style->margin[2].v, 0, 0);
    /* author normal beats UA even with lower specificity: * vs UA's "p" */
    dk_node *html2, *body2 = doc(&html2);
    dk_node *p2 = el(body2, "p", NULL);
    CHECK(run(html2, "* { margin: 2px }", 1280, 720) == DK_OK);
    CHECK_NEAR(p2->style->margin[0].v, 2, 0);
    CHECK_NEAR(body2->style->margin[0].v, 2, 0);
}

static void test_selectors(void) {
    dk_node *html, *body = doc(&html);
    dk_node *ul = el(body, "ul", NULL);
    dk_node *li[6];
    for (int i = 0; i < 6; i++) {
        txt(ul, " ");
        li[i] = el(ul, "li", "data-k", i == 2 ? "foo-bar baz" : "x", NULL);
    }
    dk_node *d = el(body, "div", "lang", "en-US", NULL);
    dk_node *sp = el(d, "span", NULL);
    dk_node *em = el(d, "em", NULL);
    dk_node *b = el(d, "b", NULL);
    dk_node *same1 = el(body, "div", NULL), *same2 = el(body, "div", NULL);
    const char *css = "li:first-child { width: 1px }\n"
                      "li:last-child { width: 2px }\n"
                      "li:nth-child(2n+1) { height: 10px }\n"
                      "li:nth-child(even) { height: 20px }\n"
                      "li:nth-child(-n+2) { min-width: 7px }\n"
                      "li:not(:first-child) { padding-left: 3px }\n"
                      "li[data-k~=baz] { max-width: 1px }\n"
                      "li[data-k^=foo] { max-height: 2px }\n"
                      "li[data-k$=az][data-k*=\"o-b\"] { min-height: 3px }\n"
                      "div[lang|=en] > span { padding-top: 9px }\n"
                      "span + em { padding-top: 8px }\n"
                      "span ~ b { padding-top: 7px }\n"
                      "body > span { padding-top: 99px }\n"
                      ":root { font-size: 20px }\n"
                      "html body div b { padding-right: 4px }\n"
                      "li:nth-last-child(1) { padding-right: 5px }\n"
                      "li:hover { width: 100px }\n";
    CHECK(run(html, css, 1280, 720) == DK_OK);
    CHECK_NEAR(li[0]->style->width.v, 1, 0);
    CHECK_NEAR(li[5]->style->width.v, 2, 0);
    CHECK(li[1]->style->width.unit == DK_LEN_AUTO);
    CHECK_NEAR(li[0]->style->height.v, 10, 0);
    CHECK_NEAR(li[1]->style->height.v, 20, 0);
    CHECK_NEAR(li[4]->style->height.v, 10, 0);
    CHECK_NEAR(li[1]->style->min_width.v, 7, 0);
    CHECK(li[2]->style->min_width.unit == DK_LEN_AUTO);
    CHECK_NEAR(li[0]->style->padding[3].v, 0, 0);
    CHECK_NEAR(li[3]->style->padding[3].v, 3, 0);
    CHECK_NEAR(li[2]->style->max_width.v, 1, 0);
    CHECK(li[1]->style->max_width.unit == DK_LEN_NONE);
    CHECK_NEAR(li[2]->style->max_height.v, 2, 0);
    CHECK_NEAR(li[2]->style->min_height.v, 3, 0);
    CHECK_NEAR(sp->style->padding[0].v, 9, 0);
    CHECK_NEAR(em->style->padding[0].v, 8, 0);
    CHECK_NEAR(b->style->padding[0].v, 7, 0);
    CHECK_NEAR(b->style->padding[1].v, 4, 0);
    CHECK_NEAR(li[5]->style->padding[1].v, 5, 0);
    CHECK_NEAR(html->style->font_size, 20, 0);
    /* siblings with identical computed styles share one */
    CHECK(same1->style == same2->style);
    CHECK(li[1]->style != li[3]->style); /* :nth-child(-n+2) */
    CHECK(ul->first->style == ul->style); /* text nodes share the parent's */
}

static void test_inheritance_and_units(void) {
    dk_node *html, *body = doc(&html);
    dk_node *d = el(body, "div", "class", "lh", NULL);
    dk_node *p = el(d, "p", "class", "big", NULL);
    dk_node *d2 = el(body, "div", "class", "lhp", NULL);
    dk_node *p2 = el(d2, "p", "class", "big", NULL);
    dk_node *e1 = el(body, "div", "class", "em1", NULL);
    dk_node *e2 = el(e1, "div", "class", "em2", NULL);
    dk_node *e3 = el(e2, "span", "class", "em3", NULL);
    dk_node *pc = el(body, "div", "class", "pct", NULL);
    dk_node *kw = el(body, "div", "class", "kw", NULL);
    dk_node *kw2 = el(kw, "span", "class", "kw2", NULL);
    const char *css =
        "html { font-size: 10px; color: #123456; font-family: Inter, sans-serif }\n"
        ".lh { font-size: 10px; line-height: 1.5; margin-top: 4px }\n"
        ".big { font-size: 20px; margin: 0 }\n"
        ".lhp { font-size: 10px; line-height: 150% }\n"
        ".em1 { font-size: 2em } .em2 { font-size: 1.5em; margin-left: 1em; padding-top: 2rem }\n"
        ".em3 { font-size: 50%; width: 10vw; height: 10vh; min-width: 10vmin; max-width: 1vmax;"
        " letter-spacing: 0.1em; text-indent: 2em }\n"
        ".pct { width: 50%; padding: 10%; margin-left: auto; font-size: 12pt }\n"
        ".kw { font-size: x-large; font-weight: bold; color: initial; margin-top: inherit }\n"
        ".kw2 { font-size: smaller; font-weight: bolder; margin-top: unset; color: unset }\n";
    CHECK(run(html, css, 1000, 500) == DK_OK);
    CHECK(rgb(p->style->color, 0x123456));
    CHECK_STR(p->style->font_family, "Inter, sans-serif");
    CHECK_STR(body->style->font_family, "Inter, sans-serif");
    /* a unitless line-height inherits as the factor */
    CHECK_NEAR(d->style->line_height, 15, 0.001);
    CHECK_NEAR(p->style->line_height, 30, 0.001);
    CHECK_NEAR(p->style->line_height_factor, 1.5, 0.001);
    /* a percentage inherits as the computed px */
    CHECK_NEAR(d2->style->line_height, 15, 0.001);
    CHECK_NEAR(p2->style->line_height, 15, 0.001);
    CHECK_NEAR(p2->style->line_height_factor, 0, 0);
    /* margin is not inherited */
    CHECK_NEAR(p->style->margin[0].v, 0, 0);
    /* em chains: 10 -> 20 -> 30 -> 15 */
    CHECK_NEAR(e1->style->font_size, 20, 0.001);
    CHECK_NEAR(e2->style->font_size, 30, 0.001);
    CHECK_NEAR(e2->style->margin[3].v, 30, 0.001);
    CHECK_NEAR(e2->style->padding[0].v, 20, 0.001); /* rem = root's 10px */
    CHECK_NEAR(e3->style->font_size, 15, 0.001);
    CHECK_NEAR(e3->style->width.v, 100, 0.001);
    CHECK_NEAR(e3->style->height.v, 50, 0.001);
    CHECK_NEAR(e3->style->min_width.v, 50, 0.001);
    CHECK_NEAR(e3->style->max_width.v, 10, 0.001);
    CHECK_NEAR(e3->style->letter_spacing, 1.5, 0.001);
    CHECK_NEAR(e3->style->text_indent, 30, 0.001);
    CHECK(e3->style->width.unit == DK_LEN_PX);
    /* percentages stay for layout */
    CHECK(pc->style->width.unit == DK_LEN_PCT && pc->style->width.v == 50);
    CHECK(pc->style->padding[1].unit == DK_LEN_PCT && pc->style->padding[1].v == 10);
    CHECK(pc->style->margin[3].unit == DK_LEN_AUTO);
    CHECK_NEAR(pc->style->font_size, 16, 0.001);
    /* keywords, initial, inherit, unset */
    CHECK_NEAR(kw->style->font_size, 24, 0);
    CHECK(kw->style->font_weight == 700);
    CHECK(rgb(kw->style->color, 0x000000));
    CHECK_NEAR(kw->style->margin[0].v, 8, 0); /* inherit: the body's UA 8px */
    CHECK_NEAR(kw2->style->font_size, 20, 0.001);
    CHECK(kw2->style->font_weight == 900);
    CHECK(rgb(kw2->style->color, 0x000000)); /* unset on an inherited property inherits */
}

static void test_seed_grid(void) {
    /* the seed deck's two-column slide */
    dk_node *html, *body = doc(&html);
    dk_node *sec = el(body, "section", NULL);
    dk_node *h4 = el(sec, "h4", NULL);
    dk_node *g = el(sec, "div", "style",
                    "display: grid; grid-template-columns: 1fr 1fr; gap: 20px; align-items: center;", NULL);
    dk_node *c1 = el(g, "div", NULL);
    dk_node *pp = el(c1, "p", NULL);
    dk_node *a = el(pp, "a", "href", "https://arxiv.org/abs/2503.10622", NULL);
    dk_node *c2 = el(g, "div", NULL);
    dk_node *img = el(c2, "img", "src", "x.png", "style", "width: 100%; max-height: 400px;", NULL);
    dk_node *sp = el(g, "span", "style", "grid-column: 1 / -1", NULL);
    CHECK(run(html, NULL, 1280, 720) == DK_OK);
    const dk_style *s = g->style;
    CHECK(s->display == DK_DISPLAY_GRID);
    CHECK(s->ngrid_cols == 2);
    CHECK(s->grid_cols[0].min.unit == DK_LEN_FR && s->grid_cols[0].min.v == 1);
    CHECK(s->grid_cols[1].max.unit == DK_LEN_FR && s->grid_cols[1].max.v == 1);
    CHECK_NEAR(s->column_gap, 20, 0);
    CHECK_NEAR(s->row_gap, 20, 0);
    CHECK(s->align_items == DK_AL_CENTER);
    CHECK(img->style->width.unit == DK_LEN_PCT && img->style->width.v == 100);
    CHECK(img->style->max_height.unit == DK_LEN_PX && img->style->max_height.v == 400);
    CHECK(img->style->display == DK_DISPLAY_INLINE);
    CHECK(sec->style->display == DK_DISPLAY_BLOCK);
    CHECK_NEAR(h4->style->font_size, 16, 0);
    CHECK(h4->style->font_weight == 700);
    CHECK_NEAR(h4->style->margin[0].v, 21.28, 0.001);
    CHECK(rgb(a->style->color, 0x0000ee));
    CHECK(a->style->text_decoration == DK_DECO_UNDERLINE);
    /* grid items are blockified; 1 / -1 spans the explicit grid */
    CHECK(sp->style->display == DK_DISPLAY_BLOCK);
    CHECK(sp->style->grid_col_start == 1 && sp->style->grid_col_span == 2);
    CHECK(c1->style->grid_col_start == 0 && c1->style->grid_col_span == 0);
    dk_buf b = {0};
    dk_style_dump(s, &b);
    CHECK(strstr(b.p, "grid-template-columns: 1fr 1fr\n") != NULL);
    CHECK(strstr(b.p, "column-gap: 20px\n") != NULL);
    CHECK(strstr(b.p, "align-items: center\n") != NULL);
    CHECK(strstr(b.p, "display: grid\n") != NULL);
    dk_buf_free(&b);
    dk_style_dump(img->style, &b);
    CHECK(strstr(b.p, "width: 100%\n") != NULL);
    CHECK(strstr(b.p, "max-height: 400px\n") != NULL);
    dk_buf_free(&b);
}

static void test_ua_defaults(void) {
    dk_node *html, *body = doc(&html);
    dk_node *head = html->first;
    dk_node *title = el(head, "title", NULL);
    dk_node *h1 = el(body, "h1", NULL);
    dk_node *b = el(h1, "b", NULL);
    dk_node *ul = el(body, "ul", NULL);
    dk_node *li = el(ul, "li", NULL);
    dk_node *ul2 = el(li, "ul", NULL);
    dk_node *pre = el(body, "pre", NULL);
    dk_node *sub = el(body, "sub", NULL);
    dk_node *a = el(body, "a", "href", "#", "style", "color: red", NULL);
    dk_node *as = el(a, "span", "style", "color: green", NULL);
    dk_node *ib = el(a, "span", "style", "display: inline-block", NULL);
    dk_node *del = el(as, "del", NULL);
    dk_node *th = el(el(el(body, "table", NULL), "tr", NULL), "th", NULL);
    dk_node *hr = el(body, "hr", NULL);
    dk_node *bq = el(body, "blockquote", NULL);
    CHECK(run(html, NULL, 1280, 720) == DK_OK);
    CHECK(head->style->display == DK_DISPLAY_NONE);
    CHECK(title->style == head->style); /* display:none subtrees are not matched */
    CHECK(html->style->display == DK_DISPLAY_BLOCK);
    CHECK_NEAR(body->style->margin[0].v, 8, 0);
    CHECK_NEAR(h1->style->font_size, 32, 0);
    CHECK_NEAR(h1->style->margin[0].v, 21.44, 0.001);
    CHECK(b->style->font_weight == 900);
    CHECK(li->style->display == DK_DISPLAY_LIST_ITEM);
    CHECK(ul->style->list_style == DK_LIST_DISC && ul2->style->list_style == DK_LIST_CIRCLE);
    CHECK_NEAR(ul->style->margin[0].v, 16, 0);
    CHECK_NEAR(ul2->style->margin[0].v, 0, 0);
    CHECK(ul->style->padding[3].v == 40);
    CHECK(pre->style->white_space == DK_WS_PRE);
    CHECK_STR(pre->style->font_family, "monospace");
    CHECK(sub->style->vertical_align == DK_VALIGN_SUB);
    CHECK_NEAR(sub->style->font_size, 16 / 1.2, 0.001);
    /* decorations propagate with the colour of the element that set them */
    CHECK(as->style->text_decoration == DK_DECO_UNDERLINE);
    CHECK(rgb(as->style->text_decoration_color, 0xff0000));
    CHECK(rgb(as->style->color, 0x008000));
    CHECK(del->style->text_decoration == (DK_DECO_UNDERLINE | DK_DECO_LINE_THROUGH));
    CHECK(rgb(del->style->text_decoration_color, 0x008000));
    CHECK(ib->style->text_decoration == 0);
    CHECK(th->style->font_weight == 700 && th->style->text_align == DK_ALIGN_CENTER);
    CHECK(th->style->display == DK_DISPLAY_TABLE_CELL && th->style->padding[0].v == 1);
    CHECK(hr->style->border_width[0] == 1 && hr->style->border_style[0] == DK_BORDER_SOLID);
    CHECK(rgb(hr->style->border_color[0], 0x808080)); /* currentcolor = gray */
    CHECK(hr->style->margin[1].unit == DK_LEN_AUTO);
    CHECK_NEAR(bq->style->margin[3].v, 40, 0);
    CHECK(CTX.nwarn == 0);
}

static void test_borders_and_misc(void) {
    dk_node *html, *body = doc(&html);
    dk_node *x = el(body, "div", "style", "color: #00ff00; border: 2px solid", NULL);
    dk_node *y = el(body, "div", "style", "border-style: dashed; border-top-color: red", NULL);
    dk_node *z = el(body, "div", "style", "border-width: 4px; border-radius: 50% 2px", NULL);
    dk_node *w = el(body, "div", "style",
                    "opacity: 0.5; overflow: hidden; background: url('a b.png') #ff000080; "
                    "visibility: hidden; text-transform: uppercase; direction: rtl; "
                    "object-fit: cover; box-sizing: border-box; flex: 2; "
                    "flex-direction: column-reverse; flex-wrap: wrap; justify-content: space-evenly;"
                    " white-space: pre-wrap; font: italic 600 20px/2 serif",
                    NULL);
    CHECK(run(html, NULL, 1280, 720) == DK_OK);
    CHECK(x->style->border_width[2] == 2 && rgb(x->style->border_color[3], 0x00ff00));
    CHECK(y->style->border_width[1] == 3); /* medium */
    CHECK(rgb(y->style->border_color[0], 0xff0000) && rgb(y->style->border_color[1], 0));
    CHECK(z->style->border_width[0] == 0); /* style none */
    CHECK(z->style->border_radius[0] == 50 && (z->style->border_radius_pct & 1));
    CHECK(z->style->border_radius[1] == 2 && !(z->style->border_radius_pct & 2));
    const dk_style *s = w->style;
    CHECK_NEAR(s->opacity, 0.5, 1e-6);
    CHECK(s->overflow_hidden && s->visibility_hidden && s->direction_rtl);
    CHECK_STR(s->background_image, "a b.png");
    CHECK(s->background_color.r == 255 && s->background_color.a == 128);
    CHECK(s->text_transform == DK_TT_UPPER && s->object_fit == DK_OBJECT_COVER && s->box_sizing);
    CHECK(s->flex_grow == 2 && s->flex_shrink == 1 && s->flex_basis.unit == DK_LEN_PCT);
    CHECK(s->flex_direction_column && s->flex_direction_reverse && s->flex_wrap);
    CHECK(s->justify_content == DK_AL_SPACE_EVENLY && s->white_space == DK_WS_PRE_WRAP);
    CHECK(s->font_italic && s->font_weight == 600 && s->font_size == 20 && s->line_height == 40);
}

static void test_media(void) {
    const char *css = "p { color: red }\n"
                      "@media (orientation: portrait) { p { color: blue } }\n"
                      "@media screen and (min-width: 1000px) and (max-width: 1300px) { p { width: 1px } }\n"
                      "@media print { p { height: 1px } }\n"
                      "@media (aspect-ratio: 16/9) { p { min-width: 2px } }\n"
                      "@media not screen { p { min-height: 2px } }\n"
                      "@media (width >= 1280px) { p { max-width: 3px } }\n";
    for (int portrait = 0; portrait < 2; portrait++) {
        dk_node *html, *body = doc(&html);
        dk_node *p = el(body, "p", NULL);
        CHECK(run(html, css, portrait ? 720 : 1280, portrait ? 1280 : 720) == DK_OK);
        CHECK(rgb(p->style->color, portrait ? 0x0000ff : 0xff0000));
        CHECK(p->style->width.unit == (portrait ? DK_LEN_AUTO : DK_LEN_PX));
        CHECK(p->style->height.unit == DK_LEN_AUTO);
        CHECK(p->style->min_width.unit == (portrait ? DK_LEN_AUTO : DK_LEN_PX));
        CHECK(p->style->min_height.unit == DK_LEN_AUTO);
        CHECK(p->style->max_width.unit == (portrait ? DK_LEN_NONE : DK_LEN_PX));
    }
}

static void test_style_elements_and_diagnostics(void) {
    /* a deck whose slide has a <style> element and a bad inline style */
    const char *deck = "# Title\n"
                       "<style>\n"
                       "p { color: red; }\n"
                       "h1 { colr: blue; }\n"
                       "</style>\n"
                       "<p style=\"margin: 1px; bogus: 2\">x</p>\n";
    dk_ctx_init(&CTX, "talk.md", deck, strlen(deck));
    CTX.quiet = 1;
    dk_buf_free(&LOG);
    CTX.log = &LOG;
    dk_node *html, *body = doc(&html);
    dk_node *st = el(html->first, "style", NULL);
    dk_node *t = txt(st, strstr(deck, "\np {") );
    t->text_len = (size_t)(strstr(deck, "</style>") - t->text);
    t->src = (size_t)(t->text - deck);
    dk_node *p = el(body, "p", "style", "margin: 1px; bogus: 2", NULL);
    p->attrs->src = (size_t)(strstr(deck, "margin: 1px") - deck);
    CHECK(run(html, "p { color: blue }", 1280, 720) == DK_OK);
    CHECK(rgb(p->style->color, 0xff0000)); /* <style> comes after the theme */
    CHECK(LOG.p && strstr(LOG.p, "talk.md:4:6: warning: unknown property 'colr'"));
    CHECK(LOG.p && strstr(LOG.p, "talk.md:6:24: warning: unknown property 'bogus'"));
    /* theme sheets outside the deck name themselves */
    dk_buf_free(&LOG);
    CHECK(run(html, "\n\np { font-size: big }", 1280, 720) == DK_OK);
    CHECK(LOG.p && strstr(LOG.p, "talk.md: warning: theme.css:3:16: invalid value 'big' for 'font-size'"));
    dk_ctx_init(&CTX, "t", NULL, 0);
    CTX.quiet = 1;
    CTX.log = &LOG;
}

/* Speaker notes are never drawn, whatever the theme or style="" say. */
static void test_notes_hidden(void) {
    dk_node *html, *body = doc(&html);
    dk_node *notes = el(body, "aside", "class", "notes", "style", "display: block", NULL);
    dk_node *other = el(body, "aside", NULL);
    CHECK(run(html, "aside { display: flex }", 1280, 720) == DK_OK);
    CHECK(notes->style->display == DK_DISPLAY_NONE);
    CHECK(other->style->display == DK_DISPLAY_FLEX);
}

/* position, insets (inset shorthand, em), z-index; absolute boxes are blockified. */
static void test_position(void) {
    dk_node *html, *body = doc(&html);
    dk_node *rel = el(body, "div", "style", "position: relative; top: 1em; left: 10%; z-index: 3", NULL);
    dk_node *abs = el(rel, "span", "style", "position: absolute; inset: 5px auto 0", NULL);
    dk_node *fix = el(body, "b", "style", "position: fixed; z-index: -2; right: 0", NULL);
    dk_node *bad = el(body, "i", "style", "position: absolute; z-index: 1.5", NULL);
    CHECK(run(html, NULL, 1280, 720) == DK_OK);
    CHECK(rel->style->position == DK_POS_RELATIVE && !rel->style->z_auto && rel->style->z_index == 3);
    CHECK(rel->style->inset[DK_TOP].unit == DK_LEN_PX && rel->style->inset[DK_TOP].v == 16);
    CHECK(rel->style->inset[DK_LEFT].unit == DK_LEN_PCT && rel->style->inset[DK_LEFT].v == 10);
    CHECK(rel->style->inset[DK_RIGHT].unit == DK_LEN_AUTO);
    CHECK(abs->style->display == DK_DISPLAY_BLOCK); /* blockified */
    CHECK(abs->style->inset[DK_TOP].v == 5 && abs->style->inset[DK_BOTTOM].v == 0);
    CHECK(abs->style->inset[DK_RIGHT].unit == DK_LEN_AUTO && abs->style->inset[DK_LEFT].unit == DK_LEN_AUTO);
    CHECK(fix->style->position == DK_POS_FIXED && fix->style->z_index == -2);
    CHECK(bad->style->z_auto); /* z-index takes integers only */
    CHECK(body->style->position == DK_POS_STATIC && body->style->z_auto);
    dk_buf b = {0};
    dk_style_dump(rel->style, &b);
    CHECK(b.p && strstr(b.p, "position: relative\ntop: 16px\n"));
    CHECK(b.p && strstr(b.p, "z-index: 3\n"));
    dk_buf_free(&b);
}

/* ::before / ::after: styled from their own rules, inheriting from the element; a node
   only when content is not none/normal (CSS 2.1 §12.1-12.2) */
static void test_pseudo_elements(void) {
    dk_node *html, *body = doc(&html);
    dk_node *flex = el(body, "header", "class", "f", NULL);
    dk_node *em = el(flex, "em", NULL);
    dk_node *p = el(body, "p", "class", "q", NULL);
    txt(p, "text");
    dk_node *none = el(body, "p", "class", "n", NULL);
    CHECK(run(html,
              "header { display: flex; color: #00f } header::before, header::after { content: '' }"
              " .q { font-size: 20px } .q:before { content: '> '; color: red } .q::after { color: red }"
              " .n::before { content: none } .n::after { content: 'x'; display: none }"
              " em:first-child { color: lime } header::after { content: 'end' }",
              1280, 720) == DK_OK);
    /* pseudo-elements are not children: em is still the first child */
    CHECK(rgb(em->style->color, 0x00ff00));
    CHECK(flex->before && flex->after && flex->before->parent == flex && !flex->before->next);
    CHECK_STR(flex->before->tag, "::before");
    CHECK(flex->before->style->display == DK_DISPLAY_BLOCK); /* a flex item: blockified */
    CHECK(rgb(flex->before->style->color, 0x0000ff));         /* inherited from header */
    CHECK(flex->before->first && flex->before->first->text_len == 0);
    CHECK_STR(flex->after->first->text, "end"); /* the later rule wins */
    CHECK(p->before && !p->after);               /* ::after has no content */
    CHECK_STR(p->before->first->text, "> ");
    CHECK(rgb(p->before->style->color, 0xff0000) && p->before->style->font_size == 20);
    CHECK(p->before->style->display == DK_DISPLAY_INLINE);
    CHECK(!p->style->content && !none->before && !none->after);
    /* a second run (fit) starts afresh */
    CHECK(run(html, "p::after { content: 'z' }", 1280, 720) == DK_OK);
    CHECK(!flex->before && !p->before && p->after && none->after);
}

static void record(void *ud, const dk_diag_rec *d) {
    dk_buf *b = ud;
    dk_buf_printf(b, "%s %s %s:%d:%d: %s\n", d->level == DK_DIAG_NOTE ? "note" : "warn", d->code,
                  d->file, d->line, d->col, d->message);
}

/*
 * --verbose lists each unsupported property and value once per deck, as a
 * note; misspelt properties stay warnings, each with its report code.
 */
static void test_unsupported_once(void) {
    dk_ctx ctx;
    dk_buf got = {0};
    dk_ctx_init(&ctx, "deck.md", NULL, 0);
    ctx.verbose = 1;
    ctx.on_diag = record;
    ctx.diag_ud = &got;
    const char *css = "p { box-shadow: 0 0 1px red; width: calc(10% + 2px); colr: red }\n"
                      "h1 { box-shadow: none; height: calc(3px + 1em); margin: 1px 2px 3px 4px 5px }\n"
                      "a:hover { color: red } a:hover { color: blue } p ! a { }\n"
                      "@font-feature-values x { } @bogus;\n"
                      "@media (min-resolution: 2dppx) { p { color: red } }\n"
                      "p[ { }\n";
    dk_sheet *sh = NULL;
    CHECK(dk_css_parse_sheet_named(&ctx, "theme.css", css, strlen(css), DK_NOPOS, &sh) == DK_OK);
    dk_sheet_free(sh);
    sh = NULL; /* a second sheet of the same deck says nothing new about box-shadow */
    CHECK(dk_css_parse_sheet_named(&ctx, "more.css", "q { box-shadow: none }", 22, DK_NOPOS, &sh) == DK_OK);
    dk_sheet_free(sh);
    const char *g = got.p ? got.p : "";
    if (getenv("DK_TEST_VERBOSE")) fputs(g, stderr);
    const char *first = strstr(g, "note note theme.css:1:5: property 'box-shadow' is not supported");
    CHECK(first != NULL);
    CHECK(first && !strstr(strchr(first, '\n'), "'box-shadow'"));
    const char *calc = strstr(g, "calc() is not supported");
    CHECK(calc && !strstr(strchr(calc, '\n'), "calc()"));
    CHECK(strstr(g, "warn css-unknown-property theme.css:1:54: unknown property 'colr'"));
    CHECK(strstr(g, "warn css-invalid-value theme.css:2:"));
    const char *hover = strstr(g, "selector 'a:hover' can never match");
    CHECK(hover && !strstr(strchr(hover, '\n'), "a:hover"));
    CHECK(strstr(g, "warn css-invalid-selector "));
    CHECK(strstr(g, "warn css-unsupported-at-rule theme.css:4:28: unsupported at-rule '@bogus'"));
    CHECK(strstr(g, "warn css-media "));
    CHECK(strstr(g, "warn css-syntax theme.css:6:"));
    CHECK(ctx.nwarn == 7);
    dk_buf_free(&got);
    /* without --verbose: no notes at all */
    dk_ctx_init(&ctx, "deck.md", NULL, 0);
    ctx.on_diag = record;
    ctx.diag_ud = &got;
    CHECK(dk_css_parse_sheet_named(&ctx, "theme.css", css, strlen(css), DK_NOPOS, &sh) == DK_OK);
    dk_sheet_free(sh);
    CHECK(got.p && !strstr(got.p, "note "));
    dk_buf_free(&got);
}

/*
 * box/ hands text/ what it needs for diagnostics and shaping: each run's
 * deck offset and nearest lang="", the paragraph's dir="" and position;
 * an absolutely positioned element leaves the paragraph around it whole.
 */
static void test_box_runs(void) {
    dk_node *html, *body = doc(&html);
    dk_node *p = el(body, "p", "lang", "de", "dir", "rtl", NULL);
    txt(p, "eins ")->src = 100;
    dk_node *sp = el(p, "span", "lang", "fr", NULL);
    txt(sp, "deux")->src = 110;
    dk_node *ab = el(p, "span", "style", "position: absolute", NULL);
    txt(ab, "x")->src = 120;
    txt(p, " drei")->src = 130;
    dk_node *q = el(body, "p", "dir", "bogus", NULL);
    txt(q, "q")->src = DK_NOPOS;
    CHECK(run(html, NULL, 1280, 720) == DK_OK);
    dk_box *root = NULL;
    CHECK(dk_box_build(&CTX, A, NULL, html, &root) == DK_OK);
    dk_box *pb = root ? root->first : NULL, *para = pb ? pb->first : NULL;
    CHECK(para && para->kind == DK_BOX_PARA);
    if (!para) return;
    CHECK_STR(para->para.text, "eins deux drei");
    CHECK(para->para.nruns == 3);
    CHECK(para->para.dir == DK_DIR_RTL);
    CHECK(para->para.src == 100);
    CHECK_STR(para->para.lang, "de");
    CHECK(para->para.runs[0].src == 100 && para->para.runs[1].src == 110 && para->para.runs[2].src == 130);
    CHECK_STR(para->para.runs[0].lang, "de");
    CHECK_STR(para->para.runs[1].lang, "fr");
    /* the absolute span: a box of its own after the paragraph, with its own paragraph */
    dk_box *abs = para->next;
    CHECK(abs && abs->node == ab && abs->first && abs->first->kind == DK_BOX_PARA);
    dk_box *qp = pb->next ? pb->next->first : NULL;
    CHECK(qp && qp->para.dir == DK_DIR_UNSET && qp->para.src == DK_NOPOS);
}

static void test_initial_and_dump(void) {
    const dk_style *s = dk_style_initial();
    CHECK(s->display == DK_DISPLAY_INLINE && s->font_size == 16 && s->font_weight == 400);
    CHECK(s->line_height < 0 && s->opacity == 1 && s->flex_shrink == 1);
    CHECK(s->max_width.unit == DK_LEN_NONE && s->flex_basis.unit == DK_LEN_AUTO);
    CHECK_STR(s->font_family, "serif");
    dk_buf b = {0};
    dk_style_dump(s, &b);
    CHECK(strstr(b.p, "display: inline\nbox-sizing: content-box\nwidth: auto\n") == b.p);
    CHECK(strstr(b.p, "\nborder-top: 0px none #000000\n") != NULL);
    CHECK(strstr(b.p, "\nline-height: normal\n") != NULL);
    CHECK(strstr(b.p, "\nfont-size: 16px\n") != NULL);
    dk_buf c = {0};
    dk_style_dump(s, &c);
    CHECK(b.n == c.n && memcmp(b.p, c.p, b.n) == 0);
    dk_buf_free(&b);
    dk_buf_free(&c);
}

/* 5,000 elements against 1,000 rules, mostly misses on the index. */
static void test_speed(void) {
    dk_buf css = {0};
    for (int i = 0; i < 1000; i++) {
        switch (i % 4) {
        case 0: dk_buf_printf(&css, ".c%d { margin-top: %dpx }\n", i, i); break;
        case 1: dk_buf_printf(&css, "#id%d > p { color: #%06x }\n", i, i); break;
        case 2: dk_buf_printf(&css, "section div.c%d p:nth-child(2n) { padding-left: 1px }\n", i); break;
        default: dk_buf_printf(&css, "li[data-x=\"%d\"] span { width: 1px }\n", i); break;
        }
    }
    dk_node *html, *body = doc(&html);
    int n = 0;
    while (n < 5000) {
        dk_node *sec = el(body, "section", NULL);
        n++;
        for (int j = 0; j < 20 && n < 5000; j++, n += 3) {
            dk_node *d = el(sec, "div", "class", (j % 2) ? "c4 c8" : "c2", NULL);
            el(el(d, "p", NULL), "span", NULL);
        }
    }
    clock_t t0 = clock();
    CHECK(run(html, css.p, 1280, 720) == DK_OK);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    printf("cascade: 5000 elements x 1000 rules in %.3fs\n", secs);
    CHECK(secs < 5); /* generous: ASan build; real run is milliseconds */
    CHECK_NEAR(body->first->first->style->margin[0].v, 0, 0);       /* .c2: no rule */
    CHECK_NEAR(body->first->first->next->style->margin[0].v, 8, 0); /* .c4 .c8: the later rule */
    dk_buf_free(&css);
}

/* 3,000 nested lists and quotes: no recursion in the walk; descendant selectors that
   fail walk to the root (quadratic, ~1s at 10,000 with -O2: see the cascade notes). */
static void test_deep(void) {
    dk_node *html, *body = doc(&html), *x = body;
    for (int i = 0; i < 3000; i++) x = el(x, i % 2 ? "blockquote" : "ul", NULL);
    dk_node *leaf = el(x, "li", NULL);
    clock_t t0 = clock();
    CHECK(run(html, "blockquote ul li { color: red } div ul li { color: blue }", 1280, 720) == DK_OK);
    printf("cascade: 3000 nested elements in %.3fs\n", (double)(clock() - t0) / CLOCKS_PER_SEC);
    CHECK(rgb(leaf->style->color, 0xff0000));
    CHECK(leaf->parent->style->list_style == DK_LIST_SQUARE);
}

/* Fail the arena's Nth allocation for every N: DK_ENOMEM, never a crash or leak. */
static void test_oom(void) {
    int ok = 0;
    for (long n = 1; n < 2000 && !ok; n++) {
        dk_arena *a = dk_arena_new();
        dk_arena *keep = A;
        A = a;
        dk_node *html, *body = doc(&html);
        dk_node *st = el(html->first, "style", NULL);
        txt(st, "p { color: red; font-family: a, b } @media (min-width: 1px) { p { margin: 1px } }");
        el(el(body, "p", "style", "font-family: x; border: 1px solid", NULL), "b", NULL);
        dk_arena_fail_after(a, n);
        dk_status s = run(html, "div { margin: 0 }", 1280, 720);
        CHECK(s == DK_OK || s == DK_ENOMEM);
        ok = s == DK_OK;
        dk_arena_free(a);
        A = keep;
    }
    CHECK(ok);
}

int main(void) {
    dk_ctx_init(&CTX, "t", NULL, 0);
    CTX.quiet = 1;
    CTX.log = &LOG;
    A = dk_arena_new();
    CHECK(dk_css_parse_sheet(&CTX, dk_css_ua_sheet, strlen(dk_css_ua_sheet), DK_NOPOS, &UA) == DK_OK);
    test_specificity_order_important();
    test_selectors();
    test_inheritance_and_units();
    test_seed_grid();
    test_vars();
    test_ua_defaults();
    test_borders_and_misc();
    test_media();
    test_style_elements_and_diagnostics();
    test_notes_hidden();
    test_position();
    test_pseudo_elements();
    test_unsupported_once();
    test_box_runs();
    test_initial_and_dump();
    test_speed();
    test_deep();
    test_oom();
    if (CTX.nwarn && LOG.p) fprintf(stderr, "diagnostics:\n%s", LOG.p);
    dk_sheet_free(UA);
    for (int i = 0; i < NTHEMES; i++) dk_sheet_free(THEMES[i]);
    dk_arena_free(A);
    dk_buf_free(&LOG);
    return dk_test_done();
}
