/*
 * Fuzz target: deck bytes through the whole pipeline up to layout and
 * painting onto the trace canvas — split, md4c, gumbo, the Marp/Obsidian
 * transform, cascade, boxes, layout — writing no files.
 *
 * First byte (options):
 *   bit 0     mojibake repair on
 *   bit 1     the pango text backend (private fontconfig, bundled fonts);
 *             else the fake one (fast, every glyph 10 px)
 *   bit 2     paint each slide onto the trace canvas
 *   bits 3-4  slide size: 1280x720, 720x1280, 16x16, 4000x300
 * Images resolve against a folder that does not exist, so every image is a
 * missing-image placeholder and nothing outside is ever read.
 */
#include <stdlib.h>
#include <string.h>

#include "../src/box/box.h"
#include "../src/canvas/canvas.h"
#include "../src/css/css.h"
#include "../src/deck/deck.h"
#include "../src/dom/dom.h"
#include "../src/image/image.h"
#include "../src/layout/layout.h"
#include "../src/marp/marp.h"
#include "../src/md/md.h"
#include "../src/paint/paint.h"
#include "../src/text/fonts.h"
#include "../src/text/text.h"
#include "fuzz.h"

#define NO_DIR "/nonexistent/deckle-fuzz"

static void no_diag(void *ud, const dk_diag_rec *d) {
    (void)ud;
    (void)d;
}

/* Deck-independent things, made once per process (a render makes them per deck). */
static dk_sheet *ua_sheet, *theme_sheet;
static FcConfig *fonts;

static void init_once(void) {
    static int done;
    if (done) return;
    done = 1;
    dk_ctx ctx;
    dk_ctx_init(&ctx, "fuzz", "", 0);
    ctx.on_diag = no_diag;
    dk_css_parse_sheet(&ctx, dk_css_ua_sheet, strlen(dk_css_ua_sheet), DK_NOPOS, &ua_sheet);
    char *css = NULL;
    size_t n = 0;
    char path[4096];
    snprintf(path, sizeof path, "%s/themes/default.css", dk_data_dir());
    if (dk_file_read(path, &css, &n) == DK_OK)
        dk_css_parse_sheet(&ctx, css, n, DK_NOPOS, &theme_sheet);
    free(css);
    dk_fonts_new(&ctx, dk_data_dir(), &fonts);
}

static void one_slide(dk_ctx *ctx, const dk_deck *deck, const char *src, int i, dk_images *images,
                      dk_text *text, double w, double h, int fix, int paint) {
    dk_arena *a = dk_arena_new();
    if (!a) return;
    dk_html html;
    dk_node *dom = NULL;
    dk_box *body = NULL;
    const dk_slide *s = &deck->slides[i];
    ctx->slide = s->index;
    if (dk_md_render(ctx, a, src, s, &html)) goto done;
    if (dk_dom_parse(ctx, a, &html, fix, &dom)) goto done;
    dk_marp_in mi = {src, deck, i, NO_DIR, dk_images_root(images)};
    if (dk_marp_transform(ctx, a, &mi, dom)) goto done;
    const dk_sheet *sheets[2] = {ua_sheet, theme_sheet};
    dk_media media = {w, h, 1};
    if (dk_css_cascade(ctx, a, sheets, theme_sheet ? 2 : 1, &media, dom)) goto done;
    if (dk_box_build(ctx, a, images, dom, &body)) goto done;
    dk_viewport vp = {w, h};
    if (dk_layout(ctx, a, text, &vp, body)) goto done;
    if (paint) {
        dk_buf log = {0};
        dk_canvas *c = NULL;
        if (dk_canvas_trace_new(&log, &c) == DK_OK) {
            dk_paint(c, body, w, h);
            dk_canvas_free(c);
        }
        dk_buf_free(&log);
    }
done:
    dk_arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const double sizes[4][2] = {{1280, 720}, {720, 1280}, {16, 16}, {4000, 300}};
    if (size < 1) return 0;
    init_once();
    unsigned opt = data[0];
    /* the pipeline wants a NUL-terminated deck, as dk_file_read gives */
    char *src = malloc(size);
    if (!src) return 0;
    memcpy(src, data + 1, size - 1);
    src[size - 1] = 0;
    size_t n = size - 1;
    dk_ctx ctx;
    dk_ctx_init(&ctx, "fuzz.md", src, n);
    ctx.on_diag = no_diag;
    dk_deck deck;
    memset(&deck, 0, sizeof deck);
    dk_images *images = NULL;
    dk_text *text = NULL;
    if (dk_deck_parse(&ctx, src, n, &deck)) goto done;
    if (dk_images_new(NO_DIR, 0, &images)) goto done;
    if (opt & 2 && fonts) dk_text_pango_new(&ctx, fonts, &text);
    else dk_text_fake_new(&text);
    if (!text) goto done;
    double w = sizes[(opt >> 3) & 3][0], h = sizes[(opt >> 3) & 3][1];
    for (int i = 0; i < deck.nslides && i < 64; i++)
        one_slide(&ctx, &deck, src, i, images, text, w, h, opt & 1, opt & 4);
done:
    if (text) text->destroy(text);
    dk_images_free(images);
    dk_deck_free(&deck);
    free(src);
    return 0;
}
