/* Grid layout (CSS Grid §11, the cases slides use). */
#include "layout-internal.h"

typedef struct {
    dk_box *box;
    int col, span, row, rspan;
    double mn, mx; /* intrinsic contributions */
} gitem;

static double track_fixed(dk_len t, double avail, int *fixed) {
    *fixed = t.unit == DK_LEN_PX || (t.unit == DK_LEN_PCT && avail >= 0);
    return *fixed ? len(t, avail) : 0;
}

/*
 * Size grid columns (CSS Grid §11.4-11.7, single-span items, no baseline
 * alignment). `avail` is the grid's content width. Writes n sizes.
 * Exposed for unit tests.
 */
void dk_grid_size_tracks(const dk_track *tracks, int n, const double *item_min,
                         const double *item_max, double gap, double avail, double *size) {
    double base[DK_MAX_TRACKS], limit[DK_MAX_TRACKS], flex[DK_MAX_TRACKS];
    double used = gap * (n - 1);
    for (int i = 0; i < n; i++) {
        const dk_track *t = &tracks[i];
        int fixed;
        flex[i] = t->max.unit == DK_LEN_FR ? t->max.v : 0;
        /* min sizing function */
        double b = track_fixed(t->min, avail, &fixed);
        if (!fixed) b = t->min.unit == DK_LEN_MAX_CONTENT ? item_max[i] : item_min[i];
        /* max sizing function */
        double lim = track_fixed(t->max, avail, &fixed);
        if (!fixed) lim = t->max.unit == DK_LEN_MIN_CONTENT ? item_min[i] : item_max[i];
        if (flex[i] > 0) lim = b;
        base[i] = b;
        limit[i] = DK_MAX(lim, b);
    }
    /* maximize tracks: share free space up to the growth limits */
    double sum = used;
    for (int i = 0; i < n; i++) sum += base[i];
    double free_space = avail - sum;
    for (int iter = 0; iter < n && free_space > 0.001; iter++) {
        int growing = 0;
        for (int i = 0; i < n; i++) growing += flex[i] == 0 && base[i] < limit[i];
        if (!growing) break;
        double share = free_space / growing;
        for (int i = 0; i < n; i++) {
            if (flex[i] > 0 || base[i] >= limit[i]) continue;
            double g = DK_MIN(share, limit[i] - base[i]);
            base[i] += g;
            free_space -= g;
        }
    }
    /* flexible tracks: find the size of 1fr (§11.7.1), freezing tracks whose base is larger */
    double nonflex = used, flexsum = 0;
    int frozen[DK_MAX_TRACKS] = {0};
    for (int i = 0; i < n; i++) {
        if (flex[i] > 0) flexsum += flex[i];
        else nonflex += base[i];
    }
    if (flexsum > 0) {
        double fr = 0;
        for (int iter = 0; iter <= n; iter++) {
            double left = avail - nonflex, fs = 0;
            for (int i = 0; i < n; i++)
                if (flex[i] > 0 && frozen[i]) left -= base[i];
                else if (flex[i] > 0) fs += flex[i];
            fr = fs > 0 ? left / DK_MAX(fs, 1.0) : 0;
            if (fs > 0 && fs < 1) fr = left; /* a sum under 1 takes only its share */
            int again = 0;
            for (int i = 0; i < n; i++)
                if (flex[i] > 0 && !frozen[i] && flex[i] * fr < base[i]) frozen[i] = again = 1;
            if (!again) break;
        }
        for (int i = 0; i < n; i++)
            if (flex[i] > 0 && !frozen[i]) base[i] = DK_MAX(base[i], flex[i] * fr);
    } else {
        /* stretch auto tracks into what is left (justify-content: normal) */
        sum = used;
        int nauto = 0;
        for (int i = 0; i < n; i++) {
            sum += base[i];
            nauto += tracks[i].max.unit == DK_LEN_AUTO;
        }
        if (avail - sum > 0 && nauto)
            for (int i = 0; i < n; i++)
                if (tracks[i].max.unit == DK_LEN_AUTO) base[i] += (avail - sum) / nauto;
    }
    for (int i = 0; i < n; i++) size[i] = base[i];
}

void dkl_grid(L *l, dk_box *b, double cx, double cy, double cw, double ch) {
    const dk_style *s = b->style;
    int nc = s->ngrid_cols > 0 ? s->ngrid_cols : 1;
    if (nc > DK_MAX_TRACKS) nc = DK_MAX_TRACKS;
    dk_track cols[DK_MAX_TRACKS];
    for (int i = 0; i < nc; i++)
        cols[i] = s->ngrid_cols > 0 ? s->grid_cols[i]
                                    : (dk_track){{0, DK_LEN_AUTO}, {0, DK_LEN_AUTO}};
    int n = 0;
    static_children(b, cx, cy);
    for (dk_box *k = in_flow(b->first); k; k = in_flow(k->next)) n++;
    gitem *items = dk_arena_alloc(l->a, sizeof(gitem) * (size_t)(n ? n : 1));
    if (!items) {
        l->st = DK_ENOMEM;
        return;
    }
    /* auto placement, row by row (§8.5, "sparse") */
    int row = 0, col = 0, i = 0, nrows = 0;
    for (dk_box *k = in_flow(b->first); k; k = in_flow(k->next), i++) {
        const dk_style *ks = k->style;
        int span = ks->grid_col_span > 0 ? DK_MIN(ks->grid_col_span, nc) : 1;
        if (ks->grid_col_start > 0) {
            int want = DK_MIN(ks->grid_col_start - 1, nc - span);
            if (want < col) row++;
            col = want;
        } else if (col + span > nc) {
            row++;
            col = 0;
        }
        items[i] = (gitem){k, col, span, row, 1, 0, 0};
        col += span;
        if (col >= nc) {
            col = 0;
            row++;
        }
        nrows = DK_MAX(nrows, items[i].row + 1);
    }
    double mn[DK_MAX_TRACKS] = {0}, mx[DK_MAX_TRACKS] = {0}, size[DK_MAX_TRACKS];
    int intrinsic_cols = 0;
    for (int c = 0; c < nc; c++)
        intrinsic_cols |= !(cols[c].min.unit == DK_LEN_PX || cols[c].min.unit == DK_LEN_PCT) ||
                          !(cols[c].max.unit == DK_LEN_PX || cols[c].max.unit == DK_LEN_PCT);
    for (i = 0; i < n && intrinsic_cols; i++) {
        if (items[i].span != 1) continue;
        dkl_intrinsic(l, items[i].box, &items[i].mn, &items[i].mx);
        mn[items[i].col] = DK_MAX(mn[items[i].col], items[i].mn);
        mx[items[i].col] = DK_MAX(mx[items[i].col], items[i].mx);
    }
    dk_grid_size_tracks(cols, nc, mn, mx, s->column_gap, cw, size);
    double colx[DK_MAX_TRACKS + 1];
    colx[0] = 0;
    for (int c = 0; c < nc; c++) colx[c + 1] = colx[c] + size[c] + s->column_gap;

    /* lay items out in their areas' widths, measure rows */
    double *rowh = dk_arena_alloc(l->a, sizeof(double) * (size_t)(nrows + 1));
    if (!rowh) {
        l->st = DK_ENOMEM;
        return;
    }
    for (i = 0; i < n; i++) {
        gitem *g = &items[i];
        dk_box *k = g->box;
        double aw = colx[g->col + g->span] - colx[g->col] - s->column_gap;
        int js = align_of(k->style->justify_self, s->justify_items);
        if (k->kind == DK_BOX_IMAGE) {
            dkl_image(l, k, 0, 0, aw, -1);
        } else {
            edges(k, aw);
            double w = -1;
            if (is_auto(k->style->width) && js != DK_AL_NORMAL && js != DK_AL_STRETCH)
                w = dkl_fit_content(l, k, aw) - k->margin[1] - k->margin[3] - hframe(k);
            dkl_box(l, k, 0, 0, aw, -1, w);
        }
        double mh = k->h + k->margin[0] + k->margin[2];
        if (g->row < nrows) rowh[g->row] = DK_MAX(rowh[g->row], mh);
    }
    for (int r = 0; r < nrows && r < s->ngrid_rows; r++) {
        int fixed;
        double v = track_fixed(s->grid_rows[r].max, ch, &fixed);
        if (fixed) rowh[r] = v;
    }
    /* place */
    double y = 0;
    double *rowy = dk_arena_alloc(l->a, sizeof(double) * (size_t)(nrows + 1));
    if (!rowy) {
        l->st = DK_ENOMEM;
        return;
    }
    for (int r = 0; r < nrows; r++) {
        rowy[r] = y;
        y += rowh[r] + (r + 1 < nrows ? s->row_gap : 0);
    }
    for (i = 0; i < n; i++) {
        gitem *g = &items[i];
        dk_box *k = g->box;
        double ax = colx[g->col], aw = colx[g->col + g->span] - colx[g->col] - s->column_gap;
        double ay = rowy[g->row], ah = rowh[g->row];
        int as = align_of(k->style->align_self, s->align_items);
        int js = align_of(k->style->justify_self, s->justify_items);
        int replaced = k->kind == DK_BOX_IMAGE;
        if ((as == DK_AL_NORMAL && !replaced) || as == DK_AL_STRETCH) {
            if (is_auto(k->style->height) && !replaced)
                k->h = DK_MAX(k->h, ah - k->margin[0] - k->margin[2]);
            as = DK_AL_START;
        }
        double mw = k->w + k->margin[1] + k->margin[3], mh = k->h + k->margin[0] + k->margin[2];
        double dx = 0, dy = 0;
        if (as == DK_AL_CENTER) dy = (ah - mh) / 2;
        else if (as == DK_AL_END) dy = ah - mh;
        if (js == DK_AL_CENTER) dx = (aw - mw) / 2;
        else if (js == DK_AL_END) dx = aw - mw;
        translate(k, cx + ax + dx + k->margin[3] - k->x, cy + ay + dy + k->margin[0] - k->y);
    }
    b->h = y; /* content height, the caller adds the frame */
}

