/* Flex layout (CSS Flexbox §9). */
#include "layout-internal.h"

/*
 * Flexbox (CSS Flexbox 1 §9) for what slides use: row and column
 * directions (and their reverses), wrapping into lines, gaps, flex-basis /
 * grow / shrink with the automatic minimum size (§4.5: an item does not
 * shrink below its min-content width, or in a column below its content
 * height, unless it clips its overflow or sets a minimum), auto margins
 * (they take free space before justify-content, and centre an item on the
 * cross axis), justify-content, align-items / align-self and stretched
 * lines (align-content: normal). Baseline alignment is treated as start;
 * images are not stretched on the cross axis.
 */

typedef struct {
    dk_box *box;
    double base;   /* hypothetical main size of the border box */
    double target; /* flexed main size of the border box */
    double floor_, ceil_;
    double mmain;  /* main-axis margins */
    int frozen;
} fitem;

static int cross_auto_margins(const dk_box *k, int column, int *before, int *after) {
    *before = is_auto(k->style->margin[column ? DK_LEFT : DK_TOP]);
    *after = is_auto(k->style->margin[column ? DK_RIGHT : DK_BOTTOM]);
    return *before || *after;
}

/* Grow or shrink the items [a, e) to fill `avail` (§9.7, with freezing). */
static void flex_resolve(fitem *it, int a, int e, double avail, double gap) {
    double sum = gap * (e - a - 1);
    for (int i = a; i < e; i++) sum += it[i].base + it[i].mmain;
    int grow = avail - sum > 0;
    for (int i = a; i < e; i++) {
        it[i].target = it[i].base;
        const dk_style *s = it[i].box->style;
        double f = grow ? s->flex_grow : s->flex_shrink;
        it[i].frozen = f <= 0 || (grow && it[i].base > it[i].ceil_) || (!grow && it[i].base < it[i].floor_) ||
                       it[i].box->kind == DK_BOX_IMAGE;
    }
    for (int iter = 0; iter <= e - a; iter++) {
        double used = gap * (e - a - 1), factors = 0;
        for (int i = a; i < e; i++) {
            const dk_style *s = it[i].box->style;
            used += (it[i].frozen ? it[i].target : it[i].base) + it[i].mmain;
            if (!it[i].frozen) factors += grow ? s->flex_grow : s->flex_shrink * it[i].base;
        }
        double free_space = avail - used;
        if (factors <= 0) break;
        /* fewer than 1 in total grows only by that fraction (§9.7 step 4b) */
        if (grow && factors < 1) free_space *= factors;
        double violation = 0;
        for (int i = a; i < e; i++) {
            if (it[i].frozen) continue;
            const dk_style *s = it[i].box->style;
            double share = grow ? s->flex_grow / factors : s->flex_shrink * it[i].base / factors;
            double t = it[i].base + free_space * share;
            double c = DK_MIN(DK_MAX(t, it[i].floor_), it[i].ceil_);
            violation += c - t;
            it[i].target = c;
        }
        int again = 0;
        for (int i = a; i < e; i++) {
            if (it[i].frozen) continue;
            double t = it[i].target;
            if (violation == 0 || (violation > 0 && t <= it[i].floor_) || (violation < 0 && t >= it[i].ceil_))
                it[i].frozen = 1;
            else
                again = 1;
        }
        if (!again || violation == 0) break;
    }
}

void dkl_flex(L *l, dk_box *b, double cx, double cy, double cw, double ch) {
    const dk_style *s = b->style;
    int column = s->flex_direction_column, reverse = s->flex_direction_reverse;
    double gap = column ? s->row_gap : s->column_gap, cgap = column ? s->column_gap : s->row_gap;
    double main_avail = column ? ch : cw;
    int n = 0;
    static_children(b, cx, cy);
    for (dk_box *k = in_flow(b->first); k; k = in_flow(k->next)) n++;
    fitem *it = dk_arena_alloc(l->a, sizeof(fitem) * (size_t)(n + 1));
    int *line_end = dk_arena_alloc(l->a, sizeof(int) * (size_t)(n + 1));
    double *line_cross = dk_arena_alloc(l->a, sizeof(double) * (size_t)(n + 1));
    if (!it || !line_end || !line_cross) {
        l->st = DK_ENOMEM;
        return;
    }
    /* hypothetical main sizes (border boxes) */
    int i = 0;
    for (dk_box *k = in_flow(b->first); k; k = in_flow(k->next), i++) {
        const dk_style *ks = k->style;
        fitem *f = &it[i];
        f->box = k;
        edges(k, cw);
        int before, after, cam = cross_auto_margins(k, column, &before, &after);
        int as = align_of(ks->align_self, s->align_items);
        int stretch = !cam && (as == DK_AL_NORMAL || as == DK_AL_STRETCH);
        if (column) {
            double w = -1;
            if (is_auto(ks->width) && !stretch)
                w = dkl_fit_content(l, k, cw) - k->margin[1] - k->margin[3] - hframe(k);
            if (k->kind == DK_BOX_IMAGE) dkl_image(l, k, 0, 0, cw, ch);
            else dkl_box(l, k, 0, 0, cw, -1, w);
            double content_h = k->h;
            f->mmain = k->margin[0] + k->margin[2];
            f->base = k->h;
            if (ks->flex_basis.unit == DK_LEN_PX || (ks->flex_basis.unit == DK_LEN_PCT && ch >= 0))
                f->base = len(ks->flex_basis, ch) + (ks->box_sizing ? 0 : vframe(k));
            int auto_min = is_auto(ks->min_height) && !ks->overflow_hidden && k->kind != DK_BOX_IMAGE;
            f->floor_ = auto_min ? DK_MIN(content_h, definite(ks->height, ch) ? k->h : content_h)
                                 : clamp_size(0, ks->min_height, ks->max_height, ch, vframe(k), ks->box_sizing) + vframe(k);
            f->ceil_ = ks->max_height.unit != DK_LEN_NONE && definite(ks->max_height, ch)
                           ? len(ks->max_height, ch) - (ks->box_sizing ? vframe(k) : 0) + vframe(k)
                           : INFINITY;
        } else {
            double w, mn = 0, mx = 0;
            f->mmain = k->margin[1] + k->margin[3];
            if (k->kind == DK_BOX_IMAGE) {
                dkl_image(l, k, 0, 0, cw, ch);
                w = mn = k->w;
            } else {
                dkl_intrinsic(l, k, &mn, &mx);
                edges(k, cw);
                mn -= f->mmain;
                mx -= f->mmain;
                if (ks->flex_basis.unit == DK_LEN_PX || (ks->flex_basis.unit == DK_LEN_PCT && cw >= 0))
                    w = len(ks->flex_basis, cw) + (ks->box_sizing ? 0 : hframe(k));
                else if (definite(ks->width, cw))
                    w = len(ks->width, cw) + (ks->box_sizing ? 0 : hframe(k));
                else
                    w = mx;
            }
            double specified = definite(ks->width, cw) ? len(ks->width, cw) + (ks->box_sizing ? 0 : hframe(k)) : INFINITY;
            int auto_min = is_auto(ks->min_width) && !ks->overflow_hidden;
            f->floor_ = auto_min ? DK_MIN(mn, specified)
                                 : clamp_size(0, ks->min_width, ks->max_width, cw, hframe(k), ks->box_sizing) + hframe(k);
            f->ceil_ = ks->max_width.unit != DK_LEN_NONE && definite(ks->max_width, cw)
                           ? len(ks->max_width, cw) - (ks->box_sizing ? hframe(k) : 0) + hframe(k)
                           : INFINITY;
            f->base = w;
        }
    }
    /* lines */
    int nlines = 0;
    for (i = 0; i < n;) {
        int e = i + 1;
        double sum = it[i].base + it[i].mmain;
        if (s->flex_wrap && main_avail >= 0)
            while (e < n && sum + gap + it[e].base + it[e].mmain <= main_avail + 0.01)
                sum += gap + it[e].base + it[e].mmain, e++;
        else
            e = n;
        line_end[nlines++] = e;
        i = e;
    }
    /* flex each line; lay items out at their main sizes; line cross sizes */
    double avail = main_avail >= 0 ? main_avail : INFINITY;
    int a = 0;
    for (int ln = 0; ln < nlines; ln++) {
        int e = line_end[ln];
        if (avail < INFINITY) {
            flex_resolve(it, a, e, avail, gap);
        } else {
            for (i = a; i < e; i++) it[i].target = it[i].base;
        }
        double cross = 0;
        for (i = a; i < e; i++) {
            dk_box *k = it[i].box;
            if (column) {
                k->h = DK_MAX(it[i].target, 0);
                cross = DK_MAX(cross, k->w + k->margin[1] + k->margin[3]);
            } else {
                if (k->kind != DK_BOX_IMAGE)
                    dkl_box(l, k, 0, 0, cw, ch, DK_MAX(it[i].target - hframe(k), 0));
                else
                    k->w = it[i].target;
                cross = DK_MAX(cross, k->h + k->margin[0] + k->margin[2]);
            }
        }
        line_cross[ln] = cross;
        a = e;
    }
    /* a single line fills a definite cross size; extra cross space stretches the lines */
    double cross_avail = column ? cw : (ch >= 0 && !is_auto(s->height) ? ch : -1);
    if (nlines == 1 && cross_avail >= 0) {
        line_cross[0] = cross_avail;
    } else if (cross_avail >= 0) {
        double used = cgap * (nlines - 1);
        for (int ln = 0; ln < nlines; ln++) used += line_cross[ln];
        if (cross_avail > used)
            for (int ln = 0; ln < nlines; ln++) line_cross[ln] += (cross_avail - used) / nlines;
    }
    /* place */
    double cpos = 0, main_used = 0;
    a = 0;
    for (int ln = 0; ln < nlines; ln++) {
        int e = line_end[ln], nauto = 0;
        double used = gap * (e - a - 1);
        for (i = a; i < e; i++) {
            dk_box *k = it[i].box;
            used += (column ? k->h : k->w) + it[i].mmain;
            nauto += is_auto(k->style->margin[column ? DK_TOP : DK_LEFT]) +
                     is_auto(k->style->margin[column ? DK_BOTTOM : DK_RIGHT]);
        }
        double free_space = main_avail >= 0 ? main_avail - used : 0;
        double lead = 0, between = gap, per_auto = 0;
        if (free_space > 0 && nauto) {
            per_auto = free_space / nauto;
        } else if (free_space > 0) {
            int cnt = e - a;
            switch (s->justify_content) {
            case DK_AL_CENTER: lead = free_space / 2; break;
            case DK_AL_END: lead = free_space; break;
            case DK_AL_SPACE_BETWEEN: if (cnt > 1) between += free_space / (cnt - 1); break;
            case DK_AL_SPACE_AROUND: lead = free_space / cnt / 2; between += free_space / cnt; break;
            case DK_AL_SPACE_EVENLY: lead = free_space / (cnt + 1); between += free_space / (cnt + 1); break;
            default: break;
            }
        } else if (free_space < 0 && (s->justify_content == DK_AL_CENTER)) {
            lead = free_space / 2; /* overflow spreads both ways when centred */
        }
        if (reverse && !nauto && free_space > 0 &&
            (s->justify_content == DK_AL_NORMAL || s->justify_content == DK_AL_START))
            lead = free_space; /* flex-start is the end of a reversed line */
        double pos = lead;
        for (i = a; i < e; i++) {
            dk_box *k = it[i].box;
            const dk_style *ks = k->style;
            if (is_auto(ks->margin[column ? DK_TOP : DK_LEFT])) pos += per_auto;
            int before, after, cam = cross_auto_margins(k, column, &before, &after);
            int as = align_of(ks->align_self, s->align_items);
            double lc = line_cross[ln];
            double csize = column ? k->w + k->margin[1] + k->margin[3] : k->h + k->margin[0] + k->margin[2];
            double off = 0;
            if (cam) {
                double room = lc - csize;
                if (room > 0) off = before && after ? room / 2 : before ? room : 0;
            } else if (as == DK_AL_NORMAL || as == DK_AL_STRETCH) {
                if (!column && is_auto(ks->height) && k->kind != DK_BOX_IMAGE)
                    k->h = DK_MAX(k->h, lc - k->margin[0] - k->margin[2]);
            } else if (as == DK_AL_CENTER) {
                off = (lc - csize) / 2;
            } else if (as == DK_AL_END) {
                off = lc - csize;
            }
            double msize = column ? k->h + k->margin[0] + k->margin[2] : k->w + k->margin[1] + k->margin[3];
            double mpos = reverse && main_avail >= 0 ? main_avail - pos - msize : pos;
            double tx = column ? cpos + off : mpos, ty = column ? mpos : cpos + off;
            translate(k, cx + tx + k->margin[3] - k->x, cy + ty + k->margin[0] - k->y);
            pos += msize + between;
            if (is_auto(ks->margin[column ? DK_BOTTOM : DK_RIGHT])) pos += per_auto;
        }
        main_used = DK_MAX(main_used, used);
        cpos += line_cross[ln] + cgap;
        a = e;
    }
    /* content height; a definite height wins in layout_box */
    b->h = column ? main_used : (nlines ? cpos - cgap : 0);
}

