/*
 * The fake text backend: every character (code point) advances half the
 * font size (10 px at 20 px, like the Ahem font), ascent is 0.8 and
 * descent 0.2 of the font size. Lines break greedily at spaces and at
 * '\n'. Layout tests use it so their numbers can be checked by hand.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static double adv(const dk_para *p, size_t i, int *run) {
    while (*run + 1 < p->nruns && p->runs[*run].end <= i) (*run)++;
    const dk_run *r = &p->runs[*run];
    if (r->atomic) return i == r->start ? r->box_w : 0;
    if (((unsigned char)p->text[i] & 0xC0) == 0x80) return 0;
    return r->style->font_size / 2 + r->style->letter_spacing;
}

static double line_part(const dk_style *s, int above) {
    double a = round(s->font_size * 0.8), d = round(s->font_size * 0.2);
    double lh = s->line_height >= 0 ? s->line_height : a + d;
    return (above ? a : d) + (lh - a - d) / 2;
}

static dk_status fake_layout(dk_text *t, dk_arena *a, const dk_para *p, double width,
                             dk_textlayout **out) {
    (void)t;
    dk_textlayout *tl = dk_arena_alloc(a, sizeof *tl);
    size_t nr = (size_t)(p->nruns ? p->nruns : 1);
    if (!tl) return DK_ENOMEM;
    tl->para = p;
    tl->width = width;
    tl->lines = dk_arena_alloc(a, sizeof(dk_line) * (p->len + 1));
    tl->run_rect = dk_arena_alloc(a, sizeof(dk_rect) * nr);
    tl->run_first_line = dk_arena_alloc(a, sizeof(int) * nr);
    tl->run_last_line = dk_arena_alloc(a, sizeof(int) * nr);
    tl->frags = dk_arena_alloc(a, sizeof(dk_frag) * (nr + p->len + 1));
    if (!tl->lines || !tl->run_rect || !tl->run_first_line || !tl->run_last_line || !tl->frags)
        return DK_ENOMEM;
    for (size_t i = 0; i < nr; i++) tl->run_first_line[i] = tl->run_last_line[i] = -1;
    /* greedy breaking: [start, end) per line */
    size_t start = 0;
    int run = 0;
    while (start < p->len || tl->nlines == 0) {
        double x = 0;
        size_t i = start, brk = 0;
        double wbrk = 0;
        int r2 = run;
        for (; i < p->len && p->text[i] != '\n'; i++) {
            double w = adv(p, i, &r2);
            if (p->text[i] == ' ') brk = i, wbrk = x;
            if (width >= 0 && x + w > width + 0.001 && brk > start) {
                i = brk;
                x = wbrk;
                break;
            }
            x += w;
        }
        size_t end = i;
        dk_line *L = &tl->lines[tl->nlines];
        L->start = start;
        L->end = end;
        L->w = x;
        L->x = 0;
        if (width >= 0 && p->style->text_align == DK_ALIGN_CENTER) L->x = (width - x) / 2;
        if (width >= 0 && p->style->text_align == DK_ALIGN_RIGHT) L->x = width - x;
        tl->nlines++;
        start = end < p->len ? end + 1 : end; /* the space or newline ends the line */
        if (end >= p->len) break;
    }
    /* vertical metrics, CSS style, and fragments */
    double y = 0;
    for (int l = 0; l < tl->nlines; l++) {
        dk_line *L = &tl->lines[l];
        double above = line_part(p->style, 1), below = line_part(p->style, 0);
        for (int r = 0; r < p->nruns; r++) {
            const dk_run *R = &p->runs[r];
            if (R->end <= L->start || R->start >= L->end) continue;
            above = fmax(above, R->atomic == DK_RUN_ATOMIC ? R->box_baseline : line_part(R->style, 1));
            below = fmax(below, R->atomic == DK_RUN_ATOMIC ? R->box_h - R->box_baseline : line_part(R->style, 0));
        }
        L->y = y;
        L->h = above + below;
        L->baseline = y + above;
        y += L->h;
        tl->w = fmax(tl->w, L->w);
        double x = L->x;
        int rr = 0;
        for (int r = 0; r < p->nruns; r++) {
            const dk_run *R = &p->runs[r];
            size_t s = R->start > L->start ? R->start : L->start;
            size_t e = R->end < L->end ? R->end : L->end;
            if (s >= e) continue;
            double x0 = x;
            for (size_t i = s; i < e; i++) x += adv(p, i, &rr);
            double top = R->atomic == DK_RUN_ATOMIC ? L->baseline - R->box_baseline
                                   : L->baseline - round(R->style->font_size * 0.8);
            double h = R->atomic == DK_RUN_ATOMIC ? R->box_h : round(R->style->font_size * 0.8) + round(R->style->font_size * 0.2);
            tl->frags[tl->nfrags++] = (dk_frag){r, l, {x0, top, x - x0, h}};
            if (tl->run_first_line[r] < 0) tl->run_first_line[r] = l;
            tl->run_last_line[r] = l;
            dk_rect *u = &tl->run_rect[r];
            if (u->w == 0 && u->h == 0) *u = (dk_rect){x0, top, x - x0, h};
            else {
                double ux1 = fmax(u->x + u->w, x), uy1 = fmax(u->y + u->h, top + h);
                u->x = fmin(u->x, x0);
                u->y = fmin(u->y, top);
                u->w = ux1 - u->x;
                u->h = uy1 - u->y;
            }
        }
    }
    tl->h = y;
    *out = tl;
    return DK_OK;
}

static dk_status fake_measure(dk_text *t, dk_arena *a, const dk_para *p, double *mn, double *mx) {
    dk_textlayout *tl;
    dk_status st;
    if (mn) {
        if ((st = fake_layout(t, a, p, 0, &tl))) return st;
        *mn = tl->w;
    }
    if (mx) {
        if ((st = fake_layout(t, a, p, -1, &tl))) return st;
        *mx = tl->w;
    }
    return DK_OK;
}

static void fake_destroy(dk_text *t) { free(t); }

dk_status dk_text_fake_new(dk_text **out) {
    dk_text *t = calloc(1, sizeof *t);
    *out = t;
    if (!t) return DK_ENOMEM;
    t->layout = fake_layout;
    t->measure = fake_measure;
    t->destroy = fake_destroy;
    return DK_OK;
}
