/*
 * Layout arithmetic for issue 3's boxes, checked by hand with the fake text
 * backend (every glyph 10 px wide at 20 px, ascent 16, descent 4; lines are
 * 28 px here): auto table layout with collapsed borders, flex wrapping
 * with gaps and auto margins, outside list markers; and what paint/ asks
 * the canvas for (collapsed borders after the cells, a ticked checkbox).
 */
#include "box/box.h"
#include "canvas/canvas.h"
#include "layout/layout.h"
#include "paint/paint.h"
#include "layout_fixture.h"
#include "test.h"


static void border(dk_style *s, float w) {
    for (int i = 0; i < 4; i++) {
        s->border_width[i] = w;
        s->border_style[i] = DK_BORDER_SOLID;
        s->border_color[i] = (dk_rgba){200, 0, 0, 255};
    }
}

/*
 * A 2-column table, border-collapse, cells with 2px borders and 5px
 * padding, in a 400px body: columns are their max-content (20 + 10 + 2,
 * 40 + 10 + 2); the table shrinks to them plus half its outer lines.
 */
static dk_box *table_deck(dk_box **cells) {
    dk_box *body = box(DK_BOX_BLOCK, style_of(DK_DISPLAY_BLOCK), NULL);
    dk_style *ts = style_of(DK_DISPLAY_TABLE);
    ts->border_collapse = 1;
    dk_box *t = box(DK_BOX_TABLE, ts, body);
    dk_box *g = box(DK_BOX_BLOCK, style_of(DK_DISPLAY_TABLE_ROW_GROUP), t);
    dk_box *r = box(DK_BOX_BLOCK, style_of(DK_DISPLAY_TABLE_ROW), g);
    dk_style *cs = style_of(DK_DISPLAY_TABLE_CELL);
    border(cs, 2);
    cs->vertical_align = DK_VALIGN_MIDDLE;
    for (int i = 0; i < 4; i++) cs->padding[i] = (dk_len){5, DK_LEN_PX};
    dk_style *tall = style_of(DK_DISPLAY_TABLE_CELL);
    *tall = *cs;
    tall->height = (dk_len){60, DK_LEN_PX};
    cells[0] = box(DK_BOX_BLOCK, cs, r);
    para(cells[0], "ab");
    cells[1] = box(DK_BOX_BLOCK, tall, r);
    para(cells[1], "abcd");
    return body;
}

static void test_table(dk_text *text) {
    dk_box *c[2];
    dk_box *body = table_deck(c);
    dk_box *t = body->first;
    dk_viewport vp = {400, 400};
    CHECK(dk_layout(NULL, A, text, &vp, body) == DK_OK);
    CHECK_NEAR(t->w, 32 + 52 + 2, 0.01);
    CHECK_NEAR(t->border[3], 1, 0.01);
    CHECK_NEAR(c[0]->x, 1, 0.01);
    CHECK_NEAR(c[0]->w, 32, 0.01);
    CHECK_NEAR(c[1]->x, 33, 0.01);
    CHECK_NEAR(c[1]->w, 52, 0.01);
    /* the row is as tall as the 60px cell (+ frame 12); the short cell stretches and centres */
    CHECK_NEAR(c[1]->h, 72, 0.01);
    CHECK_NEAR(c[0]->h, 72, 0.01);
    CHECK_NEAR(c[0]->first->y, 1 + (72 - 40) / 2.0 + 6, 0.01);
    CHECK_NEAR(t->h, 72 + 2, 0.01);
    /* row and group cover the cells */
    CHECK_NEAR(t->first->first->w, 84, 0.01);
    CHECK_NEAR(t->first->h, 72, 0.01);

    /* narrower than max-content: columns between min (one word) and max */
    dk_box *body2 = box(DK_BOX_BLOCK, style_of(DK_DISPLAY_BLOCK), NULL);
    dk_box *t2 = box(DK_BOX_TABLE, style_of(DK_DISPLAY_TABLE), body2);
    dk_box *r2 = box(DK_BOX_BLOCK, style_of(DK_DISPLAY_TABLE_ROW), t2);
    dk_box *a = box(DK_BOX_BLOCK, style_of(DK_DISPLAY_TABLE_CELL), r2);
    para(a, "aa bb cc dd"); /* min 20, max 110 */
    dk_box *b = box(DK_BOX_BLOCK, style_of(DK_DISPLAY_TABLE_CELL), r2);
    para(b, "x"); /* min = max = 10 */
    dk_viewport vp2 = {70, 400};
    CHECK(dk_layout(NULL, A, text, &vp2, body2) == DK_OK);
    /* separate borders, spacing 0: 70 = 20 + (110-20)*(70-30)/(120-30) + 10 */
    CHECK_NEAR(a->w, 20 + 90 * 40.0 / 90, 0.01);
    CHECK_NEAR(b->w, 10, 0.01);
    CHECK_NEAR(t2->w, 70, 0.01);
    CHECK(a->first->text->nlines == 2);
}

static void test_flex_wrap(dk_text *text) {
    dk_box *body = box(DK_BOX_BLOCK, style_of(DK_DISPLAY_BLOCK), NULL);
    dk_style *fs = style_of(DK_DISPLAY_FLEX);
    fs->flex_wrap = 1;
    fs->column_gap = 10;
    fs->row_gap = 5;
    fs->width = (dk_len){100, DK_LEN_PX};
    dk_box *f = box(DK_BOX_FLEX, fs, body);
    dk_style *is = style_of(DK_DISPLAY_BLOCK);
    is->width = (dk_len){40, DK_LEN_PX};
    is->height = (dk_len){20, DK_LEN_PX};
    dk_style *pushed = style_of(DK_DISPLAY_BLOCK);
    *pushed = *is;
    pushed->margin[DK_LEFT] = (dk_len){0, DK_LEN_AUTO};
    dk_box *k[3] = {box(DK_BOX_BLOCK, is, f), box(DK_BOX_BLOCK, is, f), box(DK_BOX_BLOCK, pushed, f)};
    dk_viewport vp = {400, 400};
    CHECK(dk_layout(NULL, A, text, &vp, body) == DK_OK);
    CHECK_NEAR(k[0]->x, 0, 0.01);
    CHECK_NEAR(k[1]->x, 50, 0.01);
    /* 40 + 10 + 40 + 10 + 40 > 100: the third starts a line, its auto margin takes the rest */
    CHECK_NEAR(k[2]->y, 25, 0.01);
    CHECK_NEAR(k[2]->x, 60, 0.01);
    CHECK_NEAR(f->h, 45, 0.01);
}

static void test_marker(dk_text *text) {
    dk_box *body = box(DK_BOX_BLOCK, style_of(DK_DISPLAY_BLOCK), NULL);
    dk_style *ul = style_of(DK_DISPLAY_BLOCK);
    ul->padding[DK_LEFT] = (dk_len){40, DK_LEN_PX};
    ul->padding[DK_TOP] = (dk_len){7, DK_LEN_PX};
    dk_box *list = box(DK_BOX_BLOCK, ul, body);
    dk_style *lis = style_of(DK_DISPLAY_LIST_ITEM);
    lis->line_height = 40; /* the item's own line is taller: the marker follows its baseline */
    dk_box *li = box(DK_BOX_BLOCK, lis, list);
    li->marker = "12. ";
    para(li, "item");
    dk_viewport vp = {400, 400};
    CHECK(dk_layout(NULL, A, text, &vp, body) == DK_OK);
    CHECK(li->marker_text != NULL);
    /* 4 glyphs of 10px end at the content edge (x 40) */
    CHECK_NEAR(li->marker_box.x, 0, 0.01);
    CHECK_NEAR(li->marker_box.w, 40, 0.01);
    /* baseline: 7 + (40 - 20) / 2 + 16 = 33; the marker's own line puts it 6 + 16 below its top */
    CHECK_NEAR(li->marker_box.y + li->marker_text->lines[0].baseline, 33, 0.01);
}

static void test_paint(dk_text *text) {
    dk_box *c[2];
    dk_box *body = table_deck(c);
    dk_style *cb = style_of(DK_DISPLAY_INLINE_BLOCK);
    cb->width = cb->height = (dk_len){13, DK_LEN_PX};
    dk_box *check = box(DK_BOX_IMAGE, cb, body);
    check->checkbox = 2;
    dk_viewport vp = {400, 400};
    CHECK(dk_layout(NULL, A, text, &vp, body) == DK_OK);
    dk_buf log = {0};
    dk_canvas *cv;
    CHECK(dk_canvas_trace_new(&log, &cv) == DK_OK);
    dk_paint(cv, body, 400, 400);
    const char *p = log.p ? log.p : "";
    /* the cells' text first, then their collapsed borders: the first cell's top line is 2px
       thick and centred on the cell's top edge (y 1) */
    const char *txt = strstr(p, "text "), *line = strstr(p, "fill 0.00 0.00 34.00 2.00 #c80000ff");
    CHECK(txt != NULL);
    CHECK(line != NULL);
    CHECK(txt && line && txt < line);
    CHECK(strstr(p, "border ") == NULL); /* no separate border strokes in the collapsing model */
    /* the ticked checkbox: accent fill, then a white tick */
    const char *fill = strstr(p, "#0075ffff"), *tick = strstr(p, "path w1.8 #ffffffff");
    CHECK(fill != NULL);
    CHECK(tick != NULL);
    CHECK(fill && tick && fill < tick);
    dk_canvas_free(cv);
    dk_buf_free(&log);
}

int main(void) {
    A = dk_arena_new();
    dk_text *text;
    CHECK(dk_text_fake_new(&text) == DK_OK);
    test_table(text);
    test_flex_wrap(text);
    test_marker(text);
    test_paint(text);
    text->destroy(text);
    dk_arena_free(A);
    return dk_test_done();
}
