/*
 * base/ implementation: arena, buffer, diagnostics, files.
 */
#define _GNU_SOURCE
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

const char *dk_status_str(dk_status st) {
    switch (st) {
    case DK_OK: return "ok";
    case DK_ENOMEM: return "out of memory";
    case DK_EIO: return "I/O error";
    case DK_EINPUT: return "bad input";
    case DK_EUSAGE: return "bad usage";
    }
    return "unknown error";
}

int dk_str_eq(dk_str a, const char *lit) {
    size_t n = strlen(lit);
    return a.n == n && memcmp(a.p, lit, n) == 0;
}

int dk_str_ieq(dk_str a, const char *lit) {
    size_t n = strlen(lit);
    if (a.n != n) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = a.p[i];
        if (c >= 'A' && c <= 'Z') c += 32;
        if (c != lit[i]) return 0;
    }
    return 1;
}

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

dk_str dk_str_trim(dk_str s) {
    while (s.n && is_ws(s.p[0])) s.p++, s.n--;
    while (s.n && is_ws(s.p[s.n - 1])) s.n--;
    return s;
}

/* ---- arena ------------------------------------------------------------- */

/*
 * A chain of blocks; allocation bumps a pointer in the newest block. Large
 * requests get a block of their own. Nothing is freed until dk_arena_free.
 */
typedef struct block {
    struct block *next;
    size_t used, cap;
    max_align_t data[];
} block;

typedef struct deferred {
    struct deferred *next;
    void (*fn)(void *);
    void *p;
} deferred;

struct dk_arena {
    block *head;
    deferred *defers;
    long fail_after; /* >0: countdown to an injected failure */
};

enum { BLOCK_SIZE = 64 * 1024 };

dk_arena *dk_arena_new(void) { return calloc(1, sizeof(dk_arena)); }

void dk_arena_free(dk_arena *a) {
    if (!a) return;
    for (deferred *d = a->defers; d; d = d->next) d->fn(d->p);
    for (block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

void dk_arena_fail_after(dk_arena *a, long n) { a->fail_after = n; }

void *dk_arena_alloc(dk_arena *a, size_t n) {
    if (a->fail_after > 0 && --a->fail_after == 0) {
        a->fail_after = -1; /* stay failed: a render that ignores one NULL must not recover */
        return NULL;
    }
    if (a->fail_after < 0) return NULL;
    const size_t align = sizeof(max_align_t);
    n = (n + align - 1) / align * align;
    if (n == 0) n = align;
    block *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > BLOCK_SIZE / 2 ? n : BLOCK_SIZE;
        b = malloc(sizeof(block) + cap);
        if (!b) return NULL;
        b->used = 0;
        b->cap = cap;
        if (n > BLOCK_SIZE / 2 && a->head) {
            /* keep the current block for small allocations */
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

dk_status dk_arena_defer(dk_arena *a, void (*fn)(void *), void *p) {
    deferred *d = dk_arena_alloc(a, sizeof *d);
    if (!d) {
        fn(p);
        return DK_ENOMEM;
    }
    d->fn = fn;
    d->p = p;
    d->next = a->defers;
    a->defers = d;
    return DK_OK;
}

char *dk_arena_strndup(dk_arena *a, const char *s, size_t n) {
    char *p = dk_arena_alloc(a, n + 1);
    if (!p) return NULL;
    if (n) memcpy(p, s, n);
    p[n] = 0;
    return p;
}

/* ---- buffer ------------------------------------------------------------ */

static int buf_grow(dk_buf *b, size_t extra) {
    if (b->oom) return 0;
    if (b->n + extra + 1 <= b->cap) return 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + extra + 1) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = 1;
        return 0;
    }
    b->p = p;
    b->cap = cap;
    return 1;
}

void dk_buf_add(dk_buf *b, const void *p, size_t n) {
    if (!buf_grow(b, n)) return;
    if (n) memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = 0;
}

void dk_buf_adds(dk_buf *b, const char *s) { dk_buf_add(b, s, strlen(s)); }
void dk_buf_addc(dk_buf *b, char c) { dk_buf_add(b, &c, 1); }

void dk_buf_printf(dk_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !buf_grow(b, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

void dk_buf_free(dk_buf *b) {
    free(b->p);
    *b = (dk_buf){0};
}

/* ---- diagnostics --------------------------------------------------------- */

void dk_ctx_init(dk_ctx *ctx, const char *file, const char *src, size_t n) {
    memset(ctx, 0, sizeof *ctx);
    ctx->file = file;
    ctx->src = src;
    ctx->src_len = n;
}

int dk_ctx_once(dk_ctx *ctx, const char *key) {
    uint64_t h = 1469598103934665603ull; /* FNV-1a, 64 bits: collisions are not a concern here */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    for (int i = 0; i < ctx->nonce_keys; i++)
        if (ctx->once_keys[i] == h) return 0;
    if (ctx->nonce_keys >= DK_ONCE_KEYS) return 0;
    ctx->once_keys[ctx->nonce_keys++] = h;
    return 1;
}

void dk_src_linecol(const dk_ctx *ctx, size_t off, int *line, int *col) {
    int l = 1, c = 1;
    if (off > ctx->src_len) off = ctx->src_len;
    for (size_t i = 0; i < off; i++) {
        if (ctx->src[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)ctx->src[i] & 0xC0) != 0x80) {
            c++; /* count characters, not continuation bytes */
        }
    }
    *line = l;
    *col = c;
}

/* Message fragments -> codes, first match wins. The wording lives in the stages. */
static const struct {
    dk_diag_level lv; /* DK_DIAG_NOTE here matches any level */
    const char *has, *code;
} code_table[] = {
    /* callers that have no dk_diag_*_code variant: notes, and stages not yet switched */
    {DK_DIAG_NOTE, "fallback font file", "fonts-missing"}, /* fonts.c, a --verbose note */
    {DK_DIAG_WARN, "<img> without a src", "image-no-src"},
    {DK_DIAG_NOTE, "glyph", "missing-glyph"},
    {DK_DIAG_WARN, "unknown property", "css-unknown-property"},
    {DK_DIAG_WARN, "invalid value", "css-invalid-value"},
    {DK_DIAG_WARN, "empty value", "css-invalid-value"},
    {DK_DIAG_WARN, "invalid selector", "css-invalid-selector"},
    {DK_DIAG_WARN, "media", "css-media"},
    {DK_DIAG_WARN, "at-rule", "css-unsupported-at-rule"},
    {DK_DIAG_WARN, "expected ':'", "css-syntax"},
    {DK_DIAG_WARN, "nested rule", "css-syntax"},
    {DK_DIAG_WARN, "without a {} block", "css-syntax"},
    {DK_DIAG_ERROR, "cannot write", "output-unwritable"},
    {DK_DIAG_ERROR, "PDF", "output-unwritable"},
    {DK_DIAG_ERROR, "PNG", "output-unwritable"},
    {DK_DIAG_ERROR, "--handout", "usage"},
};

const char *dk_diag_code_of(dk_diag_level lv, const char *msg) {
    static const char *const plain[] = {"note", "warning", "error"};
    for (size_t i = 0; i < sizeof code_table / sizeof *code_table; i++) {
        if (code_table[i].lv != DK_DIAG_NOTE && code_table[i].lv != lv) continue;
        if (strstr(msg, code_table[i].has)) return code_table[i].code;
    }
    return plain[lv];
}

/*
 * A CSS sheet that is not the deck (the theme) reports positions inside the
 * message, "theme.css:3:4: text" (css/parse.c): split them off so the record
 * names the sheet's file. Returns the message after the prefix, or NULL.
 */
static const char *split_pos(const char *msg, char **file, int *line, int *col) {
    for (const char *p = strchr(msg, ':'); p; p = strchr(p + 1, ':')) {
        const char *q = p + 1;
        char *e1, *e2;
        long l = strtol(q, &e1, 10);
        if (e1 == q || *e1 != ':' || l <= 0) continue;
        long c = strtol(e1 + 1, &e2, 10);
        if (e2 == e1 + 1 || e2[0] != ':' || e2[1] != ' ' || c <= 0) continue;
        *file = strndup(msg, (size_t)(p - msg));
        if (!*file) return NULL;
        *line = (int)l;
        *col = (int)c;
        return e2 + 2;
    }
    return NULL;
}

static void vdiag(dk_ctx *ctx, dk_diag_level lv, size_t off, const char *code, const char *fmt,
                  va_list ap) {
    static const char *const names[] = {"note", "warning", "error"};
    if (lv == DK_DIAG_WARN) ctx->nwarn++;
    if (lv == DK_DIAG_ERROR) ctx->nerr++;
    dk_buf line = {0};
    const char *file = ctx->file ? ctx->file : "<deck>";
    int l = 0, c = 0;
    if (off != DK_NOPOS && ctx->src) {
        dk_src_linecol(ctx, off, &l, &c);
        dk_buf_printf(&line, "%s:%d:%d: %s: ", file, l, c, names[lv]);
    } else {
        dk_buf_printf(&line, "%s: %s: ", file, names[lv]);
    }
    size_t msg_at = line.n;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n > 0) {
        char *msg = malloc((size_t)n + 1);
        if (msg) {
            vsnprintf(msg, (size_t)n + 1, fmt, ap);
            dk_buf_add(&line, msg, (size_t)n);
            free(msg);
        }
    }
    dk_buf_addc(&line, '\n');
    if (ctx->log) dk_buf_add(ctx->log, line.p, line.n);
    if (ctx->on_diag && !line.oom) {
        char *sheet = NULL;
        const char *msg = line.p + msg_at;
        if (off == DK_NOPOS) {
            const char *rest = split_pos(msg, &sheet, &l, &c);
            if (rest) msg = rest;
        }
        line.p[line.n - 1] = 0; /* the record's text has no newline */
        dk_diag_rec r = {lv, sheet ? sheet : file, l, c, ctx->slide,
                         code ? code : dk_diag_code_of(lv, msg), msg, line.p};
        ctx->on_diag(ctx->diag_ud, &r);
        free(sheet);
    } else if (!ctx->quiet || lv == DK_DIAG_ERROR) {
        fputs(line.p ? line.p : "deckle: out of memory\n", ctx->err ? ctx->err : stderr);
    }
    dk_buf_free(&line);
}

void dk_diag(dk_ctx *ctx, dk_diag_level lv, size_t off, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vdiag(ctx, lv, off, NULL, fmt, ap);
    va_end(ap);
}

void dk_diag_warn(dk_ctx *ctx, size_t off, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vdiag(ctx, DK_DIAG_WARN, off, NULL, fmt, ap);
    va_end(ap);
}

void dk_diag_error(dk_ctx *ctx, size_t off, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vdiag(ctx, DK_DIAG_ERROR, off, NULL, fmt, ap);
    va_end(ap);
}

void dk_diag_warn_code(dk_ctx *ctx, size_t off, const char *code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vdiag(ctx, DK_DIAG_WARN, off, code, fmt, ap);
    va_end(ap);
}

void dk_diag_error_code(dk_ctx *ctx, size_t off, const char *code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vdiag(ctx, DK_DIAG_ERROR, off, code, fmt, ap);
    va_end(ap);
}

void dk_assert_fail(const char *what, const char *file, int line) {
    fprintf(stderr, "%s:%d: assertion failed: %s\n", file, line, what);
    abort();
}

/* ---- files ------------------------------------------------------------- */

dk_status dk_file_read(const char *path, char **out, size_t *n) {
    return dk_file_read_max(path, (size_t)-2, out, n);
}

/*
 * A regular file is read straight into a buffer of its size (fstat), not
 * through stdio into one that doubles as it grows: a 300 KB PDF or image
 * was copied three times, and its pages faulted in twice.
 */
dk_status dk_file_read_max(const char *path, size_t max, char **out, size_t *n) {
    *out = NULL;
    *n = 0;
    int from_stdin = strcmp(path, "-") == 0;
    int fd = from_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return DK_EIO;
    /* room for max + 1 bytes, so that a caller can tell a file longer than max */
    size_t limit = max < (size_t)-2 ? max + 1 : (size_t)-2, cap = 65536, len = 0;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0)
        cap = (size_t)st.st_size + 1; /* + 1: the read that finds the end */
    if (cap > limit) cap = limit;
    char *buf = malloc(cap + 1);
    dk_status st_ = buf ? DK_OK : DK_ENOMEM;
    while (st_ == DK_OK && len < limit) {
        if (len == cap) { /* longer than fstat said, or not a regular file */
            size_t ncap = cap > limit / 2 ? limit : cap * 2;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                st_ = DK_ENOMEM;
                break;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t got = read(fd, buf + len, cap - len);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) st_ = DK_EIO;
        if (got <= 0) break;
        len += (size_t)got;
    }
    int err = errno;
    if (!from_stdin) close(fd);
    if (st_ != DK_OK) {
        free(buf);
        errno = err;
        return st_;
    }
    buf[len] = 0;
    *out = buf;
    *n = len;
    return DK_OK;
}

/* The tracked paths: a slot is claimed and given up atomically, and a handler only reads. */
static _Atomic(char *) tmp_slot[DK_TMP_MAX];

void dk_tmp_track(const char *path) {
    for (int i = 0; i < DK_TMP_MAX; i++) {
        char *p = atomic_load(&tmp_slot[i]);
        if (p && strcmp(p, path) == 0) return; /* tracked already */
    }
    char *copy = strdup(path);
    if (!copy) return;
    for (int i = 0; i < DK_TMP_MAX; i++) {
        char *none = NULL;
        if (atomic_compare_exchange_strong(&tmp_slot[i], &none, copy)) return;
    }
    free(copy);
}

void dk_block_signals(sigset_t *old) {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, old);
}

int dk_tmp_mkstemps(char *tmpl, int suffixlen) {
    sigset_t old;
    dk_block_signals(&old);
    int fd = mkstemps(tmpl, suffixlen);
    if (fd >= 0) dk_tmp_track(tmpl);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return fd;
}

char *dk_tmp_mkdtemp(char *tmpl) {
    sigset_t old;
    dk_block_signals(&old);
    char *made = mkdtemp(tmpl);
    if (made) dk_tmp_track(made);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return made;
}

void dk_tmp_untrack(const char *path) {
    for (int i = 0; i < DK_TMP_MAX; i++) {
        char *p = atomic_load(&tmp_slot[i]);
        if (p && strcmp(p, path) == 0 && atomic_compare_exchange_strong(&tmp_slot[i], &p, NULL)) {
            free(p);
            return;
        }
    }
}

void dk_tmp_unlink(const char *path) {
    unlink(path);
    dk_tmp_untrack(path);
}

/*
 * Empty the private folder `dir` with system calls only (open, getdents64, unlinkat,
 * close: async-signal-safe, unlike opendir). A staging folder holds the slides written so
 * far under their final names, which nothing tracks; a signal can come before they move.
 */
static void empty_dir(const char *dir) {
#ifdef SYS_getdents64
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    union {
        char bytes[4096];
        uint64_t align;
    } buf;
    for (int pass = 0; pass < 2; pass++) { /* unlinking while listing may skip an entry */
        lseek(fd, 0, SEEK_SET);
        long n;
        while ((n = syscall(SYS_getdents64, fd, buf.bytes, sizeof buf.bytes)) > 0) {
            for (long at = 0; at < n;) {
                const char *e = buf.bytes + at;
                unsigned short reclen;
                memcpy(&reclen, e + 16, sizeof reclen); /* d_ino 8, d_off 8, d_reclen 2, d_type 1 */
                const char *name = e + 19;
                if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0) unlinkat(fd, name, 0);
                at += reclen;
            }
        }
    }
    close(fd);
#else
    (void)dir;
#endif
}

void dk_tmp_remove_all(void) {
    /* files first, then the (private) folders they were in, emptied */
    for (int i = 0; i < DK_TMP_MAX; i++) {
        char *p = atomic_load(&tmp_slot[i]);
        if (p) unlink(p);
    }
    for (int i = 0; i < DK_TMP_MAX; i++) {
        char *p = atomic_load(&tmp_slot[i]);
        if (p && rmdir(p) != 0 && errno == ENOTEMPTY) {
            empty_dir(p);
            rmdir(p);
        }
    }
}

dk_status dk_file_write_atomic(const char *path, const void *p, size_t n) {
    size_t len = strlen(path);
    char *tmp = malloc(len + 16);
    if (!tmp) return DK_ENOMEM;
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".tmp-XXXXXX", 12);
    int fd = dk_tmp_mkstemps(tmp, 0);
    if (fd < 0) {
        free(tmp);
        return DK_EIO;
    }
    const char *q = p;
    size_t left = n;
    while (left) {
        ssize_t w = write(fd, q, left);
        if (w < 0) {
            if (errno == EINTR) continue;
            break;
        }
        q += w;
        left -= (size_t)w;
    }
    int ok = left == 0;
    ok = (close(fd) == 0) && ok;
    /* mkstemp makes 0600; outputs are ordinary files */
    mode_t um = umask(0);
    umask(um);
    if (ok) ok = chmod(tmp, 0666 & ~um) == 0;
    if (ok) ok = rename(tmp, path) == 0;
    if (ok) dk_tmp_untrack(tmp);
    else dk_tmp_unlink(tmp);
    free(tmp);
    return ok ? DK_OK : DK_EIO;
}
