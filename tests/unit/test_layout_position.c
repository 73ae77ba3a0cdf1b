/*
 * Positioned boxes (CSS 2.1 §9.3, §10.3.7, §10.6.4), checked by hand with
 * the fake text backend (every glyph 10 px wide at 20 px; lines are 28 px
 * here): relative offsets that leave the flow alone, absolute boxes against
 * the padding box of their positioned ancestor or the slide, shrink-to-fit
 * and stretched sizes, static positions, fixed boxes, and the paint order
 * of z-index layers.
 */
#include "box/box.h"
#include "canvas/canvas.h"
#include "layout/layout.h"
#include "paint/paint.h"
#include "layout_fixture.h"
#include "test.h"


static dk_len px(float v) { return (dk_len){v, DK_LEN_PX}; }

static dk_style *positioned(int pos, float top, float right, float bottom, float left) {
    dk_style *s = style_of(DK_DISPLAY_BLOCK);
    s->position = (unsigned char)pos;
    const float v[4] = {top, right, bottom, left};
    for (int k = 0; k < 4; k++) s->inset[k] = v[k] < -999 ? (dk_len){0, DK_LEN_AUTO} : px(v[k]);
    return s;
}

#define AUTO (-1000.0f)

/*
 * A 400x300 slide; body has 10px padding. Inside: a relative container
 * (left 5, top 7) with a 2px border and 20px padding, 200px wide; it holds
 * a paragraph "abc", then the absolute boxes under test, then "de".
 */
static void test_absolute(dk_text *text) {
    dk_style *bs = style_of(DK_DISPLAY_BLOCK);
    for (int k = 0; k < 4; k++) bs->padding[k] = px(10);
    dk_box *body = box(DK_BOX_BLOCK, bs, NULL);
    dk_style *cs = positioned(DK_POS_RELATIVE, 7, AUTO, AUTO, 5);
    cs->width = px(200);
    for (int k = 0; k < 4; k++) {
        cs->padding[k] = px(20);
        cs->border_width[k] = 2;
        cs->border_style[k] = DK_BORDER_SOLID;
    }
    dk_box *cont = box(DK_BOX_BLOCK, cs, body);
    dk_box *p1 = box(DK_BOX_BLOCK, style_of(DK_DISPLAY_BLOCK), cont);
    para(p1, "abc");
    /* right/bottom given, width auto: shrink-to-fit ("xy" = 20px) from the right edge */
    dk_box *br = box(DK_BOX_BLOCK, positioned(DK_POS_ABSOLUTE, AUTO, 3, 4, AUTO), cont);
    para(br, "xy");
    /* left and right given, width auto: stretched between them */
    dk_box *st = box(DK_BOX_BLOCK, positioned(DK_POS_ABSOLUTE, 0, 10, 0, 10), cont);
    /* all insets auto: the static position (after "abc"), shrink-to-fit */
    dk_box *sp = box(DK_BOX_BLOCK, positioned(DK_POS_ABSOLUTE, AUTO, AUTO, AUTO, AUTO), cont);
    para(sp, "q");
    /* fixed: the slide, whatever the positioned ancestor */
    dk_style *fs = positioned(DK_POS_FIXED, AUTO, 0, 0, AUTO);
    fs->width = px(50);
    fs->height = px(20);
    dk_box *fx = box(DK_BOX_BLOCK, fs, cont);
    dk_box *p2 = box(DK_BOX_BLOCK, style_of(DK_DISPLAY_BLOCK), cont);
    para(p2, "de");
    dk_box *after = box(DK_BOX_BLOCK, style_of(DK_DISPLAY_BLOCK), body);
    para(after, "z");

    dk_viewport vp = {400, 300};
    CHECK(dk_layout(NULL, A, text, &vp, body) == DK_OK);
    /* the flow ignores the absolute boxes: "abc" then "de", 2 lines of 28 */
    CHECK_NEAR(cont->h, 56 + 44, 0.01);
    /* relative: moved by (5, 7) after layout; the next block does not notice */
    CHECK_NEAR(cont->x, 10 + 5, 0.01);
    CHECK_NEAR(cont->y, 10 + 7, 0.01);
    CHECK_NEAR(p2->y, 10 + 7 + 22 + 28, 0.01);
    CHECK_NEAR(after->y, 10 + 100, 0.01);
    /* the containing block: cont's padding box, (17, 19) 240 x 96 */
    double pbx = 15 + 2, pby = 17 + 2, pbw = 240, pbh = 96;
    CHECK_NEAR(br->w, 20, 0.01);
    CHECK_NEAR(br->h, 28, 0.01);
    CHECK_NEAR(br->x + br->w, pbx + pbw - 3, 0.01);
    CHECK_NEAR(br->y + br->h, pby + pbh - 4, 0.01);
    CHECK(br->first && br->first->x == br->x);
    CHECK_NEAR(st->x, pbx + 10, 0.01);
    CHECK_NEAR(st->w, pbw - 20, 0.01);
    CHECK_NEAR(st->y, pby, 0.01);
    CHECK_NEAR(st->h, pbh, 0.01);
    /* static position: the content box left, below "abc" (moved with the relative parent) */
    CHECK_NEAR(sp->x, 15 + 22, 0.01);
    CHECK_NEAR(sp->y, 17 + 22 + 28, 0.01);
    CHECK_NEAR(sp->w, 10, 0.01);
    CHECK_NEAR(fx->x, 400 - 50, 0.01);
    CHECK_NEAR(fx->y, 300 - 20, 0.01);
}

/* No positioned ancestor: the slide is the containing block; a percentage inset and auto margins. */
static void test_initial_cb(dk_text *text) {
    dk_box *body = box(DK_BOX_BLOCK, style_of(DK_DISPLAY_BLOCK), NULL);
    dk_box *wrap = box(DK_BOX_BLOCK, style_of(DK_DISPLAY_BLOCK), body);
    para(wrap, "a");
    dk_style *cs = positioned(DK_POS_ABSOLUTE, 0, 0, 0, 0);
    cs->width = px(100);
    cs->height = px(40);
    cs->margin[DK_LEFT] = cs->margin[DK_RIGHT] = (dk_len){0, DK_LEN_AUTO};
    cs->margin[DK_TOP] = cs->margin[DK_BOTTOM] = (dk_len){0, DK_LEN_AUTO};
    dk_box *centred = box(DK_BOX_BLOCK, cs, wrap);
    dk_style *ps = positioned(DK_POS_ABSOLUTE, AUTO, AUTO, AUTO, 25);
    ps->inset[DK_LEFT] = (dk_len){25, DK_LEN_PCT};
    ps->inset[DK_BOTTOM] = (dk_len){10, DK_LEN_PCT};
    dk_box *pct = box(DK_BOX_BLOCK, ps, wrap);
    para(pct, "hello world");
    dk_viewport vp = {400, 300};
    CHECK(dk_layout(NULL, A, text, &vp, body) == DK_OK);
    CHECK_NEAR(wrap->h, 28, 0.01); /* out-of-flow children add nothing */
    CHECK_NEAR(centred->x, 150, 0.01);
    CHECK_NEAR(centred->y, 130, 0.01);
    CHECK_NEAR(pct->x, 100, 0.01);
    /* shrink-to-fit in 400 - 100: max-content 110 */
    CHECK_NEAR(pct->w, 110, 0.01);
    CHECK_NEAR(pct->y + pct->h, 300 - 30, 0.01);
}

/* An absolute child of a flex column is no flex item: the other items ignore it. */
static void test_flex_child(dk_text *text) {
    dk_box *body = box(DK_BOX_BLOCK, style_of(DK_DISPLAY_BLOCK), NULL);
    dk_style *fs = style_of(DK_DISPLAY_FLEX);
    fs->flex_direction_column = 1;
    fs->justify_content = DK_AL_CENTER;
    fs->height = px(200);
    fs->position = DK_POS_RELATIVE;
    dk_box *flex = box(DK_BOX_FLEX, fs, body);
    dk_box *hdr = box(DK_BOX_BLOCK, positioned(DK_POS_ABSOLUTE, 5, AUTO, AUTO, 6), flex);
    para(hdr, "head");
    dk_box *item = box(DK_BOX_BLOCK, style_of(DK_DISPLAY_BLOCK), flex);
    para(item, "x");
    dk_viewport vp = {400, 300};
    CHECK(dk_layout(NULL, A, text, &vp, body) == DK_OK);
    CHECK_NEAR(item->y, (200 - 28) / 2.0, 0.01);
    CHECK_NEAR(item->w, 400, 0.01);
    CHECK_NEAR(hdr->x, 6, 0.01);
    CHECK_NEAR(hdr->y, 5, 0.01);
    CHECK_NEAR(hdr->w, 40, 0.01);
}

/*
 * Paint order: a z-index -1 layer right after the root background, before
 * in-flow content; z-index auto layers after in-flow content in tree order;
 * z-index 2 last, though it comes first in the tree.
 */
static void test_paint_order(dk_text *text) {
    static dk_node div = {.type = DK_NODE_ELEMENT, .tag = "div"}; /* paint/ frames element boxes */
    dk_box *body = box(DK_BOX_BLOCK, style_of(DK_DISPLAY_BLOCK), NULL);
    dk_style *top = positioned(DK_POS_ABSOLUTE, 0, AUTO, AUTO, 0);
    top->width = top->height = px(10);
    top->z_auto = 0;
    top->z_index = 2;
    top->background_color = (dk_rgba){2, 2, 2, 255};
    box(DK_BOX_BLOCK, top, body);
    dk_style *rel = positioned(DK_POS_RELATIVE, AUTO, AUTO, AUTO, AUTO);
    rel->height = px(10);
    rel->background_color = (dk_rgba){1, 1, 1, 255};
    box(DK_BOX_BLOCK, rel, body);
    dk_style *flow = style_of(DK_DISPLAY_BLOCK);
    flow->height = px(10);
    flow->background_color = (dk_rgba){3, 3, 3, 255};
    box(DK_BOX_BLOCK, flow, body);
    dk_style *under = positioned(DK_POS_ABSOLUTE, 0, AUTO, AUTO, 0);
    under->width = under->height = px(10);
    under->z_auto = 0;
    under->z_index = -1;
    under->background_color = (dk_rgba){4, 4, 4, 255};
    box(DK_BOX_BLOCK, under, body);
    for (dk_box *k = body->first; k; k = k->next) k->node = &div;
    dk_viewport vp = {400, 300};
    CHECK(dk_layout(NULL, A, text, &vp, body) == DK_OK);
    dk_buf log = {0};
    dk_canvas *cv;
    CHECK(dk_canvas_trace_new(&log, &cv) == DK_OK);
    dk_paint(cv, body, 400, 300);
    const char *p = log.p ? log.p : "";
    const char *neg = strstr(p, "#040404ff"), *in = strstr(p, "#030303ff");
    const char *rl = strstr(p, "#010101ff"), *pos = strstr(p, "#020202ff");
    CHECK(neg && in && rl && pos);
    CHECK(neg && in && neg < in);
    CHECK(in && rl && in < rl);
    CHECK(rl && pos && rl < pos);
    /* the page background: the first fill, unless the caller wants none (--transparent) */
    CHECK(strncmp(p, "fill 0.00 0.00 400.00 300.00 #ffffffff", 38) == 0);
    dk_buf_free(&log);
    dk_paint_page(cv, body, 400, 300, DK_PAINT_NO_PAGE_BG);
    CHECK(log.p && !strstr(log.p, "fill 0.00 0.00 400.00 300.00"));
    dk_canvas_free(cv);
    dk_buf_free(&log);
}

int main(void) {
    A = dk_arena_new();
    dk_text *text;
    CHECK(dk_text_fake_new(&text) == DK_OK);
    test_absolute(text);
    test_initial_cb(text);
    test_flex_child(text);
    test_paint_order(text);
    text->destroy(text);
    dk_arena_free(A);
    return dk_test_done();
}
