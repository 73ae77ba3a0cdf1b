/*
 * image/ — find, check and decode the images a deck names.
 *
 * Deck-lifetime: images are cached by resolved path, so an image used on
 * five slides is read once, decoded at most once and embedded once. Paths resolve against
 * the deck's folder and must stay inside the deck's project root (the
 * nearest folder above the deck holding .git or .obsidian, else the deck's
 * own folder) unless the user allowed more. URLs with a scheme other than
 * file: are never fetched.
 */
#ifndef DK_IMAGE_H
#define DK_IMAGE_H

#include "../base/base.h"

#include <cairo.h>

typedef struct dk_image {
    const char *path;   /* resolved absolute path (NULL when not found) */
    int w, h;           /* intrinsic size in px; 0 when missing */
    int missing;        /* could not be found, read or decoded */
} dk_image;

typedef struct dk_images dk_images;

/*
 * A cache for one deck in `deck_dir` with project root `root` (NULL: find it).
 * `allow_outside`: paths outside the root are allowed.
 */
dk_status dk_images_new(const char *deck_dir, int allow_outside, dk_images **out);
void dk_images_free(dk_images *c);
const char *dk_images_root(const dk_images *c);
/*
 * Decoded pixels the deck's images may take together (default
 * DK_LIMIT_DECK_PIXELS); once they do, further images are warned about
 * and drawn as placeholders. For tests.
 */
void dk_images_set_budget(dk_images *c, double pixels);

/*
 * Decode PNG images on `pool` (base.h) as soon as a slide names them,
 * while the slide is laid out and painted up to them: for raster outputs,
 * which draw every image they lay out. The pool must outlive the cache.
 */
void dk_images_set_pool(dk_images *c, dk_pool *pool);

/*
 * From now on (process-wide), librsvg draws text in SVG images with the
 * system's fontconfig configuration, loaded when the first SVG is drawn:
 * for when another configuration has been made fontconfig's current one.
 */
void dk_images_svg_system_fonts(void);

/*
 * cairo_image_surface_create, its pixels (when 1 MB or more) in memory
 * mapped for them alone, 2 MB-aligned and marked for transparent huge
 * pages (madvise), and kept for the next such surface once freed. A
 * 1920x1080 slide or a decoded photo is 8 MB: in 4 KB pages that is 2,000
 * page faults, each zeroing its page, every time; in huge pages it is
 * four, the first time. Where the kernel gives no huge pages it is plain
 * memory, as before.
 */
cairo_surface_t *dk_image_surface_new(cairo_format_t f, int w, int h);

/*
 * Have a worker of `pool` make `count` buffers of `n` bytes ready for
 * dk_image_surface_new: mapped, faulted in and zeroed by the kernel there,
 * and kept, so that the thread that paints the slides does not pay for
 * fresh memory. The PNG writer asks for its first slide surfaces while the
 * first slide is laid out, when the pool has nothing else to do. Nothing
 * happens without a worker. dk_images_prewarm_wait before the pool goes.
 */
typedef struct {
    dk_task task;
    dk_pool *pool;
    size_t n;
    int count; /* 0: nothing submitted */
} dk_prewarm;
void dk_images_prewarm(dk_pool *pool, dk_prewarm *w, size_t n, int count);
void dk_images_prewarm_wait(dk_prewarm *w);

/*
 * Let images come from `dir` too (a project theme's folder, an --assets
 * folder), after resolving it; the project root itself stays as it was.
 * A folder that does not exist allows nothing. DK_ENOMEM only.
 */
dk_status dk_images_allow(dk_images *c, const char *dir);

/*
 * The image `src` (as written in the deck, URL-decoded here), loaded once.
 * Never NULL except on OOM: a problem yields an image with missing = 1 and a
 * warning at deck offset `off` naming the image and why.
 */
const dk_image *dk_images_get(dk_ctx *ctx, dk_images *c, const char *src, size_t off);

/* What an image is drawn onto: what dk_image_source hands out depends on it. */
typedef enum { DK_IMAGE_RASTER, DK_IMAGE_PDF, DK_IMAGE_SVG } dk_image_target;

/*
 * The image as a cairo source surface (cairo_surface_t *, owned by the
 * cache) for drawing onto `target`; *sw x *sh is the size of the source in
 * its own units, which is to be scaled onto the image's box. Layout needs
 * only img->w and img->h, so pixels are made here, on first use, once per
 * deck (see dk_image_source_scaled for the exception): an opaque PNG is never decoded for a PDF (pngpass.h), nor for
 * anything until a raster or SVG output draws it. NULL when there is
 * nothing to draw (a decoding that failed here is warned about once).
 */
void *dk_image_source(const dk_image *img, dk_image_target target, double *sw, double *sh);

/*
 * Raster outputs: the image's pixels resized to exactly w x h device pixels
 * by averaging (a box filter), for drawing 1:1 instead of having cairo
 * filter the full-size image on every paint. Cached per image (a few
 * sizes); a PNG that can be decoded again gives its full-size pixels back
 * once reduced, so a surface dk_image_source returned before is then gone:
 * ask for this first. NULL if not a bitmap, not a reduction, or out of
 * memory: then draw dk_image_source's surface.
 */
void *dk_image_source_scaled(const dk_image *img, int w, int h);

/* Resolve `src` to an absolute path inside the rules (malloc'd), or NULL. */
char *dk_images_resolve(dk_images *c, const char *src, const char **why);

#endif
