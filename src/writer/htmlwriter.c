/*
 * The HTML writer: each slide as a standalone document (html.c) with the
 * CSS deckle laid it out with — @font-face rules for deckle's own fonts,
 * the user-agent defaults deckle assumes, and the theme.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "../css/css.h"
#include "html.h"
#include "writer.h"

static dk_status hw_begin(dk_writer *w, const dk_deck_info *d) {
    (void)w;
    (void)d;
    return DK_OK;
}

static dk_status hw_slide(dk_writer *w, const dk_deck_info *d, const dk_slide_out *s) {
    (void)w;
    char *file = dk_slide_file(d, s->index, "html");
    if (!file) return DK_ENOMEM;
    char *dir = strdup(file);
    dk_buf css = {0}, fonts = {0};
    dk_buf_printf(&fonts, "%s/fonts", d->data_dir);
    if (dir && !fonts.oom) dk_export_font_faces(fonts.p, dirname(dir), &css);
    free(dir);
    dk_buf_free(&fonts);
    dk_buf_adds(&css, "/* user-agent defaults deckle assumes (zero specificity: themes win) */\n");
    dk_export_ua_css(dk_css_ua_sheet, &css);
    /* deckle's text model: a paragraph with no dir="" around it takes its direction from
       its first strong character (UAX #9 P2, P3; src/text/pango.c), which is what
       unicode-bidi: plaintext does to a block's paragraphs (CSS Writing Modes 3 §2.2) */
    dk_buf_adds(&css, ":where(body, address, article, aside, blockquote, caption, center, dd, "
                      "details, div, dt, fieldset, figcaption, figure, footer, h1, h2, h3, h4, "
                      "h5, h6, header, legend, li, main, nav, p, pre, section, summary, td, "
                      "th):where(:not([dir], [dir] *)) { unicode-bidi: plaintext }\n");
    /* the initial font-family (serif) is DejaVu Sans for deckle (src/text/fonts.c) */
    dk_buf_adds(&css, ":where(html) { font-family: \"DejaVu Sans\" }\n");
    dk_buf_adds(&css, "\n/* theme */\n");
    if (d->theme_css) dk_export_fonts_css(d->theme_css, strlen(d->theme_css), &css);
    dk_status st = css.oom ? DK_ENOMEM
                           : dk_export_html_fit(d->ctx, s->dom, css.p, css.n, d->deck_dir, file,
                                                s->text_scale, s->body);
    if (st == DK_EIO) dk_diag_error(d->ctx, DK_NOPOS, "cannot write %s: %s", file, strerror(errno));
    dk_buf_free(&css);
    free(file);
    return st == DK_OK ? d->slide_written(d, s->index) : st;
}

static dk_status hw_end(dk_writer *w, const dk_deck_info *d, int ok) {
    (void)w;
    (void)d;
    (void)ok;
    return DK_OK;
}

static void hw_destroy(dk_writer *w) { free(w); }

dk_status dk_writer_html_new(dk_writer **out) {
    dk_writer *w = calloc(1, sizeof *w);
    *out = w;
    if (!w) return DK_ENOMEM;
    *w = (dk_writer){hw_begin, hw_slide, hw_end, hw_destroy};
    return DK_OK;
}
