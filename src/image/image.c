/*
 * image/ implementation: path rules, a cache, decoding.
 *
 * The format is sniffed from the first bytes, never from the file name
 * (except that an XML file is taken as SVG only when it holds an <svg>):
 *
 *   PNG   cairo's decoder (libpng underneath)
 *   JPEG  libjpeg-turbo into an RGB24 surface; the file's bytes ride along
 *         as CAIRO_MIME_TYPE_JPEG, so cairo's PDF writer embeds the JPEG
 *         stream as it is (DCTDecode) instead of re-encoding the pixels.
 *         CMYK JPEGs are decoded, but embedded re-encoded (cairo would need
 *         Adobe's inverted-CMYK /Decode to show them right).
 *   SVG   librsvg, replayed into a cairo recording surface: vector in PDF
 *         and SVG output, rasterised at the output's resolution in PNG.
 *         librsvg loads only files beside the SVG and never the network.
 *   other gdk-pixbuf loaders (GIF first frame, WebP with webp-pixbuf-loader,
 *         BMP, TIFF), converted to a premultiplied ARGB32 surface.
 *
 * Every decoder reads the header first and refuses images whose pixel
 * count would not fit a sane budget, so a file claiming 60000x60000 pixels
 * is a warning, not a 14 GB allocation. EXIF orientation is not applied
 * (the image is drawn as stored, as with CSS image-orientation: none).
 */
#define _GNU_SOURCE
#include "image.h"

#include <cairo.h>
#include <errno.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <jpeglib.h> /* after stdio.h */
#include <librsvg/rsvg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_SIDE = 32768, WHY_MAX = 320 };

/* Reasons with their own warning codes (compared by address in dk_images_get). */
static const char why_remote[] = "remote images are not fetched";
static const char why_outside[] =
    "outside the deck's project folder (allow with --assets DIR or --allow-any-path)";
static const char why_too_large[] = "image dimensions are too large";
static const char why_file_large[] = "the file is larger than the 64 MB limit for an image";
static const char why_budget[] = "the deck's images already fill the memory budget for decoded "
                                 "pixels; make them smaller";
#define MAX_PIXELS (64.0 * 1024 * 1024)

typedef struct entry {
    struct entry *next;
    char *key;  /* resolved path, or the src as written when unresolved */
    dk_image img;
} entry;

struct dk_images {
    char *deck_dir; /* realpath */
    char *root;     /* realpath of the project root */
    int allow_outside;
    char **allowed; /* realpaths of more folders images may come from (--assets, themes) */
    int nallowed;
    double pixels, budget; /* decoded so far, and the most a deck may (DK_LIMIT_DECK_PIXELS) */
    entry *entries;
};

static int has_child(const char *dir, const char *name) {
    char path[PATH_MAX];
    struct stat st;
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) return 0;
    return stat(path, &st) == 0;
}

/* The nearest folder at or above `dir` holding .git or .obsidian, else dir. */
static char *find_root(const char *dir) {
    char *cur = strdup(dir);
    if (!cur) return NULL;
    for (;;) {
        if (has_child(cur, ".git") || has_child(cur, ".obsidian")) return cur;
        char *slash = strrchr(cur, '/');
        if (!slash || slash == cur) break;
        *slash = 0;
    }
    free(cur);
    return strdup(dir);
}

dk_status dk_images_new(const char *deck_dir, int allow_outside, dk_images **out) {
    *out = NULL;
    dk_images *c = calloc(1, sizeof *c);
    if (!c) return DK_ENOMEM;
    c->deck_dir = realpath(deck_dir && *deck_dir ? deck_dir : ".", NULL);
    if (!c->deck_dir) c->deck_dir = strdup(deck_dir && *deck_dir ? deck_dir : ".");
    c->root = c->deck_dir ? find_root(c->deck_dir) : NULL;
    c->allow_outside = allow_outside;
    c->budget = DK_LIMIT_DECK_PIXELS;
    if (!c->deck_dir || !c->root) {
        dk_images_free(c);
        return DK_ENOMEM;
    }
    *out = c;
    return DK_OK;
}

void dk_images_free(dk_images *c) {
    if (!c) return;
    for (entry *e = c->entries, *next; e; e = next) {
        next = e->next;
        if (e->img.surface) cairo_surface_destroy(e->img.surface);
        free(e->key);
        free(e);
    }
    for (int i = 0; i < c->nallowed; i++) free(c->allowed[i]);
    free(c->allowed);
    free(c->deck_dir);
    free(c->root);
    free(c);
}

const char *dk_images_root(const dk_images *c) { return c->root; }

void dk_images_set_budget(dk_images *c, double pixels) { c->budget = pixels; }

/*
 * One more folder (its realpath) whose files images may be: the root itself
 * is not widened, so a theme or --assets folder elsewhere does not open up
 * everything between it and the deck.
 */
dk_status dk_images_allow(dk_images *c, const char *dir) {
    char *real = realpath(dir, NULL);
    if (!real) return errno == ENOMEM ? DK_ENOMEM : DK_OK; /* nothing there to allow */
    char **v = realloc(c->allowed, (size_t)(c->nallowed + 1) * sizeof *v);
    if (!v) {
        free(real);
        return DK_ENOMEM;
    }
    c->allowed = v;
    c->allowed[c->nallowed++] = real;
    return DK_OK;
}

static int hexval(char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* %XX-decode (a literal file name with '%' and no valid escape stays as is). */
static void url_decode(char *s) {
    char *w = s;
    for (char *r = s; *r; r++) {
        if (r[0] == '%' && hexval(r[1]) >= 0 && hexval(r[2]) >= 0) {
            *w++ = (char)(hexval(r[1]) * 16 + hexval(r[2]));
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = 0;
}

static int inside(const char *path, const char *dir) {
    size_t n = strlen(dir);
    if (strcmp(dir, "/") == 0) return 1;
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == 0);
}

char *dk_images_resolve(dk_images *c, const char *src, const char **why) {
    *why = NULL;
    /* a scheme: only file: is ours; everything else would be the network */
    const char *colon = strchr(src, ':');
    const char *slash = strchr(src, '/');
    if (colon && (!slash || colon < slash) && colon - src > 1) {
        if (strncmp(src, "file://", 7) == 0) {
            src += 7;
        } else {
            *why = why_remote;
            return NULL;
        }
    }
    /* drop a query or fragment */
    char *rel = strdup(src);
    if (!rel) return NULL;
    rel[strcspn(rel, "?#")] = 0;
    url_decode(rel);
    char *joined;
    if (rel[0] == '/') {
        joined = rel;
    } else {
        size_t n = strlen(c->deck_dir) + strlen(rel) + 2;
        joined = malloc(n);
        if (!joined) {
            free(rel);
            return NULL;
        }
        snprintf(joined, n, "%s/%s", c->deck_dir, rel);
        free(rel);
    }
    char *real = realpath(joined, NULL);
    free(joined);
    if (!real) {
        *why = strerror(errno);
        return NULL;
    }
    int ok = c->allow_outside || inside(real, c->root);
    for (int i = 0; i < c->nallowed && !ok; i++) ok = inside(real, c->allowed[i]);
    if (!ok) {
        *why = why_outside;
        free(real);
        return NULL;
    }
    return real;
}

static int too_big(int w, int h) {
    return w <= 0 || h <= 0 || w > MAX_SIDE || h > MAX_SIDE || (double)w * h > MAX_PIXELS;
}

static uint32_t be32(const unsigned char *b) {
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Take a finished surface into the image; *why on a cairo error. */
static void take(dk_image *img, cairo_surface_t *s, const char **why) {
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        *why = cairo_status_to_string(cairo_surface_status(s));
        cairo_surface_destroy(s);
        return;
    }
    img->surface = s;
    img->missing = 0;
}

/* ---- PNG ------------------------------------------------------------------------------- */

typedef struct {
    const unsigned char *p;
    size_t n, at;
} reader;

static cairo_status_t read_mem(void *closure, unsigned char *data, unsigned int n) {
    reader *r = closure;
    if (r->n - r->at < n) return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->p + r->at, n);
    r->at += n;
    return CAIRO_STATUS_SUCCESS;
}

static void load_png(dk_image *img, const unsigned char *p, size_t n, const char **why) {
    if (n < 24 || memcmp(p + 12, "IHDR", 4) != 0) {
        *why = "broken PNG header";
        return;
    }
    int w = (int)be32(p + 16), h = (int)be32(p + 20);
    if (too_big(w, h)) {
        *why = why_too_large;
        return;
    }
    reader r = {p, n, 0};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_mem, &r);
    take(img, s, why);
    if (!img->missing) {
        img->w = cairo_image_surface_get_width(s);
        img->h = cairo_image_surface_get_height(s);
    }
}

/* ---- JPEG ------------------------------------------------------------------------------ */

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jmp;
    char msg[JMSG_LENGTH_MAX];
} jpeg_err;

static void jpeg_fail(j_common_ptr cinfo) {
    jpeg_err *e = (jpeg_err *)cinfo->err;
    e->pub.format_message(cinfo, e->msg);
    longjmp(e->jmp, 1);
}

static void jpeg_quiet(j_common_ptr cinfo, int level) {
    (void)cinfo;
    (void)level; /* corrupt-data warnings: the picture is still shown */
}

/*
 * Decode into an RGB24 surface. `data` (malloc'd, n bytes) is handed over:
 * it becomes the surface's JPEG MIME data, or is freed.
 */
static void load_jpeg(dk_image *img, unsigned char *bytes, size_t n, const char **why, char *msg) {
    unsigned char *volatile data = bytes; /* survives longjmp */
    struct jpeg_decompress_struct cinfo;
    jpeg_err err;
    cairo_surface_t *volatile s = NULL;
    unsigned char *volatile row = NULL;
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = jpeg_fail;
    err.pub.emit_message = jpeg_quiet;
    strcpy(err.msg, "out of memory");
    if (setjmp(err.jmp)) {
        snprintf(msg, WHY_MAX, "broken JPEG: %s", err.msg);
        *why = msg;
        jpeg_destroy_decompress(&cinfo);
        if (s) cairo_surface_destroy(s);
        free(row);
        free(data);
        return;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)n);
    jpeg_read_header(&cinfo, TRUE);
    if (too_big((int)cinfo.image_width, (int)cinfo.image_height)) {
        *why = why_too_large;
        jpeg_destroy_decompress(&cinfo);
        free(data);
        return;
    }
    int cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    if (cmyk) cinfo.out_color_space = JCS_CMYK;
    else cinfo.out_color_space = G_BYTE_ORDER == G_LITTLE_ENDIAN ? JCS_EXT_BGRX : JCS_EXT_XRGB;
    jpeg_start_decompress(&cinfo);
    int w = (int)cinfo.output_width, h = (int)cinfo.output_height;
    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        *why = cairo_status_to_string(cairo_surface_status(s));
        jpeg_destroy_decompress(&cinfo);
        cairo_surface_destroy(s);
        free(data);
        return;
    }
    cairo_surface_flush(s);
    unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    if (cmyk) {
        row = malloc((size_t)w * 4);
        if (!row) longjmp(err.jmp, 1);
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        unsigned char *dst = px + (size_t)cinfo.output_scanline * stride;
        JSAMPROW rp = cmyk ? row : dst;
        jpeg_read_scanlines(&cinfo, &rp, 1);
        if (!cmyk) continue;
        /* Photoshop writes inverted CMYK (Adobe marker), which is what libjpeg hands on */
        uint32_t *o = (uint32_t *)dst;
        for (int x = 0; x < w; x++) {
            unsigned c = row[4 * x], m = row[4 * x + 1], y = row[4 * x + 2], k = row[4 * x + 3];
            if (!cinfo.saw_Adobe_marker) c = 255 - c, m = 255 - m, y = 255 - y, k = 255 - k;
            o[x] = 0xff000000u | (c * k / 255) << 16 | (m * k / 255) << 8 | (y * k / 255);
        }
    }
    jpeg_finish_decompress(&cinfo);
    int comps = cinfo.num_components;
    jpeg_destroy_decompress(&cinfo);
    free(row);
    cairo_surface_mark_dirty(s);
    /* the PDF embeds these bytes instead of the pixels (not for CMYK: see the top) */
    if (!cmyk && (comps == 1 || comps == 3) &&
        cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, data, n, free, data) ==
            CAIRO_STATUS_SUCCESS) {
        data = NULL;
    }
    free(data);
    img->w = w;
    img->h = h;
    take(img, s, why);
}

/* ---- SVG -------------------------------------------------------------------------------- */

static int looks_like_svg(const unsigned char *p, size_t n) {
    size_t m = n < 4096 ? n : 4096;
    for (size_t i = 0; i + 4 <= m; i++)
        if (p[i] == '<' && (p[i + 1] == 's' || p[i + 1] == 'S') && (p[i + 2] | 32) == 'v' &&
            (p[i + 3] | 32) == 'g')
            return 1;
    return 0;
}

/*
 * A copy of the SVG with its links (<a> elements) made plain groups (<g>),
 * as the document they were in had never been linked: an SVG shown as an
 * image is not interactive in a browser either. It matters because librsvg
 * 2.54 turns links into cairo tags, and cairo 1.16's recording surface
 * keeps the tag's attribute string without copying it; a PDF that replays
 * the recording then reads freed memory (draw.io exports all carry a link).
 * Malloc'd; NULL on OOM.
 */
static char *svg_unlink(const unsigned char *p, size_t n) {
    char *out = malloc(n + 1);
    if (!out) return NULL;
    memcpy(out, p, n);
    out[n] = 0;
    for (size_t i = 0; i + 2 < n; i++) {
        if (out[i] != '<') continue;
        size_t k = i + 1 + (out[i + 1] == '/');
        if (k + 4 <= n && memcmp(out + k, "svg:", 4) == 0) k += 4; /* a prefixed name */
        if (k + 1 < n && out[k] == 'a' && strchr(" \t\r\n>/", out[k + 1])) out[k] = 'g';
    }
    return out;
}

static void load_svg(dk_image *img, const unsigned char *svg, size_t svg_n, const char **why,
                     char *msg) {
    GError *err = NULL;
    char *copy = svg_unlink(svg, svg_n);
    if (!copy) {
        *why = "out of memory";
        return;
    }
    GInputStream *in = g_memory_input_stream_new_from_data(copy, (gssize)svg_n, free);
    GFile *f = g_file_new_for_path(img->path);
    /* the file's folder is the base: librsvg loads nothing from outside it */
    RsvgHandle *h = rsvg_handle_new_from_stream_sync(in, f, RSVG_HANDLE_FLAGS_NONE, NULL, &err);
    g_object_unref(in);
    g_object_unref(f);
    if (!h) {
        snprintf(msg, WHY_MAX, "broken SVG: %s", err ? err->message : "cannot be parsed");
        *why = msg;
        if (err) g_error_free(err);
        return;
    }
    double w = 0, hh = 0;
    if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hh) || w <= 0 || hh <= 0) {
        /* no absolute width/height: the viewBox's size, else HTML's 300x150 */
        gboolean has_w, has_h, has_vb;
        RsvgLength lw, lh;
        RsvgRectangle vb;
        rsvg_handle_get_intrinsic_dimensions(h, &has_w, &lw, &has_h, &lh, &has_vb, &vb);
        if (has_vb && vb.width > 0 && vb.height > 0) {
            w = vb.width;
            hh = vb.height;
        } else {
            w = 300;
            hh = 150;
        }
    }
    if (too_big((int)ceil(w), (int)ceil(hh))) {
        *why = why_too_large;
        g_object_unref(h);
        return;
    }
    cairo_rectangle_t ext = {0, 0, w, hh};
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
    cairo_t *cr = cairo_create(s);
    RsvgRectangle vp = {0, 0, w, hh};
    if (!rsvg_handle_render_document(h, cr, &vp, &err)) {
        snprintf(msg, WHY_MAX, "broken SVG: %s", err ? err->message : "cannot be drawn");
        *why = msg;
        if (err) g_error_free(err);
        cairo_destroy(cr);
        cairo_surface_destroy(s);
        g_object_unref(h);
        return;
    }
    cairo_destroy(cr);
    g_object_unref(h);
    /* the box's intrinsic size: CSS px, rounded like a browser's naturalWidth */
    img->w = (int)lround(w) > 0 ? (int)lround(w) : 1;
    img->h = (int)lround(hh) > 0 ? (int)lround(hh) : 1;
    if (img->w != w || img->h != hh) {
        /* keep drawing scale = box / intrinsic exact: re-frame the recording */
        cairo_rectangle_t e2 = {0, 0, img->w, img->h};
        cairo_surface_t *s2 = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &e2);
        cairo_t *c2 = cairo_create(s2);
        cairo_scale(c2, img->w / w, img->h / hh);
        cairo_set_source_surface(c2, s, 0, 0);
        cairo_paint(c2);
        cairo_destroy(c2);
        cairo_surface_destroy(s);
        s = s2;
    }
    take(img, s, why);
}

/* ---- everything gdk-pixbuf reads (GIF, WebP, BMP, TIFF) ---------------------------------- */

static void load_pixbuf(dk_image *img, const char *kind, const char **why, char *msg) {
    int w = 0, h = 0;
    GdkPixbufFormat *fmt = gdk_pixbuf_get_file_info(img->path, &w, &h);
    if (!fmt) {
        snprintf(msg, WHY_MAX, "%s images cannot be read here%s", kind,
                 strcmp(kind, "WebP") == 0 ? " (install webp-pixbuf-loader)" : "");
        *why = msg;
        return;
    }
    if (too_big(w, h)) {
        *why = why_too_large;
        return;
    }
    GError *err = NULL;
    GdkPixbuf *pb = gdk_pixbuf_new_from_file(img->path, &err);
    if (!pb) {
        snprintf(msg, WHY_MAX, "broken %s: %s", kind, err ? err->message : "cannot be read");
        *why = msg;
        if (err) g_error_free(err);
        return;
    }
    w = gdk_pixbuf_get_width(pb);
    h = gdk_pixbuf_get_height(pb);
    int nch = gdk_pixbuf_get_n_channels(pb), alpha = gdk_pixbuf_get_has_alpha(pb);
    int sstride = gdk_pixbuf_get_rowstride(pb);
    const guchar *src = gdk_pixbuf_read_pixels(pb);
    cairo_surface_t *s =
        cairo_image_surface_create(alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
        cairo_surface_flush(s);
        unsigned char *dst = cairo_image_surface_get_data(s);
        int dstride = cairo_image_surface_get_stride(s);
        for (int y = 0; y < h; y++) {
            const guchar *sp = src + (size_t)y * sstride;
            uint32_t *dp = (uint32_t *)(dst + (size_t)y * dstride);
            for (int x = 0; x < w; x++, sp += nch) {
                unsigned a = alpha ? sp[3] : 255;
                unsigned r = sp[0] * a / 255, g = sp[1] * a / 255, b = sp[2] * a / 255;
                dp[x] = a << 24 | r << 16 | g << 8 | b; /* premultiplied, native order */
            }
        }
        cairo_surface_mark_dirty(s);
        img->w = w;
        img->h = h;
    }
    g_object_unref(pb);
    take(img, s, why);
}

static void load(dk_image *img, const char **why, char *msg, int *unreadable) {
    char *data = NULL;
    size_t n = 0;
    errno = 0;
    struct stat st;
    if (stat(img->path, &st) == 0 && !S_ISREG(st.st_mode)) {
        *why = "not a regular file"; /* a FIFO would block, a device never end */
        return;
    }
    if (stat(img->path, &st) == 0 && (unsigned long long)st.st_size > DK_LIMIT_IMAGE_BYTES) {
        *why = why_file_large;
        return;
    }
    if (dk_file_read(img->path, &data, &n) != DK_OK) {
        *unreadable = 1;
        *why = errno ? strerror(errno) : "cannot be read";
        free(data);
        return;
    }
    const unsigned char *p = (const unsigned char *)data;
    static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n >= 8 && memcmp(p, png_sig, 8) == 0) {
        load_png(img, p, n, why);
    } else if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff) {
        load_jpeg(img, (unsigned char *)data, n, why, msg);
        data = NULL; /* handed over */
    } else if (n >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0)) {
        load_pixbuf(img, "GIF", why, msg);
    } else if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0) {
        load_pixbuf(img, "WebP", why, msg);
    } else if (n >= 2 && ((p[0] == 'B' && p[1] == 'M') || (n >= 4 && (memcmp(p, "II*", 4) == 0 ||
                                                                      memcmp(p, "MM\0*", 4) == 0)))) {
        load_pixbuf(img, p[0] == 'B' ? "BMP" : "TIFF", why, msg);
    } else if (looks_like_svg(p, n)) {
        load_svg(img, p, n, why, msg);
    } else {
        *why = "not an image deckle can read (PNG, JPEG, SVG, GIF, WebP, BMP, TIFF)";
    }
    free(data);
}

const dk_image *dk_images_get(dk_ctx *ctx, dk_images *c, const char *src, size_t off) {
    const char *why = NULL;
    char *path = dk_images_resolve(c, src, &why);
    const char *key = path ? path : src;
    for (entry *e = c->entries; e; e = e->next) {
        if (strcmp(e->key, key) == 0) {
            free(path);
            return &e->img;
        }
    }
    entry *e = calloc(1, sizeof *e);
    if (!e) {
        free(path);
        return NULL;
    }
    e->key = path ? path : strdup(src);
    if (!e->key) {
        free(e);
        return NULL;
    }
    e->img.missing = 1;
    e->img.path = path;
    char msg[WHY_MAX];
    int unreadable = 0; /* found, but not read (I/O) rather than not decoded */
    if (path && c->pixels >= c->budget) {
        why = why_budget; /* decompression bombs, or a deck of 100 photos: memory is finite */
    } else if (path) {
        load(&e->img, &why, msg, &unreadable);
        if (!e->img.missing) c->pixels += (double)e->img.w * e->img.h;
    }
    if (e->img.missing) {
        /* not found or unreadable: missing; found but not decodable: format */
        const char *code = why == why_remote      ? "image-remote"
                           : why == why_outside   ? "image-outside"
                           : why == why_too_large || why == why_budget || why == why_file_large
                               ? "image-too-large"
                           : !path || unreadable  ? "image-missing"
                                                  : "image-format";
        dk_diag_warn_code(ctx, off, code, "image '%s': %s", src, why ? why : "cannot be read");
    }
    e->next = c->entries;
    c->entries = e;
    return &e->img;
}
