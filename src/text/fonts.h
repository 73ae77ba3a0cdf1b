/*
 * text/fonts — the private fontconfig configuration deckle lays out and
 * paints with.
 *
 * deckle never reads the machine's font configuration (/etc/fonts,
 * ~/.fonts.conf, FONTCONFIG_FILE): the same deck must give the same lines on
 * every machine. The configuration holds the bundled fonts in
 * `<data dir>/fonts/` (DejaVu Sans, DejaVu Sans Mono), plus a short fixed
 * list of fallback font files from Debian packages when they are installed
 * (Noto Color Emoji; the Noto Sans fonts of ~35 scripts, among them Arabic,
 * Hebrew, Devanagari and the other Indic scripts, Thai, Khmer, Ethiopic; Noto
 * Sans CJK), with
 * the CSS generic families mapped onto them and hinting switched off.
 *
 * Hand the result to pango (`pango_fc_font_map_set_config`, through
 * `dk_text_pango_new`) and to nothing else.
 */
#ifndef DK_TEXT_FONTS_H
#define DK_TEXT_FONTS_H

#include <fontconfig/fontconfig.h>

#include "../base/base.h"

/*
 * The folder that holds deckle's fonts/ and themes/: $DECKLE_DATA when it is
 * set and not empty; else the source tree the binary was built from
 * (DK_SOURCE_DATA) when it has a fonts/ folder, so that ./build/deckle works
 * without installing; else the install prefix's share/deckle
 * (DK_INSTALL_DATA). The string is borrowed (the environment's or static).
 */
const char *dk_data_dir(void);

/*
 * Build the private configuration: the font files of `<data_dir>/fonts/`,
 * the installed fallback fonts, the generic family aliases (sans-serif,
 * serif, system-ui -> DejaVu Sans; monospace -> DejaVu Sans Mono; emoji ->
 * Noto Color Emoji) and the rendering settings (no hinting, grey
 * antialiasing). On success *out is owned by the caller: dk_fonts_free.
 *
 * DK_EIO, with an error on ctx, when `<data_dir>/fonts/` holds no usable
 * font (a broken installation); DK_ENOMEM when fontconfig runs out of
 * memory. Missing fallback fonts are not errors (with ctx->verbose, one
 * note naming the packages to install).
 */
dk_status dk_fonts_new(dk_ctx *ctx, const char *data_dir, FcConfig **out);

/* Release a configuration from dk_fonts_new (NULL is fine). Pango keeps its own reference. */
void dk_fonts_free(FcConfig *fc);

#endif
