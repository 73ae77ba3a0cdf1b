/* Table layout (CSS 2.1 §17, automatic layout). */
#include "layout-internal.h"

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
 * Rows are as tall as their tallest cell; cells stretch to the row and
 * move their content for vertical-align middle / bottom.
 *
 * Collapsing borders (§17.6.2): every grid line gets the widest border of
 * the table, rows, row groups and cells along it; a cell's used border is
 * half of each of its lines, the table's half of its outer lines, as
 * Chromium reports them. Not supported: rowspan (cells span one row),
 * captions (laid out as blocks above the rows), fixed table layout,
 * column elements, border conflict rules beyond "widest wins".
 */

typedef struct {
    dk_box *cell;
    int row, col, span;
} tcell;

typedef struct dk_tgrid {
    int nrows, ncols, ncells;
    dk_box **rows;
    tcell *cells;
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
    for (dk_box *k = in_flow(t->first); k; k = in_flow(k->next)) {
        dk_box *r = is_row_group(k->style) ? in_flow(k->first) : k->style->display == DK_DISPLAY_TABLE_ROW ? k : NULL;
        for (; r; r = r == k ? NULL : in_flow(r->next)) {
            int col = 0;
            for (dk_box *c = in_flow(r->first); c; c = in_flow(c->next)) {
                int span = c->colspan > 1 ? DK_MIN(c->colspan, 1000) : 1;
                g->cells[g->ncells++] = (tcell){c, g->nrows, col, span};
                col += span;
            }
            g->ncols = DK_MAX(g->ncols, col);
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
        for (int c = x->col; c < x->col + x->span && c < C; c++) {
            cmerge(&h[x->row * C + c], s, DK_TOP);
            cmerge(&h[(x->row + 1) * C + c], s, DK_BOTTOM);
        }
        cmerge(&v[x->row * (C + 1) + x->col], s, DK_LEFT);
        cmerge(&v[x->row * (C + 1) + DK_MIN(x->col + x->span, C)], s, DK_RIGHT);
    }
    for (int i = 0; i < g->ncells; i++) {
        const tcell *x = &g->cells[i];
        dk_box *b = x->cell;
        cedge e[4] = {h[x->row * C + x->col], v[x->row * (C + 1) + DK_MIN(x->col + x->span, C)],
                      h[(x->row + 1) * C + x->col], v[x->row * (C + 1) + x->col]};
        for (int c = x->col + 1; c < x->col + x->span && c < C; c++) {
            if (h[x->row * C + c].w > e[0].w) e[0] = h[x->row * C + c];
            if (h[(x->row + 1) * C + c].w > e[2].w) e[2] = h[(x->row + 1) * C + c];
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
    /* column widths for the columns' share of cw */
    double avail = cw - (C ? hsp * (C + 1) : 0), smn = 0, smx = 0;
    for (int c = 0; c < C; c++) smn += mn[c], smx += mx[c];
    for (int c = 0; c < C; c++) {
        if (avail >= smx) colw[c] = smx > 0 ? mx[c] + (avail - smx) * mx[c] / smx : avail / C;
        else if (avail > smn && smx > smn) colw[c] = mn[c] + (mx[c] - mn[c]) * (avail - smn) / (smx - smn);
        else colw[c] = mn[c];
    }
    colx[0] = hsp;
    for (int c = 0; c < C; c++) colx[c + 1] = colx[c] + colw[c] + hsp;
    /* captions and stray boxes go above the rows, as blocks */
    double y = 0;
    static_children(t, cx, cy);
    for (dk_box *k = in_flow(t->first); k; k = in_flow(k->next)) {
        if (is_row_group(k->style) || k->style->display == DK_DISPLAY_TABLE_ROW) continue;
        dkl_box(l, k, cx, cy + y, cw, -1, -1);
        y += k->h + k->margin[0] + k->margin[2];
    }
    y += g->nrows ? vsp : 0;
    int i = 0;
    for (int r = 0; r < g->nrows; r++) {
        dk_box *row = g->rows[r];
        edges(row, cw);
        int first = i;
        double rowh = 0;
        if (row->style->height.unit == DK_LEN_PX) rowh = row->style->height.v;
        for (; i < g->ncells && g->cells[i].row == r; i++) {
            tcell *x = &g->cells[i];
            int end = DK_MIN(x->col + x->span, C);
            double w = colx[end] - colx[x->col] - hsp;
            edges(x->cell, w);
            dkl_box(l, x->cell, cx + colx[x->col], cy + y, w, -1, DK_MAX(w - hframe(x->cell), 0));
            rowh = DK_MAX(rowh, x->cell->h);
        }
        for (int j = first; j < i; j++) {
            dk_box *c = g->cells[j].cell;
            int va = c->style->vertical_align;
            double f = va == DK_VALIGN_MIDDLE ? 0.5 : va == DK_VALIGN_BOTTOM ? 1 : 0;
            double dy = (rowh - c->h) * f;
            if (dy != 0)
                for (dk_box *k = c->first; k; k = k->next) translate(k, 0, dy);
            c->h = rowh;
        }
        row->x = cx + hsp;
        row->y = cy + y;
        row->w = DK_MAX(cw - 2 * hsp, 0);
        row->h = rowh;
        y += rowh + vsp;
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


