/*
 * image/ implementation: path rules, a cache, decoding.
 *
 * The format is sniffed from the first bytes, never from the file name
 * (except that an XML file is taken as SVG only when it holds an <svg>):
 *
 *   PNG   only the chunks are read at first (pngpass.c): an opaque PNG goes
 *         into a PDF undecoded (pngpass.h), and is decoded (load_png) only
 *         when a raster or SVG output draws it; other PNGs (alpha,
 *         interlaced, damaged) are decoded at once, so that a broken file
 *         warns where it is used. 8-bit RGB and RGBA go through pngraw.c
 *         (libdeflate: screenshots decode 2-2.5x faster), the rest libpng.
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
 * librsvg and gdk-pixbuf are loaded (dlopen) when the first image that
 * needs them is drawn, not when the process starts: most decks have none.
 *
 * Every decoder reads the header first and refuses images whose pixel
 * count would not fit a sane budget, so a file claiming 60000x60000 pixels
 * is a warning, not a 14 GB allocation. EXIF orientation is not applied
 * (the image is drawn as stored, as with CSS image-orientation: none).
 */
#define _GNU_SOURCE
#include "image.h"
#include "pngpass.h"
#include "pngraw.h"

#include <cairo.h>
#include <dlfcn.h>
#include <errno.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jpeglib.h> /* after stdio.h */
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

enum { NSCALED = 4 };

typedef struct entry {
    struct entry *next;
    char *key;  /* resolved path, or the src as written when unresolved */
    dk_image img;
    cairo_surface_t *surface; /* decoded pixels or an SVG's recording; NULL until needed */
    unsigned char *png;       /* a pass-through PNG's file (decoded only on demand) */
    size_t npng;
    dk_pngpass_info pass;
    cairo_surface_t *standin; /* its PDF stand-in, made on first use */
    int failed;               /* decoding on demand failed (warned) */
    cairo_surface_t *scaled[NSCALED]; /* raster: pixels resized for a box, most recent first */
    dk_ctx *ctx;              /* for a warning from decoding on demand: where first used */
    size_t off;
    char *src;
    struct decode_task *decode; /* a pass-through PNG being decoded on the pool, or NULL */
    dk_pool *pool;              /* the cache's (dk_images_set_pool), or NULL */
} entry;

#define ENTRY(img) ((entry *)((char *)(img) - offsetof(entry, img)))

static void pool_use(int delta); /* pixel memory, below */

struct dk_images {
    char *deck_dir; /* realpath */
    char *root;     /* realpath of the project root */
    int allow_outside;
    char **allowed; /* realpaths of more folders images may come from (--assets, themes) */
    int nallowed;
    double pixels, budget; /* decoded so far, and the most a deck may (DK_LIMIT_DECK_PIXELS) */
    entry *entries;
    dk_pool *pool;  /* PNGs are decoded on it as soon as they are met, or NULL */
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
    pool_use(1);
    if (!c->deck_dir || !c->root) {
        dk_images_free(c);
        return DK_ENOMEM;
    }
    *out = c;
    return DK_OK;
}

static void decode_drop(entry *e);

void dk_images_free(dk_images *c) {
    if (!c) return;
    for (entry *e = c->entries, *next; e; e = next) {
        next = e->next;
        if (e->decode) decode_drop(e); /* an image laid out, never drawn */
        if (e->surface) cairo_surface_destroy(e->surface);
        if (e->standin) cairo_surface_destroy(e->standin);
        for (int i = 0; i < NSCALED; i++)
            if (e->scaled[i]) cairo_surface_destroy(e->scaled[i]);
        free(e->png);
        free(e->src);
        free(e->key);
        free(e);
    }
    for (int i = 0; i < c->nallowed; i++) free(c->allowed[i]);
    free(c->allowed);
    free(c->deck_dir);
    pool_use(-1);
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
    ENTRY(img)->surface = s;
    img->missing = 0;
}

/* ---- pixel memory ------------------------------------------------------------------------ */

typedef struct {
    void *p;
    size_t n;    /* mapped */
    size_t used; /* asked for by its holder */
    size_t warm; /* the most any holder asked for: the pages faulted in; zeros beyond */
} mapping;

static const cairo_user_data_key_t mapping_key;

/*
 * Pixel buffers of 1 MB or more (`pooled`) are mappings of their own, 2 MB-aligned
 * and marked for transparent huge pages, and a freed one is kept (up to
 * POOL_MAX) for the next: memory fresh from the kernel is what costs. It
 * faults and zeroes pages at 2-8 GB/s on a 2-core VM, memset at 20 GB/s, and
 * a page the host took back after a run costs ~2 ms a MB again; on the seed
 * deck at 1.5x, fresh pages were a fifth of the time (perf: clear_page), one
 * slide surface, decoded image and inflate buffer after another. A buffer
 * takes the kept mapping already warm for it (written that far before),
 * and a new surface is cleared only as far as its memory was written.
 * Mappings are `span` long at least (address space only: a page costs once
 * written), so that any buffer up to that size can take any kept one; a
 * buffer the cache keeps for the deck (a reduced image) takes a fresh one
 * of its own, leaving the kept ones to the next slide. With -j 2 that made
 * the seed's huge-page faults at 1.5x 19 instead of 27, and 15 instead of
 * 19 with -j 1. The pool lives while some dk_images does (a deck's render).
 */
enum { POOL_MAX = 4 };
static const size_t huge = (size_t)2 << 20, span = (size_t)16 << 20;
/* 1 MB, not 2: a mapping at most twice the buffer, for one huge-page fault instead of 256
   or more small ones (a fault cost ~15 us on a 2-core VM: the seed's reduced images at 1.5x
   were 1,760 of its 3,200 faults) */
static const size_t pooled = huge / 2;
static mapping pool[POOL_MAX];
static int npool;
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * A mapping of at least n bytes, contents undefined up to its `warm`, zeros after: a kept
 * one, warm for n bytes if one is, else the warmest; else (or for a buffer that will be
 * `long_lived`, which would take a kept mapping out of use) a fresh one.
 */
static mapping map_get(size_t n, int long_lived) {
    size_t len = (n + huge - 1) / huge * huge;
    mapping m = {0};
    pthread_mutex_lock(&pool_lock);
    int best = -1;
    for (int i = 0; i < npool && !long_lived; i++) {
        if (pool[i].n < len) continue;
        int warm = pool[i].warm >= n, best_warm = best >= 0 && pool[best].warm >= n;
        if (best < 0 || (warm && !best_warm) ||
            (warm == best_warm && (warm ? pool[i].warm < pool[best].warm
                                        : pool[i].warm > pool[best].warm)))
            best = i;
    }
    if (best >= 0) {
        m = pool[best];
        pool[best] = pool[--npool];
    }
    pthread_mutex_unlock(&pool_lock);
    if (m.p) {
        m.used = n;
        return m;
    }
    if (!long_lived) len = DK_MAX(len, span); /* any short-lived buffer fits any kept one */
    char *raw = mmap(NULL, len + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return m;
    /* keep the 2 MB-aligned `len` bytes inside, give back the rest */
    size_t head = (huge - (uintptr_t)raw % huge) % huge;
    if (head) munmap(raw, head);
    if (huge - head) munmap(raw + head + len, huge - head);
    m = (mapping){raw + head, len, n, 0};
    madvise(m.p, len, MADV_HUGEPAGE); /* a hint: without it, 4 KB pages as before */
    return m;
}

static int ncaches; /* dk_images alive: the pool is emptied when the last goes */

static void pool_use(int delta) {
    mapping gone[POOL_MAX];
    int ngone = 0;
    pthread_mutex_lock(&pool_lock);
    ncaches += delta;
    if (ncaches == 0)
        while (npool) gone[ngone++] = pool[--npool];
    pthread_mutex_unlock(&pool_lock);
    while (ngone--) munmap(gone[ngone].p, gone[ngone].n);
}

static void map_put(mapping m) {
    pthread_mutex_lock(&pool_lock);
    int kept = npool < POOL_MAX && ncaches > 0;
    m.warm = DK_MAX(m.warm, m.used);
    if (kept) pool[npool++] = m;
    pthread_mutex_unlock(&pool_lock);
    if (!kept) munmap(m.p, m.n);
}

static void unmap(void *m) {
    map_put(*(mapping *)m);
    free(m);
}

/* A scratch buffer of n bytes: a mapping from `pooled` on (*m), else malloc'd (m->p NULL). */
static void *scratch_get(size_t n, mapping *m) {
    *m = n >= pooled ? map_get(n, 0) : (mapping){0};
    return m->p ? m->p : n >= pooled ? NULL : malloc(n ? n : 1);
}

static void scratch_put(void *p, mapping m) {
    if (m.p) map_put(m);
    else free(p);
}

/* dk_image_surface_new, for a surface that will be `long_lived` or not (map_get). */
static cairo_surface_t *surface_new(cairo_format_t f, int w, int h, int long_lived) {
    int stride = cairo_format_stride_for_width(f, w);
    size_t n = stride > 0 && h > 0 ? (size_t)stride * (size_t)h : 0;
    if (n < pooled) return cairo_image_surface_create(f, w, h);
    mapping *m = malloc(sizeof *m);
    if (m) *m = map_get(n, long_lived);
    if (!m || !m->p) {
        free(m);
        return cairo_image_surface_create(f, w, h);
    }
    memset(m->p, 0, DK_MIN(n, m->warm)); /* what a new surface holds; zeros beyond warm */
    cairo_surface_t *s = cairo_image_surface_create_for_data(m->p, f, w, h, stride);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS ||
        cairo_surface_set_user_data(s, &mapping_key, m, unmap) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        unmap(m);
        return cairo_image_surface_create(f, w, h);
    }
    return s;
}

cairo_surface_t *dk_image_surface_new(cairo_format_t f, int w, int h) {
    return surface_new(f, w, h, 0);
}

/* Fresh mappings (not kept ones) written a zero a page, so still all zeros: kept with
   nothing to clear (warm 0). In huge pages that is one fault and one clear a 2 MB. */
static void prewarm_run(dk_task *t) {
    dk_prewarm *w = (dk_prewarm *)t;
    for (int i = 0; i < w->count; i++) {
        mapping m = map_get(w->n, 1);
        if (!m.p) return;
        for (size_t o = 0; o < w->n; o += 4096) ((volatile char *)m.p)[o] = 0;
        m.used = 0;
        map_put(m);
    }
}

void dk_images_prewarm(dk_pool *threads, dk_prewarm *w, size_t n, int count) {
    *w = (dk_prewarm){.task = {.run = prewarm_run}, .pool = threads, .n = n,
                      .count = DK_MIN(count, POOL_MAX)};
    if (dk_pool_threads(threads) > 1 && n >= pooled && w->count > 0)
        dk_pool_submit(threads, &w->task, 0);
    else
        w->count = 0;
}

void dk_images_prewarm_wait(dk_prewarm *w) {
    if (w->count > 0) dk_pool_wait(w->pool, &w->task);
    w->count = 0;
}

void dk_images_set_pool(dk_images *c, dk_pool *p) { c->pool = p; }

/* ---- PNG ------------------------------------------------------------------------------- */

/*
 * libpng straight into a cairo surface, as cairo's own reader does it
 * (palette and gray expanded, tRNS as alpha, 16 bits scaled to 8, gamma
 * ignored) minus its copies: rows are read into the surface as B G R X
 * (A), the layout of cairo's native-endian words, and only images with
 * alpha get a second pass (premultiplication). The zlib stream's Adler-32
 * is not checked (chunk CRCs are).
 */
typedef struct {
    const unsigned char *p;
    size_t n, at;
    jmp_buf jmp;
    char msg[WHY_MAX];
} png_src;

static void png_read_mem(png_structp png, png_bytep data, size_t n) {
    png_src *r = png_get_io_ptr(png);
    if (r->n - r->at < n) png_error(png, "the file ends early");
    memcpy(data, r->p + r->at, n);
    r->at += n;
}

static void png_fail(png_structp png, png_const_charp msg) {
    png_src *r = png_get_error_ptr(png);
    snprintf(r->msg, sizeof r->msg, "broken PNG: %s", msg);
    longjmp(r->jmp, 1);
}

static void png_quiet(png_structp png, png_const_charp msg) {
    (void)png;
    (void)msg; /* damaged ancillary chunks: the picture is still shown */
}

/* The decoded PNG `p` (n bytes) in `s` taken into the image, the file riding along. */
static void png_done(dk_image *img, cairo_surface_t *s, const unsigned char *p, size_t n,
                     const char **why) {
    cairo_surface_mark_dirty(s);
    /* the file rides along: cairo's SVG writer embeds it instead of re-encoding the pixels */
    unsigned char *copy = malloc(n);
    if (copy) {
        memcpy(copy, p, n);
        if (cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_PNG, copy, n, free, copy))
            free(copy);
    }
    img->w = cairo_image_surface_get_width(s);
    img->h = cairo_image_surface_get_height(s);
    take(img, s, why);
}

/* pngraw.h's decoder, for the PNGs it takes: 1 when it decoded `p` into the image. */
static int load_png_raw(dk_image *img, const unsigned char *p, size_t n,
                        const dk_pngpass_info *info, const char **why) {
    if (!dk_pngraw_takes(info)) return 0;
    cairo_surface_t *s = dk_image_surface_new(
        info->ctype == 6 ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, info->w, info->h);
    mapping m;
    void *scratch = scratch_get(dk_pngraw_scratch(info), &m);
    int r = -1;
    if (scratch && cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
        cairo_surface_flush(s);
        r = dk_pngraw_decode(p, n, info, scratch, cairo_image_surface_get_data(s),
                             cairo_image_surface_get_stride(s));
    }
    if (scratch) scratch_put(scratch, m);
    if (r == 1) {
        png_done(img, s, p, n, why);
        return 1;
    }
    cairo_surface_destroy(s);
    if (r == 0) return 0; /* libpng decodes it, or says what is wrong */
    *why = "out of memory";
    return 1;
}

/* Decode the PNG `p` (n bytes, its chunks scanned into `chunks`). */
static void load_png(dk_image *img, const unsigned char *p, size_t n, const dk_pngpass_info *chunks,
                     const char **why, char *msg) {
    if (n < 24 || memcmp(p + 12, "IHDR", 4) != 0) {
        *why = "broken PNG header";
        return;
    }
    int w = (int)be32(p + 16), h = (int)be32(p + 20);
    if (too_big(w, h)) {
        *why = why_too_large;
        return;
    }
    if (load_png_raw(img, p, n, chunks, why)) return;
    png_src r = {.p = p, .n = n};
    cairo_surface_t *volatile s = NULL;
    png_bytep *volatile rows = NULL;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r, png_fail, png_quiet);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        png_destroy_read_struct(png ? &png : NULL, NULL, NULL);
        *why = "out of memory";
        return;
    }
    if (setjmp(r.jmp)) {
        snprintf(msg, WHY_MAX, "%s", r.msg);
        *why = msg;
        png_destroy_read_struct(&png, &info, NULL);
        if (s) cairo_surface_destroy(s);
        free(rows);
        return;
    }
    png_set_read_fn(png, &r, png_read_mem);
#ifdef PNG_IGNORE_ADLER32
    png_set_option(png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
#endif
    png_read_info(png, info);
    int ctype = png_get_color_type(png, info), depth = png_get_bit_depth(png, info);
    if (ctype == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (ctype == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    if (depth == 16) png_set_scale_16(png);
    if (ctype == PNG_COLOR_TYPE_GRAY || ctype == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    int le = G_BYTE_ORDER == G_LITTLE_ENDIAN;
    if (le) png_set_bgr(png); /* B G R A in memory: 0xAARRGGBB read as a little-endian word */
    png_set_filler(png, 0xff, le ? PNG_FILLER_AFTER : PNG_FILLER_BEFORE);
    if (!le) png_set_swap_alpha(png); /* A R G B */
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    int alpha = png_get_color_type(png, info) & PNG_COLOR_MASK_ALPHA;
    w = (int)png_get_image_width(png, info);
    h = (int)png_get_image_height(png, info);
    s = dk_image_surface_new(alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) png_error(png, "out of memory");
    rows = malloc((size_t)h * sizeof *rows);
    if (!rows) png_error(png, "out of memory");
    cairo_surface_flush(s);
    unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < h; y++) rows[y] = px + (size_t)y * stride;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);
    if (alpha) {
        for (int y = 0; y < h; y++) {
            uint32_t *o = (uint32_t *)(px + (size_t)y * stride);
            for (int x = 0; x < w; x++) {
                uint32_t v = o[x], a = v >> 24;
                if (a == 255) continue;
                uint32_t r8 = ((v >> 16 & 0xff) * a + 127) / 255;
                uint32_t g8 = ((v >> 8 & 0xff) * a + 127) / 255;
                uint32_t b8 = ((v & 0xff) * a + 127) / 255;
                o[x] = a << 24 | r8 << 16 | g8 << 8 | b8;
            }
        }
    }
    png_done(img, s, p, n, why);
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
    s = dk_image_surface_new(CAIRO_FORMAT_RGB24, w, h);
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
    dk_pngpass_standin_info fake;
    if (!cmyk && (comps == 1 || comps == 3) && !dk_pngpass_parse(data, n, &fake) &&
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

/*
 * librsvg draws an SVG's text with pango's default font map, whose fonts
 * come from fontconfig's current configuration: the system's, as a browser
 * would draw the image. When deckle's private configuration is the current
 * one (the CLI), the default font map is given the system configuration
 * of its own instead, loaded when the first SVG is drawn: a deck without
 * SVG images does not pay for it.
 */
static int svg_system_fonts;

void dk_images_svg_system_fonts(void) { svg_system_fonts = 1; }

static void use_system_fonts(void) {
    if (svg_system_fonts != 1) return;
    svg_system_fonts = 2; /* once */
    FcConfig *sys = FcInitLoadConfigAndFonts();
    PangoFontMap *fm = sys ? pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT) : NULL;
    if (fm) {
        pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), sys);
        pango_cairo_font_map_set_default(PANGO_CAIRO_FONT_MAP(fm)); /* takes a reference */
        g_object_unref(fm);
    }
    if (sys) FcConfigDestroy(sys); /* the font map holds its own reference */
}

/*
 * A library loaded when the first image that needs it is drawn (dlopen),
 * and a table `t` of the functions used from it, looked up once: FUNCS is
 * their list, FUNCS(X, t) expanding X(t, name) for each. t_ready() loads
 * it (once, whichever thread asks first) and says whether every function
 * was found. It stays loaded: its types are registered with GObject for
 * good.
 */
#define DL_PTR(t, f) __typeof__(f) *f;
#define DL_SYM(t, f) ok = ok && (*(void **)&t.f = dlsym(lib, #f)) != NULL;
#define DL_LIBRARY(t, FUNCS, soname, flags)             \
    static struct {                                     \
        FUNCS(DL_PTR, t)                                \
        int ok;                                         \
    } t;                                                \
    static void t##_load(void) {                        \
        void *lib = dlopen(soname, flags);              \
        int ok = lib != NULL;                           \
        FUNCS(DL_SYM, t)                                \
        t.ok = ok;                                      \
    }                                                   \
    static int t##_ready(void) {                        \
        static pthread_once_t once = PTHREAD_ONCE_INIT; \
        pthread_once(&once, t##_load);                  \
        return t.ok;                                    \
    }

/*
 * librsvg: it and what it links (libxml2, ICU) cost every process about
 * 3 ms of start-up, a tenth of a small PDF, and most decks have no SVG.
 */
#define RSVG_FUNCS(X, t) \
    X(t, rsvg_handle_new_from_stream_sync) X(t, rsvg_handle_get_intrinsic_size_in_pixels) \
    X(t, rsvg_handle_get_intrinsic_dimensions) X(t, rsvg_handle_render_document)
DL_LIBRARY(rsvg, RSVG_FUNCS, "librsvg-2.so.2", RTLD_NOW | RTLD_LOCAL)

static void load_svg(dk_image *img, const unsigned char *svg, size_t svg_n, const char **why,
                     char *msg) {
    GError *err = NULL;
    if (!rsvg_ready()) {
        *why = "SVG images need librsvg (Debian: librsvg2-2), which could not be loaded";
        return;
    }
    use_system_fonts();
    char *copy = svg_unlink(svg, svg_n);
    if (!copy) {
        *why = "out of memory";
        return;
    }
    GInputStream *in = g_memory_input_stream_new_from_data(copy, (gssize)svg_n, free);
    GFile *f = g_file_new_for_path(img->path);
    /* the file's folder is the base: librsvg loads nothing from outside it */
    RsvgHandle *h =
        rsvg.rsvg_handle_new_from_stream_sync(in, f, RSVG_HANDLE_FLAGS_NONE, NULL, &err);
    g_object_unref(in);
    g_object_unref(f);
    if (!h) {
        snprintf(msg, WHY_MAX, "broken SVG: %s", err ? err->message : "cannot be parsed");
        *why = msg;
        if (err) g_error_free(err);
        return;
    }
    double w = 0, hh = 0;
    if (!rsvg.rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hh) || w <= 0 || hh <= 0) {
        /* no absolute width/height: the viewBox's size, else HTML's 300x150 */
        gboolean has_w, has_h, has_vb;
        RsvgLength lw, lh;
        RsvgRectangle vb;
        rsvg.rsvg_handle_get_intrinsic_dimensions(h, &has_w, &lw, &has_h, &lh, &has_vb, &vb);
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
    if (!rsvg.rsvg_handle_render_document(h, cr, &vp, &err)) {
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

/*
 * gdk-pixbuf (DL_LIBRARY): linked, it cost every process 13 page faults and
 * ~0.6 ms of start-up on a 2-core VM (what it links, GLib and GIO, pango
 * links anyway).
 */
#define PIXBUF_FUNCS(X, t) \
    X(t, gdk_pixbuf_get_file_info) X(t, gdk_pixbuf_new_from_file) X(t, gdk_pixbuf_get_width) \
    X(t, gdk_pixbuf_get_height) X(t, gdk_pixbuf_get_n_channels) X(t, gdk_pixbuf_get_has_alpha) \
    X(t, gdk_pixbuf_get_rowstride) X(t, gdk_pixbuf_read_pixels)
DL_LIBRARY(pixbuf, PIXBUF_FUNCS, DK_PIXBUF_SONAME, RTLD_LAZY | RTLD_LOCAL)

static void load_pixbuf(dk_image *img, const char *kind, const char **why, char *msg) {
    if (!pixbuf_ready()) {
        snprintf(msg, WHY_MAX, "%s images need gdk-pixbuf (Debian: libgdk-pixbuf-2.0-0), which "
                 "could not be loaded", kind);
        *why = msg;
        return;
    }
    int w = 0, h = 0;
    GdkPixbufFormat *fmt = pixbuf.gdk_pixbuf_get_file_info(img->path, &w, &h);
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
    GdkPixbuf *pb = pixbuf.gdk_pixbuf_new_from_file(img->path, &err);
    if (!pb) {
        snprintf(msg, WHY_MAX, "broken %s: %s", kind, err ? err->message : "cannot be read");
        *why = msg;
        if (err) g_error_free(err);
        return;
    }
    w = pixbuf.gdk_pixbuf_get_width(pb);
    h = pixbuf.gdk_pixbuf_get_height(pb);
    int nch = pixbuf.gdk_pixbuf_get_n_channels(pb), alpha = pixbuf.gdk_pixbuf_get_has_alpha(pb);
    int sstride = pixbuf.gdk_pixbuf_get_rowstride(pb);
    const guchar *src = pixbuf.gdk_pixbuf_read_pixels(pb);
    cairo_surface_t *s =
        dk_image_surface_new(alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, w, h);
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
    if (stat(img->path, &st) == 0) {
        if (!S_ISREG(st.st_mode)) {
            *why = "not a regular file"; /* a FIFO would block, a device never end */
            return;
        }
        if ((unsigned long long)st.st_size > DK_LIMIT_IMAGE_BYTES) {
            *why = why_file_large;
            return;
        }
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
        entry *e = ENTRY(img);
        dk_pngpass_scan(p, n, &e->pass);
        if (e->pass.ok && !too_big(e->pass.w, e->pass.h)) {
            img->w = e->pass.w; /* decoded later, if ever (dk_image_source) */
            img->h = e->pass.h;
            img->missing = 0;
            e->png = (unsigned char *)data;
            e->npng = n;
            data = NULL;
        } else {
            load_png(img, p, n, &e->pass, why, msg);
        }
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

/*
 * A pass-through PNG decoded on the pool (dk_images_set_pool): load_png
 * into an entry of the task's own, which pixels() takes over once the task
 * is done; the cache's entry is only read meanwhile (the file, its chunks).
 */
typedef struct decode_task {
    dk_task task;
    const entry *e;
    entry out;
    const char *why;
    char msg[WHY_MAX];
} decode_task;

static void run_decode(dk_task *t) {
    decode_task *d = (decode_task *)t;
    load_png(&d->out.img, d->e->png, d->e->npng, &d->e->pass, &d->why, d->msg);
}

static void decode_ahead(entry *e) {
    decode_task *d = calloc(1, sizeof *d);
    if (!d) return; /* decoded when drawn, as without a pool */
    d->task.run = run_decode;
    d->e = e;
    d->out.img = e->img;
    e->decode = d;
    dk_pool_submit(e->pool, &d->task, 1); /* ahead of rows: the slide waits for it */
}

/* Wait for the entry's decoding to end, and drop what it made. */
static void decode_drop(entry *e) {
    dk_pool_wait(e->pool, &e->decode->task);
    if (e->decode->out.surface) cairo_surface_destroy(e->decode->out.surface);
    free(e->decode);
    e->decode = NULL;
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
    e->ctx = ctx;
    e->pool = c->pool;
    e->off = off;
    if (!(e->src = strdup(src))) {
        free(e->key);
        free(e);
        return NULL;
    }
    char msg[WHY_MAX];
    int unreadable = 0; /* found, but not read (I/O) rather than not decoded */
    if (path && c->pixels >= c->budget) {
        why = why_budget; /* decompression bombs, or a deck of 100 photos: memory is finite */
    } else if (path) {
        load(&e->img, &why, msg, &unreadable);
        if (!e->img.missing) c->pixels += (double)e->img.w * e->img.h;
        if (e->png && e->pool) decode_ahead(e);
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

/* ---- drawing: pixels on demand -------------------------------------------------------- */

/* A pass-through PNG's pixels, decoded now (once); warned about once if that fails. */
static cairo_surface_t *pixels(entry *e) {
    if (e->surface || e->failed || !e->png) return e->surface;
    const char *why = NULL;
    char msg[WHY_MAX];
    decode_task *d = e->decode;
    if (d) { /* decoded on the pool: take what it made */
        dk_pool_wait(e->pool, &d->task);
        e->decode = NULL;
        e->img = d->out.img;
        e->surface = d->out.surface;
        why = d->why == d->msg ? strcpy(msg, d->msg) : d->why;
        free(d);
    } else {
        load_png(&e->img, e->png, e->npng, &e->pass, &why, msg);
    }
    if (!e->surface) {
        e->failed = 1;
        dk_diag_warn_code(e->ctx, e->off, "image-format", "image '%s': %s", e->src,
                          why ? why : "cannot be decoded");
    }
    return e->surface;
}

/* The 1x1 surface whose JPEG MIME data is the PNG's stand-in (pngpass.h); NULL on OOM. */
static cairo_surface_t *standin(entry *e) {
    size_t n;
    unsigned char *d = dk_pngpass_standin(e->png, e->npng, &e->pass, &n);
    if (!d) return NULL;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    if (cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, d, n, free, d) !=
        CAIRO_STATUS_SUCCESS) {
        free(d);
        cairo_surface_destroy(s);
        return NULL;
    }
    return s;
}

void *dk_image_source(const dk_image *img, dk_image_target target, double *sw, double *sh) {
    entry *e = ENTRY(img);
    *sw = img->w;
    *sh = img->h;
    if (img->missing) return NULL;
    if (e->png && target == DK_IMAGE_PDF) {
        if (!e->standin) e->standin = standin(e);
        if (e->standin) {
            *sw = *sh = 1; /* the unit square: what a PDF image is drawn into */
            return e->standin;
        }
    }
    cairo_surface_t *s = e->png ? pixels(e) : e->surface;
    if (s && cairo_surface_get_type(s) == CAIRO_SURFACE_TYPE_IMAGE) {
        *sw = cairo_image_surface_get_width(s);
        *sh = cairo_image_surface_get_height(s);
    }
    return s;
}

/*
 * A box filter from n samples onto m <= n: output i averages the source
 * interval [i n/m, (i+1) n/m), samples weighted by how much of them it
 * covers: source samples from[i] .. from[i] + count[i] - 1, with the weights
 * wt[first[i]] ..., which sum to exactly 1 << 14. Returns `first`, with
 * count and from in the same block; NULL on OOM.
 */
static int *box_taps(int n, int m, int **count, int **from, uint16_t **wt) {
    int *first = malloc(3 * (size_t)m * sizeof *first);
    uint16_t *w = malloc(((size_t)n + 2 * (size_t)m) * sizeof *w);
    if (!first || !w) {
        free(first);
        free(w);
        return NULL;
    }
    *count = first + m;
    *from = first + 2 * (size_t)m;
    double scale = (double)n / m;
    int k = 0;
    for (int i = 0; i < m; i++) {
        double a = i * scale, b = (i + 1) * scale;
        int j0 = (int)a, j1 = (int)ceil(b);
        if (j1 > n) j1 = n;
        if (j1 <= j0) j1 = j0 + 1;
        first[i] = k;
        (*count)[i] = j1 - j0;
        (*from)[i] = j0;
        int given = 0;
        double cum = 0;
        for (int j = j0; j < j1; j++) {
            cum += (DK_MIN(b, j + 1.0) - DK_MAX(a, (double)j)) / scale;
            int upto = j == j1 - 1 ? 1 << 14 : (int)lround(cum * (1 << 14));
            w[k++] = (uint16_t)(upto - given);
            given = upto;
        }
    }
    *wt = w;
    return first;
}

/* four 32-bit lanes (GCC and clang vector extension): one pixel's channels */
typedef uint32_t u32x4 __attribute__((vector_size(16)));

/* What a reduction reads and writes: source, destination, and box_taps' taps both ways. */
typedef struct {
    const unsigned char *sp;
    int ss, sw;
    unsigned char *dp;
    int ds, w;
    int *xc, *x0, *xf, *yc, *y0, *yf;
    uint16_t *xw, *yw;
} reduction;

/* Output rows ya .. yb - 1 of the reduction, with `acc` for sw pixels' channels. */
DK_PIXEL_LOOP
static void reduce_rows(const reduction *r, int ya, int yb, uint32_t *acc) {
    size_t nb = (size_t)r->sw * 4;
    for (int y = ya; y < yb; y++) {
        /* vertical: this output row's source rows averaged, kept with 8 fractional bits */
        const unsigned char *row = r->sp + (size_t)r->y0[y] * r->ss;
        uint32_t wt = r->yw[r->yf[y]];
        for (size_t k = 0; k < nb; k++) acc[k] = row[k] * wt;
        for (int t = 1; t < r->yc[y]; t++) {
            row = r->sp + (size_t)(r->y0[y] + t) * r->ss;
            wt = r->yw[r->yf[y] + t];
            for (size_t k = 0; k < nb; k++) acc[k] += row[k] * wt;
        }
        for (size_t k = 0; k < nb; k++) acc[k] = (acc[k] + 32) >> 6;
        /* horizontal, a pixel's four channels at once */
        unsigned char *o = r->dp + (size_t)y * r->ds;
        for (int x = 0; x < r->w; x++) {
            u32x4 a = {0, 0, 0, 0};
            for (int t = 0; t < r->xc[x]; t++) {
                u32x4 c;
                memcpy(&c, acc + (size_t)(r->x0[x] + t) * 4, sizeof c);
                a += c * (uint32_t)r->xw[r->xf[x] + t];
            }
            a = (a + (1u << 21)) >> 22;
            for (int c = 0; c < 4; c++) o[4 * x + c] = (unsigned char)a[c];
        }
    }
}

/* A run of a reduction's output rows, on the pool. */
typedef struct {
    dk_task task;
    const reduction *r;
    int ya, yb;
    int failed; /* out of memory */
} reduce_part;

static void run_reduce_part(dk_task *t) {
    reduce_part *p = (reduce_part *)t;
    uint32_t *acc = malloc((size_t)p->r->sw * 4 * sizeof *acc);
    p->failed = !acc;
    if (acc) reduce_rows(p->r, p->ya, p->yb, acc);
    free(acc);
}

enum { REDUCE_PARTS = 4 }; /* runs of rows a reduction is cut into on a pool */

/*
 * `src` (RGB24 or ARGB32) reduced to w x h by a box filter (premultiplied:
 * averages right), in a new surface; NULL on OOM. With a pool, the rows are
 * reduced in REDUCE_PARTS runs on its threads: the slide being painted
 * waits for them.
 */
static cairo_surface_t *reduce(cairo_surface_t *src, int w, int h, dk_pool *threads) {
    int sw = cairo_image_surface_get_width(src), sh = cairo_image_surface_get_height(src);
    /* kept in the cache for the deck: not a mapping the next slide's surface could reuse */
    cairo_surface_t *dst = surface_new(cairo_image_surface_get_format(src), w, h, 1);
    reduction r = {.sp = cairo_image_surface_get_data(src), .ss = cairo_image_surface_get_stride(src),
                   .sw = sw, .w = w};
    r.xf = box_taps(sw, w, &r.xc, &r.x0, &r.xw);
    r.yf = box_taps(sh, h, &r.yc, &r.y0, &r.yw);
    reduce_part parts[REDUCE_PARTS];
    int nparts = threads && h >= 4 * REDUCE_PARTS ? REDUCE_PARTS : 1, failed = 0;
    if (cairo_surface_status(dst) || !r.xf || !r.yf) {
        failed = 1;
        goto done;
    }
    cairo_surface_flush(dst);
    r.dp = cairo_image_surface_get_data(dst);
    r.ds = cairo_image_surface_get_stride(dst);
    for (int i = 0; i < nparts; i++) {
        parts[i] = (reduce_part){{run_reduce_part, NULL, 0}, &r, h * i / nparts,
                                 h * (i + 1) / nparts, 0};
        dk_pool_submit(threads, &parts[i].task, 1);
    }
    for (int i = 0; i < nparts; i++) {
        dk_pool_wait(threads, &parts[i].task);
        failed |= parts[i].failed;
    }
    cairo_surface_mark_dirty(dst);
done:
    if (failed) {
        cairo_surface_destroy(dst);
        dst = NULL;
    }
    free(r.xf);
    free(r.xw);
    free(r.yf);
    free(r.yw);
    return dst;
}

void *dk_image_source_scaled(const dk_image *img, int w, int h) {
    entry *e = ENTRY(img);
    if (img->missing || w <= 0 || h <= 0 || w > img->w || h > img->h) return NULL;
    int i = 0;
    while (i < NSCALED && e->scaled[i] && !(cairo_image_surface_get_width(e->scaled[i]) == w &&
                                            cairo_image_surface_get_height(e->scaled[i]) == h))
        i++;
    cairo_surface_t *r;
    if (i < NSCALED && e->scaled[i]) {
        r = e->scaled[i];
    } else {
        cairo_surface_t *s = e->png ? pixels(e) : e->surface;
        if (!s || cairo_surface_get_type(s) != CAIRO_SURFACE_TYPE_IMAGE) return NULL;
        int sw = cairo_image_surface_get_width(s), sh = cairo_image_surface_get_height(s);
        cairo_format_t f = cairo_image_surface_get_format(s);
        if (w > sw || h > sh || (f != CAIRO_FORMAT_RGB24 && f != CAIRO_FORMAT_ARGB32)) return NULL;
        if (w == sw && h == sh) return s;
        if (!(r = reduce(s, w, h, e->pool))) return NULL;
        /* a PNG whose file is kept decodes again if ever needed: its full-size pixels go back
           to the pool for the slide's own surface (an image is mostly shown at one size) */
        if (e->png) {
            cairo_surface_destroy(e->surface);
            e->surface = NULL;
        }
        i = NSCALED - 1;
        if (e->scaled[i]) cairo_surface_destroy(e->scaled[i]);
    }
    memmove(e->scaled + 1, e->scaled, (size_t)i * sizeof *e->scaled); /* most recent first */
    e->scaled[0] = r;
    return r;
}
