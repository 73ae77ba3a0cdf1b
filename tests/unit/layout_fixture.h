/*
 * Hand-built box trees for layout and paint tests: styles from the initial
 * values (font-size 20 px, line-height 28 px, so the fake text backend's
 * numbers are easy to check by hand), boxes linked under a parent, and
 * one-run paragraphs. Everything comes from the arena A, which each test
 * file creates in main() and frees at the end.
 */
#ifndef DK_LAYOUT_FIXTURE_H
#define DK_LAYOUT_FIXTURE_H

#include <string.h>

#include "box/box.h"
#include "layout/layout.h"

static dk_arena *A;

static inline dk_style *style_of(int display) {
    dk_style *s = dk_arena_alloc(A, sizeof *s);
    *s = *dk_style_initial();
    s->display = (unsigned char)display;
    s->font_size = 20;
    s->line_height = 28;
    return s;
}

static inline dk_box *box(dk_box_kind k, dk_style *s, dk_box *parent) {
    dk_box *b = dk_arena_alloc(A, sizeof *b);
    b->kind = k;
    b->style = s;
    b->parent = parent;
    if (parent) {
        if (parent->last) parent->last->next = b;
        else parent->first = b;
        parent->last = b;
    }
    return b;
}

/* A paragraph of `text` in one run owned by `parent`. */
static inline dk_box *para(dk_box *parent, const char *text) {
    dk_box *p = box(DK_BOX_PARA, (dk_style *)parent->style, parent);
    dk_run *r = dk_arena_alloc(A, sizeof *r);
    *r = (dk_run){.start = 0, .end = strlen(text), .style = parent->style, .owner = parent};
    p->para = (dk_para){.text = text, .len = strlen(text), .runs = r, .nruns = 1,
                        .style = parent->style};
    return p;
}

#endif
