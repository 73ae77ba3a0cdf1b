/*
 * writer/html — one slide as a standalone HTML document: the reference our
 * layout is compared against in Chromium.
 *
 * Takes the slide's DOM (as dom/ built it) and the CSS we render with;
 * writes `<!DOCTYPE html>`, the CSS in a <style>, the slide's own <style>
 * elements from <head>, and <body> serialized exactly as the DOM holds it.
 * Relative image URLs are rewritten so that the file works from wherever
 * it is written.
 */
#ifndef DK_OUT_HTML_H
#define DK_OUT_HTML_H

#include "../base/base.h"
#include "../dom/dom.h"

/*
 * Write the document for the tree `root` (the <html> element) to
 * `out_path`, atomically. `css` (css_len bytes) is copied verbatim into
 * the head. Relative `src` of <img> and <source> is resolved against
 * `deck_dir` (NULL: the current folder) and rewritten relative to the
 * folder of `out_path` (an absolute file:// URL when that folder cannot be
 * resolved). Fails with DK_ENOMEM or DK_EIO.
 */
dk_status dk_export_html(dk_ctx *ctx, const dk_node *root, const char *css, size_t css_len,
                         const char *deck_dir, const char *out_path);
/*
 * The same for a laid-out slide, so that a browser lays out what deckle
 * did: every element's font-family as deckle resolved it, and when render/
 * shrank the text to `text_scale` (< 1) to fit, its computed font-size and
 * line-height, go into its style attribute with !important; an <img> that
 * `body` (the slide's boxes, or NULL) drew as missing loses its src. The
 * nodes must carry their styles (css/ has run).
 */
struct dk_box;
dk_status dk_export_html_fit(dk_ctx *ctx, const dk_node *root, const char *css, size_t css_len,
                             const char *deck_dir, const char *out_path, double text_scale,
                             const struct dk_box *body);

/*
 * Append the HTML serialization of `n` (the node itself and its subtree)
 * to `out`, as the HTML standard serializes: attributes and text escaped,
 * void elements without end tags, the text of <style>/<script> raw.
 * Reparsing the output gives the same tree.
 */
void dk_serialize_html(const dk_node *n, dk_buf *out);

/*
 * If `url` names a local file (no scheme, or file:), append its path with
 * %XX sequences decoded and any ?query or #fragment dropped to `out` and
 * return 1; else (http:, data:, "#x", "") return 0. Relative paths stay
 * relative. Image loading uses the same reading of `src` as the export.
 */
int dk_url_local_path(const char *url, dk_buf *out);

/*
 * Append to `out` the relative URL from folder `from_dir` to `abs_path`
 * (both absolute and canonical), percent-encoded.
 */
void dk_url_relative(const char *from_dir, const char *abs_path, dk_buf *out);

/*
 * Append an @font-face rule for every font file in `fonts_dir`, with its
 * family, weight and style as fontconfig reads them and a URL relative to
 * `out_dir`, so a browser showing the export uses deckle's own fonts.
 */
void dk_export_font_faces(const char *fonts_dir, const char *out_dir, dk_buf *css);

/*
 * Append `css` to `out` with every `font-family` list rewritten to the fonts
 * deckle really uses for it (src/text/fonts.c): families deckle does not
 * have are dropped, generic ones named as the bundled DejaVu faces, and
 * "DejaVu Sans" ends each list. A browser showing the export would
 * otherwise take Arial, Times or its own sans-serif from the system.
 */
void dk_export_fonts_css(const char *css, size_t n, dk_buf *out);

/*
 * Append the user-agent sheet `ua` to `css` as author CSS of zero
 * specificity: every selector list goes inside :where(), so in a browser
 * any theme rule outranks a UA default, as it does in deckle's cascade
 * (where the UA sheet has its own, lower origin). Order and !important
 * are kept; comments are dropped.
 */
void dk_export_ua_css(const char *ua, dk_buf *css);

#endif
