/*
 * The layout writer: every element box of every slide as JSON in the
 * layout-oracle schema (shared/tools/layout-oracle/README.md), to compare
 * with Chromium's boxes of the HTML export. "-" writes to standard output.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../layout/layout.h"
#include "writer.h"

typedef struct {
    dk_writer base;
    dk_buf json;
    int n;
} layout_writer;

static dk_status lw_begin(dk_writer *w, const dk_deck_info *d) {
    (void)d;
    dk_buf_adds(&((layout_writer *)w)->json, "{\"slides\":[\n");
    return DK_OK;
}

static dk_status lw_slide(dk_writer *w, const dk_deck_info *d, const dk_slide_out *s) {
    layout_writer *l = (layout_writer *)w;
    dk_viewport vp = {d->width, d->height};
    if (l->n++) dk_buf_adds(&l->json, ",\n");
    dk_layout_dump_json(s->body, s->index, &vp, &l->json);
    return l->json.oom ? DK_ENOMEM : DK_OK;
}

static dk_status lw_end(dk_writer *w, const dk_deck_info *d, int ok) {
    layout_writer *l = (layout_writer *)w;
    if (!ok) return DK_OK;
    dk_buf_adds(&l->json, "\n]}\n");
    if (l->json.oom) return DK_ENOMEM;
    if (strcmp(d->output, "-") == 0) {
        fwrite(l->json.p, 1, l->json.n, stdout);
        return fflush(stdout) == 0 ? DK_OK : DK_EIO;
    }
    dk_status st = dk_file_write_atomic(d->output, l->json.p, l->json.n);
    if (st == DK_EIO) dk_diag_error(d->ctx, DK_NOPOS, "cannot write %s: %s", d->output, strerror(errno));
    return st;
}

static void lw_destroy(dk_writer *w) {
    dk_buf_free(&((layout_writer *)w)->json);
    free(w);
}

dk_status dk_writer_layout_new(dk_writer **out) {
    layout_writer *l = calloc(1, sizeof *l);
    *out = NULL;
    if (!l) return DK_ENOMEM;
    l->base = (dk_writer){lw_begin, lw_slide, lw_end, lw_destroy};
    *out = &l->base;
    return DK_OK;
}
