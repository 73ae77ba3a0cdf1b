/* Grid layout (CSS Grid §8-§11, the cases slides use). */
#include "layout-internal.h"

#include <stdlib.h>

/*
 * Grid containers (CSS Grid 1). Placement (§8.5) is row-major "sparse"
 * auto-placement over an occupancy map: items with a definite row and
 * column first, then the rest in order, with definite lines and spans on
 * either axis; rows grow implicitly (grid-auto-rows: auto), columns do not
 * (a line past the explicit grid is clamped into it). Tracks are sized by
 * §11.4-11.7 for both axes: fixed, percentage, min-/max-content, auto,
 * minmax() and fr, the columns against the content width, the rows against
 * a definite content height (else fr rows share out their content, §12.7.1
 * with indefinite free space). Items spanning several tracks spread what
 * they need beyond those tracks evenly over the intrinsic ones they cross
 * (a simplification of §11.5.3). Items align in their areas by
 * justify-/align-self (auto: the container's -items): stretch (normal for
 * non-replaced boxes), start, center, end; auto margins centre or push.
 * The tracks align in the content box by justify-/align-content (§10.5).
 * Not supported: named lines and areas, grid-auto-flow: column / dense,
 * grid-auto-rows/-columns, baseline alignment.
 */

typedef struct {
    dk_box *box;
    int col, span, row, rspan;
} gitem;

static double track_fixed(dk_len t, double avail, int *fixed) {
    *fixed = t.unit == DK_LEN_PX || (t.unit == DK_LEN_PCT && avail >= 0);
    return *fixed ? len(t, avail) : 0;
}

/*
 * Track sizing (§11.4-11.7) with scratch space for 3n doubles and n ints.
 * `avail` < 0 is an indefinite size: tracks take their content
 * (maximized to their growth limits) and fr tracks follow §12.7.1's
 * indefinite case, the largest of base / flex. `stretch`: the content
 * alignment is normal or stretch, which grows auto tracks into what is left.
 */
static void size_tracks(const dk_track *tracks, int n, const double *item_min,
                        const double *item_max, double gap, double avail, int stretch,
                        double *size, double *scratch, int *frozen) {
    double *base = scratch, *limit = scratch + n, *flex = scratch + 2 * n;
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
        frozen[i] = 0;
    }
    /* maximize tracks: share free space up to the growth limits (all of it when indefinite) */
    if (avail < 0) {
        for (int i = 0; i < n; i++)
            if (flex[i] == 0) base[i] = limit[i];
    }
    double sum = used;
    for (int i = 0; i < n; i++) sum += base[i];
    double free_space = avail - sum;
    for (int iter = 0; iter < n && avail >= 0 && free_space > 0.001; iter++) {
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
    for (int i = 0; i < n; i++) {
        if (flex[i] > 0) flexsum += flex[i];
        else nonflex += base[i];
    }
    if (flexsum > 0 && avail < 0) {
        /* indefinite: 1fr is the largest base (or max-content) per flex factor (§12.7.1) */
        double fr = 0;
        for (int i = 0; i < n; i++)
            if (flex[i] > 0) fr = DK_MAX(fr, DK_MAX(base[i], item_max[i]) / DK_MAX(flex[i], 1.0));
        for (int i = 0; i < n; i++)
            if (flex[i] > 0) base[i] = DK_MAX(base[i], flex[i] * fr);
    } else if (flexsum > 0) {
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
    } else if (avail >= 0 && stretch) {
        /* stretch auto tracks into what is left (align-/justify-content: normal, §11.8) */
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

/*
 * Size grid tracks (CSS Grid §11.4-11.7, single-span items, no baseline
 * alignment). `avail` is the grid's content size (< 0: indefinite).
 * Writes n sizes (at most DK_MAX_TRACKS). Exposed for unit tests.
 */
void dk_grid_size_tracks(const dk_track *tracks, int n, const double *item_min,
                         const double *item_max, double gap, double avail, double *size) {
    double scratch[3 * DK_MAX_TRACKS];
    int frozen[DK_MAX_TRACKS];
    size_tracks(tracks, DK_MIN(n, DK_MAX_TRACKS), item_min, item_max, gap, avail, 1, size,
                scratch, frozen);
}

/* Is the track sized by its content (an intrinsic min or max sizing function)? */
static int intrinsic_track(const dk_track *t) {
    return !(t->min.unit == DK_LEN_PX || t->min.unit == DK_LEN_PCT) ||
           !(t->max.unit == DK_LEN_PX || t->max.unit == DK_LEN_PCT || t->max.unit == DK_LEN_FR);
}

/*
 * The contributions of the items into mn/mx of n tracks (by axis): single
 * spans first, then each spanning item spreads what it needs beyond its
 * tracks (and the gaps between them) evenly over the intrinsic non-flexible
 * tracks it crosses (§11.5.3-4, simplified); an item crossing a flexible
 * track adds nothing (§11.5.3: it is left to §11.7).
 */
static void contribute(const dk_track *t, double *mn, double *mx, int start, int span,
                       double imn, double imx, double gap, int pass) {
    if ((span > 1) != pass) return;
    if (span == 1) {
        mn[start] = DK_MAX(mn[start], imn);
        mx[start] = DK_MAX(mx[start], imx);
        return;
    }
    int nin = 0;
    double have_mn = gap * (span - 1), have_mx = have_mn;
    for (int c = start; c < start + span; c++) {
        if (t[c].max.unit == DK_LEN_FR) return;
        nin += intrinsic_track(&t[c]);
        int fixed;
        double f = track_fixed(t[c].min, -1, &fixed);
        have_mn += DK_MAX(mn[c], f);
        have_mx += DK_MAX(mx[c], f);
    }
    if (!nin) return;
    for (int c = start; c < start + span; c++) {
        if (!intrinsic_track(&t[c])) continue;
        if (imn > have_mn) mn[c] += (imn - have_mn) / nin;
        if (imx > have_mx) mx[c] += (imx - have_mx) / nin;
    }
}

/* Does the area (row r, col c, rs x cs) overlap an occupied cell? */
static int occupied(const unsigned char *occ, int nc, int nr, int r, int c, int rs, int cs) {
    for (int i = r; i < r + rs && i < nr; i++)
        for (int j = c; j < c + cs; j++)
            if (occ[i * nc + j]) return 1;
    return 0;
}

/*
 * Place the items (§8.5, row-major, sparse): a definite row and column
 * as given; then, in order, a definite row with the first free column, a
 * definite column from the cursor on, or the next free area after the
 * cursor. Returns the number of rows (0 on OOM).
 */
static int place_items(L *l, const dk_style *s, gitem *items, int n, int nc) {
    int maxrows = DK_MAX(s->ngrid_rows, 1) + n;
    for (int i = 0; i < n; i++) {
        const dk_style *ks = item_style(items[i].box);
        maxrows += DK_MAX(ks->grid_row_span, 1) + DK_MAX(ks->grid_row_start - 1, 0);
    }
    unsigned char *occ = dk_arena_alloc(l->a, (size_t)maxrows * (size_t)nc);
    if (!occ) {
        l->st = DK_ENOMEM;
        return 0;
    }
    memset(occ, 0, (size_t)maxrows * (size_t)nc);
    int nrows = DK_MAX(s->ngrid_rows, 1);
    for (int pass = 0; pass < 3; pass++) {
        int crow = 0, ccol = 0; /* the auto-placement cursor */
        for (int i = 0; i < n; i++) {
            gitem *g = &items[i];
            const dk_style *ks = item_style(g->box);
            int dr = ks->grid_row_start > 0, dc = ks->grid_col_start > 0;
            /* pass 0: both definite; 1: row definite; 2: the rest */
            if (pass != (dr && dc ? 0 : dr ? 1 : 2)) continue;
            g->span = ks->grid_col_span > 0 ? DK_MIN(ks->grid_col_span, nc) : 1;
            g->rspan = ks->grid_row_span > 0 ? ks->grid_row_span : 1;
            g->col = dc ? DK_MIN(ks->grid_col_start - 1, nc - g->span) : 0;
            if (dr) {
                g->row = ks->grid_row_start - 1;
                if (!dc)
                    while (g->col + g->span < nc && occupied(occ, nc, maxrows, g->row, g->col, g->rspan, g->span))
                        g->col++;
            } else if (dc) {
                if (g->col < ccol) crow++;
                g->row = crow;
                while (occupied(occ, nc, maxrows, g->row, g->col, g->rspan, g->span)) g->row++;
            } else {
                int r = crow, c = ccol;
                for (;; c++) {
                    if (c + g->span > nc) c = 0, r++;
                    if (!occupied(occ, nc, maxrows, r, c, g->rspan, g->span)) break;
                }
                g->row = r, g->col = c;
            }
            if (pass == 2) crow = g->row, ccol = g->col + g->span;
            for (int r = g->row; r < g->row + g->rspan && r < maxrows; r++)
                for (int c = g->col; c < g->col + g->span; c++) occ[r * nc + c] = 1;
            nrows = DK_MAX(nrows, g->row + g->rspan);
        }
    }
    return nrows;
}

/*
 * Min- and max-content widths of grid `b`'s content box (§12.3-12.7 under a
 * min-/max-content constraint): the items placed as in layout, each column
 * at its base size for min-content (flex tracks take no free space), at its
 * growth limit for max-content (an fr column as wide as §12.7.1's
 * indefinite 1fr times its factor); plus the gaps.
 */
/*
 * The columns of grid `b` (its template, else one auto column) and its
 * in-flow items placed on them. Returns the number of rows; 0 when there
 * are no items or memory ran out (then l->st says so).
 */
static int grid_items(L *l, dk_box *b, dk_track *cols, int *nc, gitem **items, int *n) {
    const dk_style *s = b->style;
    const dk_track autotrack = {{0, DK_LEN_AUTO}, {0, DK_LEN_AUTO}};
    *nc = DK_MIN(s->ngrid_cols > 0 ? s->ngrid_cols : 1, DK_MAX_TRACKS);
    for (int i = 0; i < *nc; i++) cols[i] = s->ngrid_cols > 0 ? s->grid_cols[i] : autotrack;
    *n = 0;
    for (dk_box *k = in_flow(b->first); k; k = in_flow(k->next)) (*n)++;
    *items = dk_arena_alloc(l->a, sizeof(gitem) * (size_t)(*n ? *n : 1));
    if (!*items) {
        l->st = DK_ENOMEM;
        return 0;
    }
    int i = 0;
    for (dk_box *k = in_flow(b->first); k; k = in_flow(k->next), i++) (*items)[i] = (gitem){k, 0, 1, 0, 1};
    return place_items(l, s, *items, *n, *nc);
}

/* The items' min-/max-content contributions to the columns: single spans first (§12.5). */
static void column_contributions(L *l, const dk_style *s, const dk_track *cols, const gitem *items, int n,
                                 double *mn, double *mx) {
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n; i++) {
            double a, z;
            if ((items[i].span > 1) != pass) continue;
            dkl_intrinsic(l, items[i].box, &a, &z);
            contribute(cols, mn, mx, items[i].col, items[i].span, a, z, s->column_gap, pass);
        }
}

void dkl_grid_intrinsic(L *l, dk_box *b, double *cmin, double *cmax) {
    dk_style gs;
    const dk_style *s = resolve_gaps(&gs, b->style, -1, -1);
    dk_track cols[DK_MAX_TRACKS];
    gitem *items;
    int nc, n;
    *cmin = *cmax = 0;
    if (!grid_items(l, b, cols, &nc, &items, &n)) return;
    double mn[DK_MAX_TRACKS] = {0}, mx[DK_MAX_TRACKS] = {0}, size[DK_MAX_TRACKS], scratch[3 * DK_MAX_TRACKS];
    int frozen[DK_MAX_TRACKS];
    column_contributions(l, s, cols, items, n, mn, mx);
    /* min-content: every track at its base size (no free space to share) */
    for (int c = 0; c < nc; c++) {
        int fixed;
        double v = track_fixed(cols[c].min, -1, &fixed);
        if (!fixed) v = cols[c].min.unit == DK_LEN_MAX_CONTENT ? mx[c] : mn[c];
        double m = track_fixed(cols[c].max, -1, &fixed);
        if (fixed && cols[c].min.unit != DK_LEN_PX) v = DK_MIN(v, m); /* auto minimums stop at a fixed max */
        *cmin += v;
    }
    size_tracks(cols, nc, mn, mx, s->column_gap, -1, 1, size, scratch, frozen);
    for (int c = 0; c < nc; c++) *cmax += size[c];
    *cmin += s->column_gap * (nc - 1);
    *cmax += s->column_gap * (nc - 1);
    *cmax = DK_MAX(*cmax, *cmin);
}

/*
 * Where justify-/align-content `al` puts the tracks of one axis (CSS Grid
 * §10.5, Box Alignment §5.1) given the free space left by `n` tracks and
 * their gaps: the offset of the first track and what each gap gains.
 * Negative free space: the distributed values fall back to start
 * (space-between) or a safe center (space-around, space-evenly), while
 * center and end overflow as Chromium does (unsafe). normal and stretch
 * already grew the auto tracks.
 */
static void align_tracks(int al, double free_space, int n, double *offset, double *extra) {
    int distributed = al == DK_AL_SPACE_BETWEEN || al == DK_AL_SPACE_AROUND || al == DK_AL_SPACE_EVENLY;
    *offset = *extra = 0;
    if (free_space <= 0 && distributed) return;
    switch (al) {
    case DK_AL_CENTER: *offset = free_space / 2; break;
    case DK_AL_END: *offset = free_space; break;
    case DK_AL_SPACE_BETWEEN: *extra = n > 1 ? free_space / (n - 1) : 0; break;
    case DK_AL_SPACE_AROUND: *extra = free_space / n, *offset = *extra / 2; break;
    case DK_AL_SPACE_EVENLY: *extra = free_space / (n + 1), *offset = *extra; break;
    }
}

/* Does content alignment `al` stretch auto tracks (§11.8)? */
static int stretches(int al) { return al == DK_AL_NORMAL || al == DK_AL_STRETCH; }

/* Is every track flexible with an automatic minimum (1fr: min and max both fr; minmax(auto, 2fr))? */
static int flexible_auto(const dk_track *t, int n) {
    for (int i = 0; i < n; i++)
        if (t[i].max.unit != DK_LEN_FR || (t[i].min.unit != DK_LEN_FR && t[i].min.unit != DK_LEN_AUTO &&
                                           t[i].min.unit != DK_LEN_MIN_CONTENT))
            return 0;
    return 1;
}

/* Is the item sized to fit its content in its area's width (not stretched)? */
static int fits_content(const dk_box *k, const dk_style *s) {
    const dk_style *ks = item_style(k);
    int js = align_of(ks->justify_self, s->justify_items);
    int automargin = is_auto(ks->margin[DK_LEFT]) || is_auto(ks->margin[DK_RIGHT]);
    return k->kind != DK_BOX_IMAGE && is_auto(ks->width) &&
           ((js != DK_AL_NORMAL && js != DK_AL_STRETCH) || automargin);
}

/*
 * Track positions from sizes aligned by `al` in `avail` (< 0: indefinite,
 * no alignment): pos[i] is where track i starts, pos[n] lies one gap past
 * the last. Returns the gap as widened by the alignment.
 */
static double track_positions(const double *size, int n, double gap, double avail, int al,
                              double *pos) {
    double used = gap * (n - 1), offset = 0, extra = 0;
    for (int i = 0; i < n; i++) used += size[i];
    if (avail >= 0) align_tracks(al, avail - used, n, &offset, &extra);
    pos[0] = offset;
    for (int i = 0; i < n; i++) pos[i + 1] = pos[i] + size[i] + gap + extra;
    return gap + extra;
}

static void grid_layout(L *l, dk_box *b, double cx, double cy, double cw, double ch) {
    dk_style gs;
    const dk_style *s = resolve_gaps(&gs, b->style, cw, ch);
    const dk_track autotrack = {{0, DK_LEN_AUTO}, {0, DK_LEN_AUTO}};
    dk_track cols[DK_MAX_TRACKS];
    gitem *items;
    int nc, n, i;
    static_children(b, cx, cy);
    int nrows = grid_items(l, b, cols, &nc, &items, &n);
    if (!nrows) return;
    /* scratch: row tracks, sizes and contributions, and size_tracks' space */
    int nt = DK_MAX(nrows, nc);
    dk_track *rows = dk_arena_alloc(l->a, sizeof(dk_track) * (size_t)nrows);
    double *buf = dk_arena_alloc(l->a, sizeof(double) * (size_t)(7 * nt + 2));
    int *frozen = dk_arena_alloc(l->a, sizeof(int) * (size_t)nt);
    if (!rows || !buf || !frozen) {
        l->st = DK_ENOMEM;
        return;
    }
    double *mn = buf, *mx = buf + nt, *size = buf + 2 * nt, *scratch = buf + 3 * nt;

    /* columns */
    memset(mn, 0, sizeof(double) * (size_t)nt);
    memset(mx, 0, sizeof(double) * (size_t)nt);
    int intrinsic_cols = 0;
    for (int c = 0; c < nc; c++) intrinsic_cols |= intrinsic_track(&cols[c]);
    double colx[DK_MAX_TRACKS + 1], cgap = 0;
    /*
     * Flexible columns with automatic minimums in a definite width (the
     * common `1fr 1fr`): the items' min-content contributions change the
     * columns only when one exceeds its area, so the columns are sized
     * without them first and each item is checked against its area
     * (dkl_min_fits, which lays paragraphs out at the width they get and
     * keeps those lines for the layout below). Only when an item may not
     * fit are the contributions measured.
     */
    int shares = intrinsic_cols && cw >= 0 && flexible_auto(cols, nc);
    if (shares) {
        size_tracks(cols, nc, mn, mx, s->column_gap, cw, stretches(s->justify_content), size,
                    scratch, frozen);
        cgap = track_positions(size, nc, s->column_gap, cw, s->justify_content, colx);
        for (i = 0; i < n && shares; i++) {
            const gitem *g = &items[i];
            double aw = colx[g->col + g->span] - colx[g->col] - cgap;
            shares = !fits_content(g->box, s) && dkl_min_fits(l, g->box, aw);
        }
    }
    if (!shares) {
        if (intrinsic_cols) column_contributions(l, s, cols, items, n, mn, mx);
        size_tracks(cols, nc, mn, mx, s->column_gap, cw, stretches(s->justify_content), size,
                    scratch, frozen);
        cgap = track_positions(size, nc, s->column_gap, cw, s->justify_content, colx);
    }

    /* lay items out in their areas' widths; their heights size the rows */
    for (i = 0; i < n; i++) {
        gitem *g = &items[i];
        dk_box *k = g->box;
        double aw = colx[g->col + g->span] - colx[g->col] - cgap;
        if (k->kind == DK_BOX_IMAGE) {
            dkl_image(l, k, 0, 0, aw, -1);
        } else {
            edges(k, aw);
            double w = -1;
            /* stretch fills the area unless a margin is auto (§11.2, Box Alignment §6.1) */
            if (fits_content(k, s)) w = dkl_fit_content(l, k, aw) - k->margin[1] - k->margin[3] - hframe(k);
            dkl_box(l, k, 0, 0, aw, -1, w);
        }
    }
    memset(mn, 0, sizeof(double) * (size_t)nt);
    memset(mx, 0, sizeof(double) * (size_t)nt);
    for (int r = 0; r < nrows; r++) rows[r] = r < s->ngrid_rows ? s->grid_rows[r] : autotrack;
    for (int pass = 0; pass < 2; pass++)
        for (i = 0; i < n; i++) {
            dk_box *k = items[i].box;
            double mh = k->h + k->margin[0] + k->margin[2];
            contribute(rows, mn, mx, items[i].row, items[i].rspan, mh, mh, s->row_gap, pass);
        }
    size_tracks(rows, nrows, mn, mx, s->row_gap, ch, stretches(s->align_content), size, scratch,
                frozen);
    double *rowy = buf + 6 * nt; /* past the scratch */
    double rgap = track_positions(size, nrows, s->row_gap, ch, s->align_content, rowy);
    double content = s->row_gap * (nrows - 1);
    for (int r = 0; r < nrows; r++) content += size[r];

    /* align each item in its area */
    for (i = 0; i < n; i++) {
        gitem *g = &items[i];
        dk_box *k = g->box;
        const dk_style *ks = item_style(k);
        double ax = colx[g->col], aw = colx[g->col + g->span] - colx[g->col] - cgap;
        double ay = rowy[g->row], ah = rowy[g->row + g->rspan] - rowy[g->row] - rgap;
        int as = align_of(ks->align_self, s->align_items);
        int js = align_of(ks->justify_self, s->justify_items);
        int replaced = k->kind == DK_BOX_IMAGE;
        int mt = is_auto(ks->margin[DK_TOP]), mb = is_auto(ks->margin[DK_BOTTOM]);
        int ml = is_auto(ks->margin[DK_LEFT]), mr = is_auto(ks->margin[DK_RIGHT]);
        /* a percentage height resolves against the area, now that its rows are sized */
        if (ks->height.unit == DK_LEN_PCT && !replaced && l->nest <= RELAYOUT_NEST)
            dkl_box(l, k, 0, 0, aw, ah, DK_MAX(k->w - hframe(k), 0));
        if (((as == DK_AL_NORMAL && !replaced) || as == DK_AL_STRETCH) && !mt && !mb) {
            /* stretched: the area's height is definite for the item's content (§11.3), even when
               the content overflows a fixed row */
            double sh = ah - k->margin[0] - k->margin[2];
            if (is_auto(ks->height) && !replaced && fabs(sh - k->h) > 0.01) {
                if (l->nest <= RELAYOUT_NEST)
                    dkl_box_h(l, k, 0, 0, aw, ah, DK_MAX(k->w - hframe(k), 0), DK_MAX(sh - vframe(k), 0));
                else
                    k->h = sh;
            }
            as = DK_AL_START;
        }
        double mw = k->w + k->margin[1] + k->margin[3], mh = k->h + k->margin[0] + k->margin[2];
        double dx = 0, dy = 0;
        /* auto margins take the free space first (§11.2) */
        if (mt || mb) dy = mt && mb ? (ah - mh) / 2 : mt ? ah - mh : 0;
        else if (as == DK_AL_CENTER) dy = (ah - mh) / 2;
        else if (as == DK_AL_END) dy = ah - mh;
        if (ml || mr) dx = ml && mr ? (aw - mw) / 2 : ml ? aw - mw : 0;
        else if (js == DK_AL_CENTER) dx = (aw - mw) / 2;
        else if (js == DK_AL_END) dx = aw - mw;
        if ((ml || mr || mt || mb) && dx < 0) dx = 0; /* auto margins never go negative */
        if ((mt || mb) && dy < 0) dy = 0;
        translate(k, cx + ax + dx + k->margin[3] - k->x, cy + ay + dy + k->margin[0] - k->y);
    }
    b->h = content; /* the tracks' height, unaligned; the caller adds the frame */
    dkl_abs_static(l, b, cx, cy, cw, ch >= 0 ? ch : b->h);
}

void dkl_grid(L *l, dk_box *b, double cx, double cy, double cw, double ch) {
    l->nest++;
    grid_layout(l, b, cx, cy, cw, ch);
    l->nest--;
}
