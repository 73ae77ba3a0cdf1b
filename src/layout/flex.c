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
 * lines (align-content: normal). An item flexed or stretched to a new
 * height is laid out again in it (a definite size, §9.8), so its own
 * content aligns in it. Text straight in the container is an anonymous
 * item (item_style()). Baseline alignment is treated as start; images
 * are not stretched on the cross axis (iframes and videos are).
 */

typedef struct {
    dk_box *box;
    double base;   /* hypothetical main size of the border box */
    double target; /* flexed main size of the border box */
    double floor_, ceil_;
    double mmain;  /* main-axis margins */
    int frozen;
    int relayout;  /* laid out at a size other than its own: lay it out again */
    int lazy_min;  /* column item with a height: its content size waits until it must shrink */
    double w;      /* column item: the content width it was laid out in (-1: stretched) */
} fitem;

/*
 * The height of column item `k`'s content, as if its height were auto: the
 * content size of its automatic minimum size (§4.5) when it has a height.
 * Leaves `k` laid out at that height.
 */
static double content_height(L *l, dk_box *k, double cw, double ch, double w) {
    const dk_style *ks = k->style;
    dk_style tmp = *ks;
    tmp.height = (dk_len){0, DK_LEN_AUTO};
    k->style = &tmp; /* only for this layout: nothing keeps the pointer */
    dkl_box(l, k, 0, 0, cw, ch, w);
    k->style = ks;
    return k->h;
}

static int cross_auto_margins(const dk_box *k, int column, int *before, int *after) {
    *before = is_auto(item_style(k)->margin[column ? DK_LEFT : DK_TOP]);
    *after = is_auto(item_style(k)->margin[column ? DK_RIGHT : DK_BOTTOM]);
    return *before || *after;
}

/* Grow or shrink the items [a, e) to fill `avail` (§9.7, with freezing). */
static void flex_resolve(fitem *it, int a, int e, double avail, double gap) {
    double sum = gap * (e - a - 1);
    for (int i = a; i < e; i++) sum += it[i].base + it[i].mmain;
    int grow = avail - sum > 0;
    for (int i = a; i < e; i++) {
        it[i].target = it[i].base;
        const dk_style *s = item_style(it[i].box);
        double f = grow ? s->flex_grow : s->flex_shrink;
        it[i].frozen = f <= 0 || (grow && it[i].base > it[i].ceil_) || (!grow && it[i].base < it[i].floor_) ||
                       it[i].box->kind == DK_BOX_IMAGE;
    }
    for (int iter = 0; iter <= e - a; iter++) {
        double used = gap * (e - a - 1), factors = 0;
        for (int i = a; i < e; i++) {
            const dk_style *s = item_style(it[i].box);
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
            const dk_style *s = item_style(it[i].box);
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

/*
 * Static positions of the out-of-flow children of flex or grid container
 * `b` whose content box is (cx, cy, cw, ch): each as if it were the sole
 * item (Flexbox §4.1: placed by justify-content and align-self; Grid §10.1:
 * by justify-self and align-self in an area of the whole content box).
 * Only an axis whose insets are both auto uses it, so only then is the box
 * measured (shrink-to-fit, as position_pass() will size it).
 */
void dkl_abs_static(L *l, dk_box *b, double cx, double cy, double cw, double ch) {
    const dk_style *s = b->style;
    int flex = b->kind == DK_BOX_FLEX, column = flex && s->flex_direction_column;
    for (dk_box *k = b->first; k; k = k->next) {
        if (!oof(k)) continue;
        const dk_style *ks = k->style;
        int hstatic = is_auto(ks->inset[DK_LEFT]) && is_auto(ks->inset[DK_RIGHT]);
        int vstatic = is_auto(ks->inset[DK_TOP]) && is_auto(ks->inset[DK_BOTTOM]);
        static_position(k, cx, cy);
        if (!hstatic && !vstatic) continue;
        int js, as = align_of(ks->align_self, s->align_items);
        if (flex) {
            int jc = s->justify_content;
            js = jc == DK_AL_SPACE_AROUND || jc == DK_AL_SPACE_EVENLY ? DK_AL_CENTER
                 : jc == DK_AL_CENTER || jc == DK_AL_END ? jc : DK_AL_START;
            if (s->flex_direction_reverse) js = js == DK_AL_START ? DK_AL_END : js == DK_AL_END ? DK_AL_START : js;
            if (column) { /* main axis vertical: swap the roles */
                int t = js;
                js = as;
                as = t;
            }
        } else {
            js = align_of(ks->justify_self, s->justify_items);
        }
        if (js != DK_AL_CENTER && js != DK_AL_END && as != DK_AL_CENTER && as != DK_AL_END) continue;
        double w, h;
        if (k->kind == DK_BOX_IMAGE) {
            dkl_image(l, k, 0, 0, cw, ch);
        } else {
            edges(k, cw);
            double cwid = definite(ks->width, cw) ? -1
                          : dkl_fit_content(l, k, cw) - k->margin[1] - k->margin[3] - hframe(k);
            dkl_box(l, k, 0, 0, cw, ch, cwid);
        }
        w = k->w + k->margin[1] + k->margin[3];
        h = k->h + k->margin[0] + k->margin[2];
        double dx = js == DK_AL_CENTER ? (cw - w) / 2 : js == DK_AL_END ? cw - w : 0;
        double dy = ch < 0 ? 0 : as == DK_AL_CENTER ? (ch - h) / 2 : as == DK_AL_END ? ch - h : 0;
        static_position(k, cx + (hstatic ? dx : 0), cy + (vstatic ? dy : 0));
    }
}

static void flex_layout(L *l, dk_box *b, double cx, double cy, double cw, double ch) {
    dk_style gs;
    const dk_style *s = resolve_gaps(&gs, b->style, cw, ch);
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
        const dk_style *ks = item_style(k);
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
            else dkl_box(l, k, 0, 0, cw, ch, w);
            /* an iframe or video has no ratio to keep: stretched like a block (Chromium) */
            if (k->frame && is_auto(ks->width) && stretch) k->w = DK_MAX(cw - k->margin[1] - k->margin[3], 0);
            double content_h = k->h;
            f->mmain = k->margin[0] + k->margin[2];
            f->base = k->h;
            f->relayout = f->lazy_min = 0;
            f->w = w;
            if (ks->flex_basis.unit == DK_LEN_PX || (ks->flex_basis.unit == DK_LEN_PCT && ch >= 0))
                f->base = len(ks->flex_basis, ch) + (ks->box_sizing ? 0 : vframe(k));
            int auto_min = is_auto(ks->min_height) && !ks->overflow_hidden && k->kind != DK_BOX_IMAGE;
            /* a given height is the specified size suggestion; the content may be less (§4.5),
               measured only when the line shrinks (a layout more per level of nesting) */
            if (auto_min && k->kind != DK_BOX_PARA && definite(ks->height, ch)) f->lazy_min = 1;
            f->floor_ = auto_min ? DK_MIN(content_h, f->base)
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
            double sum = gap * (e - a - 1);
            for (i = a; i < e; i++) sum += it[i].base + it[i].mmain;
            for (i = a; i < e && column && sum > avail && l->nest <= RELAYOUT_NEST; i++) {
                if (!it[i].lazy_min || item_style(it[i].box)->flex_shrink <= 0) continue;
                it[i].floor_ = DK_MIN(it[i].floor_, content_height(l, it[i].box, cw, ch, it[i].w));
                it[i].relayout = 1;
            }
            flex_resolve(it, a, e, avail, gap);
        } else {
            for (i = a; i < e; i++) it[i].target = it[i].base;
        }
        double cross = 0;
        for (i = a; i < e; i++) {
            dk_box *k = it[i].box;
            if (column) {
                /* the flexed height is definite: lay the item out in it (§9.8) */
                double t = DK_MAX(it[i].target, 0);
                if (k->kind == DK_BOX_IMAGE) k->h = t;
                else if ((it[i].relayout || fabs(t - k->h) > 0.01) && l->nest <= RELAYOUT_NEST)
                    dkl_box_h(l, k, 0, 0, cw, ch, DK_MAX(k->w - hframe(k), 0), DK_MAX(t - vframe(k), 0));
                else
                    k->h = t;
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
    double cross_avail = column ? cw : ch; /* ch: a definite height, given or stretched */
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
            nauto += is_auto(item_style(k)->margin[column ? DK_TOP : DK_LEFT]) +
                     is_auto(item_style(k)->margin[column ? DK_BOTTOM : DK_RIGHT]);
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
            const dk_style *ks = item_style(k);
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
                /* a stretched item's height is definite, even below its content: lay it out in it
                   (§9.4 step 11; no automatic minimum on the cross axis) */
                double sh = lc - k->margin[0] - k->margin[2];
                if (!column && is_auto(ks->height) && k->frame) k->h = DK_MAX(sh, 0);
                if (!column && is_auto(ks->height) && k->kind != DK_BOX_IMAGE && fabs(sh - k->h) > 0.01) {
                    if (l->nest <= RELAYOUT_NEST)
                        dkl_box_h(l, k, 0, 0, cw, ch, DK_MAX(k->w - hframe(k), 0), DK_MAX(sh - vframe(k), 0));
                    else
                        k->h = sh;
                }
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
    dkl_abs_static(l, b, cx, cy, cw, ch >= 0 ? ch : b->h);
}


void dkl_flex(L *l, dk_box *b, double cx, double cy, double cw, double ch) {
    l->nest++;
    flex_layout(l, b, cx, cy, cw, ch);
    l->nest--;
}
