/*
 * image/ implementation: path rules, a cache, PNG decoding through cairo.
 *
 * Decoding is cairo's (libpng underneath). We read the PNG header first and
 * refuse images whose pixel count would not fit a sane budget, so a file
 * claiming 60000x60000 pixels is a warning, not a 14 GB allocation.
 */
#define _GNU_SOURCE
#include "image.h"

#include <cairo.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_SIDE = 32768 };
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
    free(c->deck_dir);
    free(c->root);
    free(c);
}

const char *dk_images_root(const dk_images *c) { return c->root; }

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
            *why = "remote images are not fetched";
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
    if (!c->allow_outside && !inside(real, c->root)) {
        *why = "outside the deck's project folder (allow with --allow-outside)";
        free(real);
        return NULL;
    }
    return real;
}

/* Read a PNG's size from its IHDR; 0 if it is not a PNG. */
static int png_size(const char *path, int *w, int *h) {
    unsigned char b[24];
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    size_t got = fread(b, 1, sizeof b, f);
    fclose(f);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (got < 24 || memcmp(b, sig, 8) != 0 || memcmp(b + 12, "IHDR", 4) != 0) return 0;
    *w = (int)((unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19]);
    *h = (int)((unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23]);
    return 1;
}

static void load(dk_image *img, const char **why) {
    int w = 0, h = 0;
    if (!png_size(img->path, &w, &h)) {
        *why = "not a PNG image (other formats are not supported yet)";
        return;
    }
    if (w <= 0 || h <= 0 || w > MAX_SIDE || h > MAX_SIDE || (double)w * h > MAX_PIXELS) {
        *why = "image dimensions are too large";
        return;
    }
    cairo_surface_t *s = cairo_image_surface_create_from_png(img->path);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        *why = cairo_status_to_string(cairo_surface_status(s));
        cairo_surface_destroy(s);
        return;
    }
    img->surface = s;
    img->w = cairo_image_surface_get_width(s);
    img->h = cairo_image_surface_get_height(s);
    img->missing = 0;
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
    if (path) load(&e->img, &why);
    if (e->img.missing) dk_diag_warn(ctx, off, "image '%s': %s", src, why ? why : "cannot be read");
    e->next = c->entries;
    c->entries = e;
    return &e->img;
}
