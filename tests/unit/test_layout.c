/*
 * Layout arithmetic, checked by hand: grid track sizing, block flow with
 * margin collapsing, replaced-element sizing and paragraphs, all with the
 * fake text backend (every glyph 10 px wide at 20 px, ascent 16, descent 4).
 */
#include "box/box.h"
#include "layout/layout.h"
#include "layout_fixture.h"
#include "test.h"

/* a block box style */
static dk_style *style(void) { return style_of(DK_DISPLAY_BLOCK); }

static dk_track fr(float v) { return (dk_track){{0, DK_LEN_AUTO}, {v, DK_LEN_FR}}; }
static dk_track px(float v) { return (dk_track){{v, DK_LEN_PX}, {v, DK_LEN_PX}}; }
static dk_track autot(void) { return (dk_track){{0, DK_LEN_AUTO}, {0, DK_LEN_AUTO}}; }

static void test_tracks(void) {
    double size[4];
    /* the seed deck: 1fr 1fr, gap 20, in 1160 px */
    dk_track t1[2] = {fr(1), fr(1)};
    double mn[2] = {120, 0}, mx[2] = {900, 570};
    dk_grid_size_tracks(t1, 2, mn, mx, 20, 1160, size);
    CHECK_NEAR(size[0], 570, 0.001);
    CHECK_NEAR(size[1], 570, 0.001);
    /* an fr track whose min-content is larger than its share is frozen at it */
    double mn2[2] = {800, 0}, mx2[2] = {900, 100};
    dk_grid_size_tracks(t1, 2, mn2, mx2, 20, 1160, size);
    CHECK_NEAR(size[0], 800, 0.001);
    CHECK_NEAR(size[1], 340, 0.001);
    /* px + fr + 2fr */
    dk_track t3[3] = {px(100), fr(1), fr(2)};
    double z[3] = {0, 0, 0};
    dk_grid_size_tracks(t3, 3, z, z, 10, 420, size);
    CHECK_NEAR(size[0], 100, 0.001);
    CHECK_NEAR(size[1], 100, 0.001);
    CHECK_NEAR(size[2], 200, 0.001);
    /* auto tracks grow to max-content, then stretch over what is left */
    dk_track t4[2] = {autot(), autot()};
    double mn4[2] = {50, 50}, mx4[2] = {100, 300};
    dk_grid_size_tracks(t4, 2, mn4, mx4, 0, 600, size);
    CHECK_NEAR(size[0], 200, 0.001);
    CHECK_NEAR(size[1], 400, 0.001);
    /* not enough room for max-content: free space shared from the min-content base */
    dk_grid_size_tracks(t4, 2, mn4, mx4, 0, 200, size);
    CHECK_NEAR(size[0] + size[1], 200, 0.001);
    CHECK_NEAR(size[0], 100, 0.001);
}

static void test_flow(dk_text *text) {
    dk_style *bs = style();
    bs->padding[0] = bs->padding[2] = (dk_len){10, DK_LEN_PX};
    dk_box *body = box(DK_BOX_BLOCK, bs, NULL);
    dk_style *ps = style();
    ps->margin[0] = (dk_len){20, DK_LEN_PX};
    ps->margin[2] = (dk_len){30, DK_LEN_PX};
    dk_box *p1 = box(DK_BOX_BLOCK, ps, body);
    para(p1, "aaaa bbbb cccc");  /* 140 px of text */
    dk_box *p2 = box(DK_BOX_BLOCK, ps, body);
    para(p2, "x");
    dk_viewport vp = {100, 400};
    CHECK(dk_layout(NULL, A, text, &vp, body) == DK_OK);
    CHECK_NEAR(body->w, 100, 0.001);
    /* p1: top margin 20 inside the padding; 2 lines of 28 in 100 px */
    CHECK_NEAR(p1->y, 10 + 20, 0.001);
    CHECK_NEAR(p1->h, 56, 0.001);
    CHECK(p1->lines == 2);
    /* siblings: 30 and 20 collapse to 30 */
    CHECK_NEAR(p2->y, p1->y + 56 + 30, 0.001);
    CHECK(p2->lines == 1);
    /* body: auto height = padding + content + p2's bottom margin (padding stops it escaping) */
    CHECK_NEAR(body->h, 10 + 20 + 56 + 30 + 28 + 30 + 10, 0.001);
}

static void test_image_sizes(dk_text *text) {
    dk_style *bs = style();
    dk_box *body = box(DK_BOX_BLOCK, bs, NULL);
    dk_image img = {.path = "x.png", .w = 1200, .h = 1200};
    /* width: 100%; max-height: 400px keeps the width and squashes, as browsers do */
    dk_style *is = style();
    is->width = (dk_len){100, DK_LEN_PCT};
    is->max_height = (dk_len){400, DK_LEN_PX};
    dk_box *i1 = box(DK_BOX_IMAGE, is, body);
    i1->image = &img;
    /* both auto with max-width: the ratio is kept */
    dk_style *is2 = style();
    is2->max_width = (dk_len){300, DK_LEN_PX};
    dk_box *i2 = box(DK_BOX_IMAGE, is2, body);
    i2->image = &img;
    dk_viewport vp = {570, 2000};
    CHECK(dk_layout(NULL, A, text, &vp, body) == DK_OK);
    CHECK_NEAR(i1->w, 570, 0.001);
    CHECK_NEAR(i1->h, 400, 0.001);
    CHECK_NEAR(i2->w, 300, 0.001);
    CHECK_NEAR(i2->h, 300, 0.001);
    CHECK_NEAR(i2->y, 400, 0.001);
}

static void test_grid(dk_text *text) {
    dk_style *bs = style();
    dk_box *body = box(DK_BOX_BLOCK, bs, NULL);
    dk_style *gs = style();
    gs->display = DK_DISPLAY_GRID;
    gs->ngrid_cols = 2;
    gs->grid_cols[0] = fr(1);
    gs->grid_cols[1] = fr(1);
    gs->column_gap = 20;
    gs->align_items = DK_AL_CENTER;
    dk_box *grid = box(DK_BOX_GRID, gs, body);
    dk_box *left = box(DK_BOX_BLOCK, style(), grid);
    para(left, "aaaa bbbb cccc dddd"); /* 4 lines of 28 in 50 px columns? no: 60 px */
    dk_box *right = box(DK_BOX_BLOCK, style(), grid);
    para(right, "z");
    dk_viewport vp = {140, 400};
    CHECK(dk_layout(NULL, A, text, &vp, body) == DK_OK);
    CHECK_NEAR(left->w, 60, 0.001);
    CHECK_NEAR(right->x, 80, 0.001);
    CHECK(left->lines == 4);
    CHECK_NEAR(grid->h, 112, 0.001);
    /* align-items: center puts the one-line item in the middle of the row */
    CHECK_NEAR(right->y, (112 - 28) / 2.0, 0.001);
}

int main(void) {
    A = dk_arena_new();
    dk_text *text;
    CHECK(dk_text_fake_new(&text) == DK_OK);
    test_tracks();
    test_flow(text);
    test_image_sizes(text);
    test_grid(text);
    text->destroy(text);
    dk_arena_free(A);
    return dk_test_done();
}
