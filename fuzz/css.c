/*
 * Fuzz target: the CSS stage — a style sheet and a `style` attribute
 * parsed and cascaded over a small fixed DOM, then (by option) turned into
 * boxes and laid out with the fake text backend, so hostile values (NaN,
 * 1e308, negative sizes, repeat(100000, 1fr)) reach the code that uses them.
 *
 * Input: one option byte, then the sheet, then optionally a NUL byte and
 * the `style` attribute given to two elements.
 *   bit 0     no NUL: the whole payload is also the style attribute
 *   bit 1     the sheet as a named (theme) sheet, else a deck <style>
 *   bit 2     build boxes and lay out (fake text)
 *   bit 3     dump every computed style
 *   bits 4-5  media: 1280x720, 320x200, 1x1, 20000x20000
 */
#include <stdlib.h>
#include <string.h>

#include "../src/box/box.h"
#include "../src/css/css.h"
#include "../src/dom/dom.h"
#include "../src/layout/layout.h"
#include "../src/text/text.h"
#include "fuzz.h"

static const char page[] =
    "<section id=\"s\" class=\"lead invert\"><h1 class=\"a\" id=\"t\">Title <code>x</code></h1>"
    "<div class=\"grid cols\"><p>one <em>two</em> <strong>three</strong> <a href=\"#\">link</a>"
    "</p><img src=\"x.png\" alt=\"alt text\"><ul><li>a</li><li class=\"b\">b<ol><li>c</li></ol>"
    "</li></ul><table><thead><tr><th>h</th><th>i</th></tr></thead><tbody><tr><td>1</td>"
    "<td>2</td></tr></tbody></table><blockquote><p>q</p></blockquote><pre><code>code\n"
    "block</code></pre><div style=\"display:flex\"><span>f1</span><span>f2</span></div>"
    "</div><footer>foot</footer></section>";

static void no_diag(void *ud, const dk_diag_rec *d) {
    (void)ud;
    (void)d;
}

static dk_sheet *ua_sheet;

static dk_node *find_class(dk_node *n, const char *tag) {
    for (; n; n = n->next) {
        if (dk_node_is(n, tag)) return n;
        dk_node *k = find_class(n->first, tag);
        if (k) return k;
    }
    return NULL;
}

static void dump_all(const dk_node *n, dk_buf *out) {
    for (; n; n = n->next) {
        if (n->type == DK_NODE_ELEMENT && n->style) dk_style_dump(n->style, out);
        dump_all(n->first, out);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const double media_sizes[4][2] = {{1280, 720}, {320, 200}, {1, 1}, {20000, 20000}};
    if (size < 1) return 0;
    unsigned opt = data[0];
    char *src = malloc(size);
    if (!src) return 0;
    memcpy(src, data + 1, size - 1);
    src[size - 1] = 0;
    size_t n = size - 1;
    const char *nul = memchr(src, 0, n);
    size_t sheet_n = nul ? (size_t)(nul - src) : n;
    const char *style = nul ? nul + 1 : (opt & 1) ? src : NULL;
    dk_ctx ctx;
    dk_ctx_init(&ctx, "fuzz.md", src, n);
    ctx.on_diag = no_diag;
    if (!ua_sheet)
        dk_css_parse_sheet(&ctx, dk_css_ua_sheet, strlen(dk_css_ua_sheet), DK_NOPOS, &ua_sheet);
    dk_sheet *sheet = NULL;
    dk_arena *a = dk_arena_new();
    dk_text *text = NULL;
    dk_images *images = NULL;
    if (!a || dk_images_new("/nonexistent/deckle-fuzz", 0, &images)) goto done;
    dk_status st = opt & 2 ? dk_css_parse_sheet_named(&ctx, "theme.css", src, sheet_n, DK_NOPOS, &sheet)
                           : dk_css_parse_sheet(&ctx, src, sheet_n, 0, &sheet);
    if (st) goto done;
    dk_html html = {page, sizeof page - 1, NULL, 0, 0, 0};
    dk_node *dom = NULL;
    if (dk_dom_parse(&ctx, a, &html, 0, &dom)) goto done;
    if (style) {
        size_t off = (size_t)(style - src);
        dk_node *p = find_class(dom, "p"), *d = find_class(dom, "div"), *img = find_class(dom, "img");
        if (p && dk_node_set_attr(a, p, "style", style, off)) goto done;
        if (d && dk_node_set_attr(a, d, "style", style, off)) goto done;
        if (img && dk_node_set_attr(a, img, "style", style, off)) goto done;
    }
    const dk_sheet *sheets[2] = {ua_sheet, sheet};
    double w = media_sizes[(opt >> 4) & 3][0], h = media_sizes[(opt >> 4) & 3][1];
    dk_media media = {w, h, 1};
    if (dk_css_cascade(&ctx, a, sheets, 2, &media, dom)) goto done;
    if (opt & 8) {
        dk_buf out = {0};
        dump_all(dom, &out);
        dk_buf_free(&out);
    }
    if (opt & 4) {
        dk_box *body = NULL;
        if (dk_box_build(&ctx, a, images, dom, &body)) goto done;
        if (dk_text_fake_new(&text)) goto done;
        dk_viewport vp = {w, h};
        dk_layout(&ctx, a, text, &vp, body);
    }
done:
    if (text) text->destroy(text);
    dk_images_free(images);
    dk_arena_free(a);
    dk_sheet_free(sheet);
    free(src);
    return 0;
}
