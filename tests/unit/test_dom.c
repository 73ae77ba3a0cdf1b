/*
 * dom/: gumbo's tree as our dk_node tree, positions mapped to the deck,
 * mojibake repaired with one warning per deck.
 */
#include "base/base.h"
#include "deck/deck.h"
#include "dom/dom.h"
#include "md/md.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

#ifndef DK_TEST_DATA
#define DK_TEST_DATA "tests"
#endif

/* The first element child of n. */
static dk_node *first_el(dk_node *n) {
    for (dk_node *c = n ? n->first : NULL; c; c = c->next)
        if (c->type == DK_NODE_ELEMENT) return c;
    return NULL;
}

/* The next element sibling of n. */
static dk_node *next_el(dk_node *n) {
    for (dk_node *c = n ? n->next : NULL; c; c = c->next)
        if (c->type == DK_NODE_ELEMENT) return c;
    return NULL;
}

/* Markdown -> DOM of the slide [start, end) of `src` (the ctx's deck). */
static dk_node *parse_slide(dk_ctx *ctx, dk_arena *a, const dk_slide *s, int fix) {
    dk_html h;
    dk_node *root = NULL;
    CHECK(dk_md_render(ctx, a, ctx->src, s, &h) == DK_OK);
    CHECK(dk_dom_parse(ctx, a, &h, fix, &root) == DK_OK);
    return root;
}

/* A one-slide deck from a string. */
static dk_node *parse_str(dk_ctx *ctx, dk_arena *a, const char *src, int fix) {
    dk_ctx_init(ctx, "t.md", src, strlen(src));
    ctx->quiet = 1;
    dk_slide s = {0, strlen(src), 1};
    return parse_slide(ctx, a, &s, fix);
}

static void test_seed(void) {
    char *src;
    size_t n;
    CHECK(dk_file_read(DK_TEST_DATA "/data/seed/deck.md", &src, &n) == DK_OK);
    if (!src) return;
    dk_ctx ctx;
    dk_buf log = {0};
    dk_ctx_init(&ctx, "deck.md", src, n);
    ctx.quiet = 1;
    ctx.log = &log;
    dk_deck d;
    CHECK(dk_deck_parse(&ctx, src, n, &d) == DK_OK && d.nslides == 6);
    dk_arena *a = dk_arena_new();
    dk_node *root = parse_slide(&ctx, a, &d.slides[1], 1);
    CHECK(dk_node_is(root, "html") && root->parent == NULL);
    dk_node *head = first_el(root), *body = next_el(head);
    CHECK(dk_node_is(head, "head") && dk_node_is(body, "body"));
    CHECK(body && body->src == DK_NOPOS); /* inserted by the parser */

    /* body > section > h4 */
    dk_node *section = first_el(body);
    CHECK(dk_node_is(section, "section"));
    dk_node *h4 = first_el(section);
    CHECK(dk_node_is(h4, "h4"));
    CHECK(h4 && h4->first && h4->first->type == DK_NODE_TEXT);
    CHECK_STR(h4 && h4->first ? h4->first->text : NULL, "Transformers without Normalization");
    /* white space between tags is kept as text nodes */
    CHECK(section && section->first && section->first->type == DK_NODE_TEXT &&
          strspn(section->first->text, " \n") == section->first->text_len);

    /* positions: deck line:col of elements, text and attribute values */
    int line, col;
    dk_src_linecol(&ctx, h4 ? h4->src : 0, &line, &col);
    CHECK(line == 8 && col == 5);
    CHECK(section && section->src == d.slides[1].start);
    CHECK(h4 && h4->first->src == (size_t)(strstr(src, "Transformers without") - src));

    dk_node *grid = next_el(h4);
    CHECK(dk_node_is(grid, "div"));
    const char *style = dk_node_attr(grid, "style");
    CHECK(style && strncmp(style, "display: grid; grid-template-columns: 1fr 1fr;", 46) == 0);
    const dk_attr *sa = dk_node_attr_find(grid, "style");
    CHECK(sa && sa->src == (size_t)(strstr(src, "display: grid") - src));
    dk_src_linecol(&ctx, sa ? sa->src : 0, &line, &col);
    CHECK(line == 9 && col == 17);

    /* nth and nth_of_type */
    dk_node *col1 = first_el(grid), *col2 = next_el(col1);
    CHECK(col1 && col1->nth == 1 && col1->nth_of_type == 1);
    CHECK(col2 && col2->nth == 2 && col2->nth_of_type == 2);
    CHECK(h4 && h4->nth == 1 && h4->nth_of_type == 1 && grid->nth == 2 && grid->nth_of_type == 1);
    dk_node *p1 = first_el(col1), *p2 = next_el(p1);
    CHECK(dk_node_is(p2, "p") && p2->nth_of_type == 2);

    /* the image: src with spaces, alt */
    dk_node *img = dk_node_find(section, "img");
    CHECK_STR(dk_node_attr(img, "src"), "Pasted image 20250325101836.png");
    CHECK_STR(dk_node_attr(img, "alt"), "Transformers without Normalization");
    CHECK(dk_node_attr(img, "nope") == NULL && dk_node_attr_find(img, "nope") == NULL);
    CHECK(dk_node_find(section, "video") == NULL);

    /* mojibake repaired, one warning, at the text's place in the deck */
    CHECK(p2 && p2->first && p2->first->type == DK_NODE_TEXT);
    CHECK(p2 && p2->first && strstr(p2->first->text, "🔗 ") != NULL);
    CHECK(ctx.nwarn == 1);
    CHECK(log.p && strstr(log.p, "deck.md:13:17: warning: repaired mojibake (UTF-8 read as "
                                 "Windows-1252): \"ðŸ”—\" -> \"🔗\"") != NULL);
    dk_node *link = dk_node_find(p2, "a");
    CHECK_STR(dk_node_attr(link, "href"), "https://arxiv.org/abs/2503.10622");
    CHECK(link && link->parent == p2);

    /* the rest of the deck: no further warnings */
    for (int i = 0; i < d.nslides; i++) CHECK(parse_slide(&ctx, a, &d.slides[i], 1) != NULL);
    CHECK(ctx.nwarn == 1);
    dk_node *title = parse_slide(&ctx, a, &d.slides[0], 1);
    dk_node *h1 = dk_node_find(title, "h1");
    CHECK(h1 && h1->src == (size_t)(strstr(src, "This Week") - src)); /* md's <h1>: its text */
    dk_src_linecol(&ctx, h1 ? h1->src : 0, &line, &col);
    CHECK(line == 2 && col == 3);
    CHECK(dk_node_find(title, "h4") && dk_node_find(title, "h4")->nth_of_type == 1);

    /* fix_text off: untouched, no warning */
    ctx.once = 0;
    root = parse_slide(&ctx, a, &d.slides[2], 0);
    dk_node *p = dk_node_find(root, "p");
    p = next_el(p);
    CHECK(p && p->first && strstr(p->first->text, "ðŸ”—") != NULL);
    CHECK(ctx.nwarn == 1);

    dk_arena_free(a);
    dk_deck_free(&d);
    dk_buf_free(&log);
    free(src);
}

static void test_shapes(void) {
    dk_ctx ctx;
    dk_arena *a = dk_arena_new();

    /* text around a dropped comment merges; entities decode */
    dk_node *r = parse_str(&ctx, a, "<p title=\"a&amp;b\">x<!-- c -->y &lt;z&gt;</p>\n", 1);
    dk_node *p = dk_node_find(r, "p");
    CHECK(p && p->first && p->first == p->last && p->first->type == DK_NODE_TEXT);
    CHECK_STR(p && p->first ? p->first->text : NULL, "xy <z>");
    CHECK(p && p->first && p->first->text_len == 6);
    CHECK_STR(dk_node_attr(p, "title"), "a&b");
    CHECK(p && p->first && p->first->parent == p && p->first->prev == NULL);

    /* unknown tags keep their (lower-cased) name; attribute names are lower case */
    r = parse_str(&ctx, a, "<My-Widget Data-X=1>t</My-Widget><svg viewBox=\"0 0 1 1\"></svg>\n", 1);
    dk_node *w = dk_node_find(r, "my-widget");
    CHECK(w != NULL);
    CHECK_STR(dk_node_attr(w, "data-x"), "1");
    CHECK(dk_node_attr(dk_node_find(r, "svg"), "viewbox") != NULL);

    /* template contents are dropped, the element stays */
    r = parse_str(&ctx, a, "<div><template><p>x</p></template></div>\n", 1);
    dk_node *t = dk_node_find(r, "template");
    CHECK(t && t->first == NULL);
    CHECK(dk_node_find(r, "p") == NULL);

    /* mojibake in alt and title; not in src */
    ctx.once = 0;
    r = parse_str(&ctx, a, "<img src=\"cafÃ©.png\" alt=\"cafÃ©\" title=\"Ã¼ber\">\n", 1);
    dk_node *img = dk_node_find(r, "img");
    CHECK_STR(dk_node_attr(img, "alt"), "café");
    CHECK_STR(dk_node_attr(img, "title"), "über");
    CHECK_STR(dk_node_attr(img, "src"), "cafÃ©.png");
    CHECK(ctx.nwarn == 1);

    /* siblings and numbering */
    r = parse_str(&ctx, a, "<ul><li>a</li><li>b</li></ul>\n\n- x\n- y\n- z\n", 1);
    dk_node *ul2 = dk_node_find(r, "ul");
    ul2 = ul2 ? ul2->next : NULL;
    while (ul2 && !dk_node_is(ul2, "ul")) ul2 = ul2->next;
    CHECK(ul2 && ul2->nth_of_type == 2);
    dk_node *li3 = ul2 ? ul2->last : NULL;
    while (li3 && li3->type != DK_NODE_ELEMENT) li3 = li3->prev;
    CHECK(li3 && li3->nth == 3 && li3->nth_of_type == 3 && li3->next != NULL); /* "\n" after */
    CHECK(li3 && li3->first && strcmp(li3->first->text, "z") == 0);
    CHECK(li3 && li3->src == (size_t)(strstr(ctx.src, "z\n") - ctx.src));

    /* deep nesting finishes (no recursion) */
    dk_buf deep = {0};
    for (int i = 0; i < 10000; i++) dk_buf_adds(&deep, "<div>");
    dk_buf_adds(&deep, "x");
    r = parse_str(&ctx, a, deep.p, 1);
    CHECK(r != NULL && dk_node_find(r, "div") != NULL);
    dk_buf_free(&deep);

    /* empty slide: html, head, body */
    r = parse_str(&ctx, a, "", 1);
    CHECK(dk_node_is(r, "html") && dk_node_find(r, "head") && dk_node_find(r, "body"));
    CHECK(dk_node_find(r, "body") && dk_node_find(r, "body")->first == NULL);
    CHECK(!dk_node_is(NULL, "p") && dk_node_find(NULL, "p") == NULL);
    dk_arena_free(a);
}

/* An allocation failure anywhere is a clean DK_ENOMEM. */
static void test_oom(void) {
    const char *src = "<section><p title=\"x\">a</p><p>b</p></section>\n";
    dk_ctx ctx;
    dk_ctx_init(&ctx, "t.md", src, strlen(src));
    dk_slide s = {0, strlen(src), 1};
    dk_status st = DK_ENOMEM;
    for (long fail = 1; st == DK_ENOMEM && fail < 100; fail++) {
        dk_arena *a = dk_arena_new();
        dk_html h;
        dk_node *root = NULL;
        CHECK(dk_md_render(&ctx, a, src, &s, &h) == DK_OK);
        dk_arena_fail_after(a, fail);
        st = dk_dom_parse(&ctx, a, &h, 1, &root);
        CHECK(st == DK_OK ? root != NULL : root == NULL);
        dk_arena_free(a);
    }
    CHECK(st == DK_OK);
}

int main(void) {
    test_seed();
    test_shapes();
    test_oom();
    return dk_test_done();
}
