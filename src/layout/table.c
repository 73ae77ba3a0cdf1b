/* Table layout (CSS 2.1 §17, automatic layout). */
#include "layout-internal.h"

#include <stdlib.h>

/*
 * Tables (CSS 2.1 §17, auto table layout as browsers do it). The grid is
 * read from the box tree once: rows in document order (inside row groups
 * or directly in the table), cells with their column spans. Column widths
 * come from the cells' min- and max-content widths (spanning cells spread
 * what they need beyond their columns evenly); the table is as wide as its
 * columns' max-content, or as its container when that is narrower (the
 * columns then sit between min and max in proportion to max - min) or when
 * the table is wider (a given width, or stretched as a flex item): the
 * extra goes to the columns in proportion to their max-content.
 * Rows are as tall as their tallest single-row cell; a cell spanning rows
 * (rowspan, within its row group; 0 = to the group's end) then spreads
 * what it needs beyond them over its rows in proportion to their heights
 * (all to the last when they are empty), shortest spans first, as
 * Chromium does. Cells stretch to their rows and move their content for
 * vertical-align middle / bottom.
 *
 * Collapsing borders (§17.6.2): every grid line gets the widest border of
 * the table, rows, row groups and cells along it; a cell's used border is
 * half of each of its lines, the table's half of its outer lines, as
 * Chromium reports them. Not supported:
 * captions (laid out as blocks above the rows), fixed table layout,
 * column elements, border conflict rules beyond "widest wins".
 */

typedef struct {
    dk_box *cell;
    int row, col, span, rspan;
} tcell;

typedef struct dk_tgrid {
    int nrows, ncols, ncells;
    dk_box **rows;
    tcell *cells;
    double *pct;          /* per column: the largest percentage width of its cells, or 0 */
    unsigned char *fixed; /* per column: a cell of it has a width in px */
} tgrid;

static int is_row_group(const dk_style *s) {
    return s->display == DK_DISPLAY_TABLE_ROW_GROUP || s->display == DK_DISPLAY_TABLE_HEADER_GROUP ||
           s->display == DK_DISPLAY_TABLE_FOOTER_GROUP;
}

/* The rows and cells of table `t`, built once (NULL on OOM). */
static tgrid *table_grid(L *l, dk_box *t) {
    if (t->tgrid) return t->tgrid;
    tgrid *g = dk_arena_alloc(l->a, sizeof *g);
    int nrows = 0, ncells = 0;
    for (dk_box *k = in_flow(t->first); k; k = in_flow(k->next)) {
        if (is_row_group(k->style)) {
            for (dk_box *r = in_flow(k->first); r; r = in_flow(r->next), nrows++)
                for (dk_box *c = in_flow(r->first); c; c = in_flow(c->next)) ncells++;
        } else if (k->style->display == DK_DISPLAY_TABLE_ROW) {
            nrows++;
            for (dk_box *c = k->first; c; c = c->next) ncells++;
        }
    }
    if (g) {
        g->rows = dk_arena_alloc(l->a, sizeof(dk_box *) * (size_t)(nrows + 1));
        g->cells = dk_arena_alloc(l->a, sizeof(tcell) * (size_t)(ncells + 1));
    }
    if (!g || !g->rows || !g->cells) {
        l->st = DK_ENOMEM;
        return NULL;
    }
    /* busy[c]: rows still covered in column c by a cell spanning down from above; a row
       group (or a run of rows straight in the table) is a grid of its own (§17.5) */
    int *busy = dk_arena_alloc(l->a, sizeof(int) * (size_t)(ncells + 1));
    if (!busy) {
        l->st = DK_ENOMEM;
        return NULL;
    }
    for (dk_box *k = in_flow(t->first); k; k = in_flow(k->next)) {
        int group = is_row_group(k->style);
        if (!group && k->style->display != DK_DISPLAY_TABLE_ROW) continue;
        dk_box *first = group ? in_flow(k->first) : k, *last = first;
        int left = 0;
        for (dk_box *q = first; q && (group || q->style->display == DK_DISPLAY_TABLE_ROW); q = in_flow(q->next))
            last = q, left++;
        if (!group) k = last; /* the run of rows is one group */
        memset(busy, 0, sizeof(int) * (size_t)(ncells + 1));
        for (dk_box *r = left ? first : NULL; r; r = r == last ? NULL : in_flow(r->next), left--) {
            int col = 0;
            for (dk_box *c = in_flow(r->first); c; c = in_flow(c->next)) {
                while (col < ncells && busy[col] > 0) col++;
                int span = c->colspan > 1 ? DK_MIN(c->colspan, 1000) : 1;
                const char *rs = c->node ? dk_node_attr(c->node, "rowspan") : NULL;
                long rspan = rs && *rs ? strtol(rs, NULL, 10) : 1;
                if (rspan == 0 && *rs == '0') rspan = left; /* 0: to the group's end */
                rspan = DK_MAX(1, DK_MIN(rspan, left));
                g->cells[g->ncells++] = (tcell){c, g->nrows, col, span, (int)rspan};
                for (int j = col; j < col + span && j < ncells; j++) busy[j] = (int)rspan;
                col += span;
            }
            g->ncols = DK_MAX(g->ncols, col);
            for (int j = 0; j < ncells; j++)
                if (busy[j] > 0) busy[j]--;
            g->rows[g->nrows++] = r;
        }
    }
    t->tgrid = g;
    return g;
}

typedef struct {
    double w;
    dk_rgba c;
    unsigned char st;
} cedge;

/* One border onto a grid line: the wider wins (ties: the earlier, as tables, rows, cells go). */
static void cmerge(cedge *e, const dk_style *s, int side) {
    if (s->border_style[side] == DK_BORDER_NONE) return;
    double w = s->border_width[side];
    if (w > e->w) *e = (cedge){w, s->border_color[side], s->border_style[side]};
}

/* Resolve collapsed borders into cborder/ccolor/cstyle of the table and its cells. */
static void table_collapse(L *l, dk_box *t, tgrid *g) {
    int R = g->nrows, C = g->ncols > 0 ? g->ncols : 1;
    /* h[r*C + c]: line above row r at column c; v[r*(C+1) + c]: line left of column c */
    cedge *h = dk_arena_alloc(l->a, sizeof(cedge) * (size_t)((R + 1) * C));
    cedge *v = dk_arena_alloc(l->a, sizeof(cedge) * (size_t)(R * (C + 1) + 1));
    if (!h || !v) {
        l->st = DK_ENOMEM;
        return;
    }
    memset(h, 0, sizeof(cedge) * (size_t)((R + 1) * C));
    memset(v, 0, sizeof(cedge) * (size_t)(R * (C + 1) + 1));
    for (int c = 0; c < C; c++) {
        cmerge(&h[c], t->style, DK_TOP);
        cmerge(&h[R * C + c], t->style, DK_BOTTOM);
    }
    for (int r = 0; r < R; r++) {
        cmerge(&v[r * (C + 1)], t->style, DK_LEFT);
        cmerge(&v[r * (C + 1) + C], t->style, DK_RIGHT);
        const dk_box *row = g->rows[r], *grp = row->parent != t ? row->parent : NULL;
        for (int c = 0; c < C; c++) {
            cmerge(&h[r * C + c], row->style, DK_TOP);
            cmerge(&h[(r + 1) * C + c], row->style, DK_BOTTOM);
            if (grp && row == grp->first) cmerge(&h[r * C + c], grp->style, DK_TOP);
            if (grp && row == grp->last) cmerge(&h[(r + 1) * C + c], grp->style, DK_BOTTOM);
        }
    }
    for (int i = 0; i < g->ncells; i++) {
        const tcell *x = &g->cells[i];
        const dk_style *s = x->cell->style;
        int end = x->row + x->rspan; /* the grid line below the cell */
        for (int c = x->col; c < x->col + x->span && c < C; c++) {
            cmerge(&h[x->row * C + c], s, DK_TOP);
            cmerge(&h[end * C + c], s, DK_BOTTOM);
        }
        for (int r = x->row; r < end; r++) {
            cmerge(&v[r * (C + 1) + x->col], s, DK_LEFT);
            cmerge(&v[r * (C + 1) + DK_MIN(x->col + x->span, C)], s, DK_RIGHT);
        }
    }
    for (int i = 0; i < g->ncells; i++) {
        const tcell *x = &g->cells[i];
        dk_box *b = x->cell;
        int end = x->row + x->rspan;
        cedge e[4] = {h[x->row * C + x->col], v[x->row * (C + 1) + DK_MIN(x->col + x->span, C)],
                      h[end * C + x->col], v[x->row * (C + 1) + x->col]};
        for (int c = x->col + 1; c < x->col + x->span && c < C; c++) {
            if (h[x->row * C + c].w > e[0].w) e[0] = h[x->row * C + c];
            if (h[end * C + c].w > e[2].w) e[2] = h[end * C + c];
        }
        for (int r = x->row + 1; r < end; r++) {
            if (v[r * (C + 1) + DK_MIN(x->col + x->span, C)].w > e[1].w) e[1] = v[r * (C + 1) + DK_MIN(x->col + x->span, C)];
            if (v[r * (C + 1) + x->col].w > e[3].w) e[3] = v[r * (C + 1) + x->col];
        }
        b->collapsed = 1;
        for (int k = 0; k < 4; k++) {
            b->cborder[k] = e[k].w;
            b->ccolor[k] = e[k].c;
            b->cstyle[k] = e[k].st;
        }
    }
    /* the table: half its outer lines, the widest along each side (Chromium takes the first
       row's and column's; they agree for the tables slides hold) */
    t->collapsed = 1;
    memset(t->cborder, 0, sizeof t->cborder);
    for (int c = 0; c < C; c++) {
        t->cborder[DK_TOP] = DK_MAX(t->cborder[DK_TOP], h[c].w);
        t->cborder[DK_BOTTOM] = DK_MAX(t->cborder[DK_BOTTOM], h[R * C + c].w);
    }
    for (int r = 0; r < R; r++) {
        t->cborder[DK_LEFT] = DK_MAX(t->cborder[DK_LEFT], v[r * (C + 1)].w);
        t->cborder[DK_RIGHT] = DK_MAX(t->cborder[DK_RIGHT], v[r * (C + 1) + C].w);
    }
    for (int k = 0; k < 4; k++) {
        t->ccolor[k] = t->style->border_color[k];
        t->cstyle[k] = t->style->border_style[k];
    }
}

/*
 * Column min- and max-content widths (border boxes of the cells) into
 * mn/mx (g->ncols each, from the arena); NULL grid on OOM.
 */
static tgrid *table_columns(L *l, dk_box *t, double **mn, double **mx) {
    tgrid *g = table_grid(l, t);
    if (!g) return NULL;
    if (t->style->border_collapse) table_collapse(l, t, g);
    int C = g->ncols > 0 ? g->ncols : 1;
    *mn = dk_arena_alloc(l->a, sizeof(double) * (size_t)C);
    *mx = dk_arena_alloc(l->a, sizeof(double) * (size_t)C);
    if (!*mn || !*mx) {
        l->st = DK_ENOMEM;
        return NULL;
    }
    memset(*mn, 0, sizeof(double) * (size_t)C);
    memset(*mx, 0, sizeof(double) * (size_t)C);
    g->pct = dk_arena_alloc(l->a, sizeof(double) * (size_t)C);
    g->fixed = dk_arena_alloc(l->a, (size_t)C);
    if (!g->pct || !g->fixed) {
        l->st = DK_ENOMEM;
        return NULL;
    }
    memset(g->pct, 0, sizeof(double) * (size_t)C);
    memset(g->fixed, 0, (size_t)C);
    double hsp = t->style->border_collapse ? 0 : t->style->border_spacing[0];
    /* single columns first, then spanning cells spread what they need beyond them */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < g->ncells; i++) {
            tcell *x = &g->cells[i];
            if ((x->span > 1) != pass || x->col >= C) continue;
            double a, b;
            dkl_intrinsic(l, x->cell, &a, &b);
            const dk_style *s = x->cell->style;
            if (s->width.unit == DK_LEN_PX) b = DK_MAX(a, b); /* a fixed width is its max */
            if (x->span == 1 && s->width.unit == DK_LEN_PX) g->fixed[x->col] = 1;
            if (x->span == 1 && s->width.unit == DK_LEN_PCT) g->pct[x->col] = DK_MAX(g->pct[x->col], s->width.v);
            int end = DK_MIN(x->col + x->span, C);
            double have_mn = hsp * (end - x->col - 1), have_mx = have_mn;
            for (int c = x->col; c < end; c++) have_mn += (*mn)[c], have_mx += (*mx)[c];
            for (int c = x->col; c < end; c++) {
                if (a > have_mn) (*mn)[c] += (a - have_mn) / (end - x->col);
                if (b > have_mx) (*mx)[c] += (b - have_mx) / (end - x->col);
            }
        }
    for (int c = 0; c < C; c++) (*mx)[c] = DK_MAX((*mx)[c], (*mn)[c]);
    return g;
}

/* Min- and max-content width of a table's content box (columns plus spacing). */
void dkl_table_intrinsic(L *l, dk_box *t, double *tmn, double *tmx) {
    double *mn, *mx;
    *tmn = *tmx = 0;
    tgrid *g = table_columns(l, t, &mn, &mx);
    if (!g) return;
    int C = g->ncols;
    double hsp = t->style->border_collapse ? 0 : t->style->border_spacing[0];
    for (int c = 0; c < C; c++) *tmn += mn[c], *tmx += mx[c];
    if (C) *tmn += hsp * (C + 1), *tmx += hsp * (C + 1);
}

/* The width of column c in sizing-guess k (CSS Tables 3 §3.9.3) for a width `w` to share. */
static double guess(const tgrid *g, const double *mn, const double *mx, int c, int k, double w) {
    if (k == 0) return mn[c];
    if (g->pct[c] > 0) return DK_MAX(mn[c], g->pct[c] * w / 100); /* min-content-percentage */
    if (k == 1) return mn[c];
    if (k == 2) return g->fixed[c] ? mx[c] : mn[c]; /* min-content-specified */
    return mx[c];                                    /* max-content */
}

/*
 * Column widths for `w` px of columns (CSS Tables 3 §3.9.3, auto layout, as
 * Chromium does it): the four sizing guesses (min-content; percentage
 * columns at their share; px-width columns at their width; everything at
 * max-content); a width between two guesses takes the linear combination of
 * the two. Beyond max-content the excess goes to the auto columns in
 * proportion to their max-content, else to the px-width ones, else to the
 * percentage ones in proportion to their percentages.
 */
static void column_widths(const tgrid *g, int C, const double *mn, const double *mx, double w,
                          double *colw) {
    double sum[4] = {0};
    for (int k = 0; k < 4; k++)
        for (int c = 0; c < C; c++) sum[k] += guess(g, mn, mx, c, k, w);
    if (w <= sum[0]) {
        for (int c = 0; c < C; c++) colw[c] = mn[c];
        return;
    }
    for (int k = 1; k < 4; k++) {
        if (w > sum[k]) continue;
        double f = sum[k] > sum[k - 1] ? (w - sum[k - 1]) / (sum[k] - sum[k - 1]) : 1;
        for (int c = 0; c < C; c++)
            colw[c] = (1 - f) * guess(g, mn, mx, c, k - 1, w) + f * guess(g, mn, mx, c, k, w);
        return;
    }
    /* wider than max-content: who takes the excess, and in what proportion */
    double excess = w - sum[3], wsum[3] = {0};
    for (int c = 0; c < C; c++) {
        int kind = g->pct[c] > 0 ? 2 : g->fixed[c] ? 1 : 0;
        wsum[kind] += kind == 2 ? g->pct[c] : mx[c];
    }
    int take = wsum[0] > 0 ? 0 : wsum[1] > 0 ? 1 : wsum[2] > 0 ? 2 : -1;
    for (int c = 0; c < C; c++) {
        int kind = g->pct[c] > 0 ? 2 : g->fixed[c] ? 1 : 0;
        colw[c] = guess(g, mn, mx, c, 3, w);
        if (take < 0) colw[c] += excess / C;
        else if (kind == take) colw[c] += excess * (kind == 2 ? g->pct[c] : mx[c]) / wsum[take];
    }
}

/*
 * Lay out the rows and cells of table `t` in content width cw from content
 * top-left (cx, cy). Returns the content height.
 */
double dkl_table(L *l, dk_box *t, double cx, double cy, double cw) {
    double *mn, *mx;
    tgrid *g = table_columns(l, t, &mn, &mx);
    if (!g) return 0;
    const dk_style *s = t->style;
    int C = g->ncols;
    double hsp = s->border_collapse ? 0 : s->border_spacing[0];
    double vsp = s->border_collapse ? 0 : s->border_spacing[1];
    double *colw = dk_arena_alloc(l->a, sizeof(double) * (size_t)(C + 1));
    double *colx = dk_arena_alloc(l->a, sizeof(double) * (size_t)(C + 1));
    if (!colw || !colx) {
        l->st = DK_ENOMEM;
        return 0;
    }
    column_widths(g, C, mn, mx, cw - (C ? hsp * (C + 1) : 0), colw);
    colx[0] = hsp;
    for (int c = 0; c < C; c++) colx[c + 1] = colx[c] + colw[c] + hsp;
    /* captions and stray boxes go above the rows, as blocks; the margins between them
       collapse as in the anonymous cell CSS would wrap them in (a flow root) */
    double y = 0;
    margin pending = {0, 0};
    static_children(t, cx, cy);
    for (dk_box *k = in_flow(t->first); k; k = in_flow(k->next)) {
        if (is_row_group(k->style) || k->style->display == DK_DISPLAY_TABLE_ROW) continue;
        edges(k, cw);
        double pos = y + mval(mcombine(pending, k->margin[0]));
        dkl_box(l, k, cx, cy + pos, cw, -1, -1);
        y = pos + k->h;
        pending = mcombine((margin){0, 0}, k->margin[2]);
    }
    y += mval(pending);
    y += g->nrows ? vsp : 0;
    double *rowh = dk_arena_alloc(l->a, sizeof(double) * (size_t)(g->nrows + 1));
    if (!rowh) {
        l->st = DK_ENOMEM;
        return 0;
    }
    /* cells at their columns' widths (at the table's top: they move down below) */
    for (int r = 0; r < g->nrows; r++) {
        edges(g->rows[r], cw);
        const dk_style *rs = g->rows[r]->style;
        rowh[r] = rs->height.unit == DK_LEN_PX ? rs->height.v : 0;
    }
    for (int i = 0; i < g->ncells; i++) {
        tcell *x = &g->cells[i];
        int end = DK_MIN(x->col + x->span, C);
        double w = colx[end] - colx[x->col] - hsp;
        edges(x->cell, w);
        dkl_box(l, x->cell, cx + colx[x->col], cy, w, -1, DK_MAX(w - hframe(x->cell), 0));
        if (x->rspan == 1) rowh[x->row] = DK_MAX(rowh[x->row], x->cell->h);
    }
    /* cells spanning rows, shortest spans first: what they need beyond their rows goes to
       the rows in proportion to their heights, or all to the last when they are empty */
    for (int span = 2, more = 1; more; span++) {
        more = 0;
        for (int i = 0; i < g->ncells; i++) {
            tcell *x = &g->cells[i];
            if (x->rspan > span) more = 1;
            if (x->rspan != span) continue;
            double have = vsp * (span - 1), sum = 0;
            for (int r = x->row; r < x->row + span; r++) sum += rowh[r];
            double extra = x->cell->h - have - sum;
            if (extra <= 0) continue;
            for (int r = x->row; r < x->row + span; r++)
                rowh[r] += sum > 0 ? extra * rowh[r] / sum : r == x->row + span - 1 ? extra : 0;
        }
    }
    double *rowy = dk_arena_alloc(l->a, sizeof(double) * (size_t)(g->nrows + 1));
    if (!rowy) {
        l->st = DK_ENOMEM;
        return 0;
    }
    for (int r = 0; r < g->nrows; r++) {
        dk_box *row = g->rows[r];
        rowy[r] = y;
        row->x = cx + hsp;
        row->y = cy + y;
        row->w = DK_MAX(cw - 2 * hsp, 0);
        row->h = rowh[r];
        y += rowh[r] + vsp;
    }
    for (int i = 0; i < g->ncells; i++) {
        tcell *x = &g->cells[i];
        dk_box *c = x->cell;
        double h = vsp * (x->rspan - 1);
        for (int r = x->row; r < x->row + x->rspan; r++) h += rowh[r];
        translate(c, 0, rowy[x->row]);
        int va = c->style->vertical_align;
        double f = va == DK_VALIGN_MIDDLE ? 0.5 : va == DK_VALIGN_BOTTOM ? 1 : 0;
        double dy = (h - c->h) * f;
        if (dy != 0)
            for (dk_box *k = c->first; k; k = k->next) translate(k, 0, dy);
        c->h = h;
    }
    /* row groups cover their rows */
    for (dk_box *k = in_flow(t->first); k; k = in_flow(k->next)) {
        if (!is_row_group(k->style)) continue;
        edges(k, cw);
        k->x = cx + hsp;
        k->w = DK_MAX(cw - 2 * hsp, 0);
        k->y = k->first ? k->first->y : cy + y;
        k->h = k->last ? k->last->y + k->last->h - k->y : 0;
    }
    return y;
}


