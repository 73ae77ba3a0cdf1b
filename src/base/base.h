/*
 * base/ — what every stage shares: status codes, string views, the slide
 * arena, a growable buffer, and the diagnostics context.
 *
 * Errors come in two kinds. Failures of the machine (out of memory, I/O)
 * unwind as a dk_status return. Problems in the *input* never unwind: they
 * become diagnostics on the context (`dk_diag_warn`) and rendering goes on.
 * Positions are byte offsets into the deck source; they become line:col only
 * when printed.
 */
#ifndef DK_BASE_H
#define DK_BASE_H

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum {
    DK_OK = 0,
    DK_ENOMEM, /* allocation failed */
    DK_EIO,    /* a file could not be read or written */
    DK_EINPUT, /* the input cannot be rendered at all */
    DK_EUSAGE, /* bad command line */
} dk_status;

const char *dk_status_str(dk_status st);

/* A view of bytes owned by someone else. */
typedef struct {
    const char *p;
    size_t n;
} dk_str;

#define DK_STR(lit) ((dk_str){(lit), sizeof(lit) - 1})
int dk_str_eq(dk_str a, const char *lit);     /* exact */
int dk_str_ieq(dk_str a, const char *lit);    /* ASCII case-insensitive */
dk_str dk_str_trim(dk_str s);                 /* strip ASCII white space */

/* "no position known" for diagnostics */
#define DK_NOPOS ((size_t)-1)

/* ---- arena: everything built for one slide ---------------------------- */

typedef struct dk_arena dk_arena;

/* A new arena; NULL on OOM. Free it (and all it handed out) with dk_arena_free. */
dk_arena *dk_arena_new(void);
void dk_arena_free(dk_arena *a);
/* Zeroed memory aligned for any type; NULL on OOM (or on injected failure). */
void *dk_arena_alloc(dk_arena *a, size_t n);
/* NUL-terminated copy of n bytes; NULL on OOM. */
char *dk_arena_strndup(dk_arena *a, const char *s, size_t n);
/*
 * Run fn(p) when the arena is freed (last registered runs first): for
 * things the arena cannot own directly, such as PangoLayouts.
 * DK_ENOMEM if the record cannot be allocated (fn is then run at once).
 */
dk_status dk_arena_defer(dk_arena *a, void (*fn)(void *), void *p);
/* Tests: make the arena's Nth allocation from now fail (0 = never). */
void dk_arena_fail_after(dk_arena *a, long n);

/* ---- growable byte buffer (malloc-backed, always NUL-terminated) ------- */

typedef struct {
    char *p;
    size_t n, cap;
    int oom; /* sticky: set once an append failed */
} dk_buf;

void dk_buf_add(dk_buf *b, const void *p, size_t n);
void dk_buf_adds(dk_buf *b, const char *s);
void dk_buf_addc(dk_buf *b, char c);
void dk_buf_printf(dk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dk_buf_free(dk_buf *b);

/* ---- diagnostics ------------------------------------------------------- */

typedef enum { DK_DIAG_NOTE, DK_DIAG_WARN, DK_DIAG_ERROR } dk_diag_level;

/*
 * One diagnostic in machine-readable form, handed to ctx->on_diag. Every
 * pointer is borrowed for the duration of the call. `file`, `line` and
 * `col` say where the problem is (a theme's CSS names the theme file);
 * line and col are 0 when no position is known. `code` is a short stable
 * name ("image-missing", "css-unknown-property", ...): the one given to
 * dk_diag_warn_code, else derived from the message by dk_diag_code_of.
 */
typedef struct {
    dk_diag_level level;
    const char *file;
    int line, col;
    int slide;           /* 1-based slide being rendered, 0: the deck as a whole */
    const char *code;
    const char *message; /* without the "file:line:col: warning: " prefix */
    const char *text;    /* the whole line as printed, without the newline */
} dk_diag_rec;

typedef void (*dk_diag_fn)(void *ud, const dk_diag_rec *d);

/* How many distinct keys dk_ctx_once remembers per deck. */
#define DK_ONCE_KEYS 256

/*
 * The per-render context: where diagnostics go and the source they point
 * into. No global state: two contexts never notice each other.
 */
typedef struct dk_ctx {
    const char *file;  /* deck path as the user named it, for messages */
    const char *src;   /* deck bytes, for offset -> line:col */
    size_t src_len;
    int nwarn, nerr;   /* counters, like SQLite's nErr (--strict uses nwarn) */
    int quiet;         /* suppress warnings on the stream (still counted) */
    int verbose;
    FILE *err;         /* diagnostics stream; NULL means stderr */
    dk_buf *log;       /* if set, every diagnostic line is appended here too */
    unsigned once;     /* bits for once-per-deck warnings (DK_ONCE_*) */
    int slide;         /* the slide being rendered (1-based), 0: none; for dk_diag_rec */
    dk_diag_fn on_diag; /* if set, gets every diagnostic and nothing is printed on `err` */
    void *diag_ud;
    /* keys dk_ctx_once has seen (64-bit hashes; no allocation, nothing to free) */
    uint64_t once_keys[DK_ONCE_KEYS];
    int nonce_keys;
} dk_ctx;

enum { DK_ONCE_MOJIBAKE = 1u << 0, DK_ONCE_UNSUPPORTED = 1u << 1 };

void dk_ctx_init(dk_ctx *ctx, const char *file, const char *src, size_t n);

/*
 * A keyed once-per-deck set, for notes such as "property 'box-shadow' is
 * not supported": returns 1 the first time `key` is seen on this context
 * and records it, 0 afterwards. When DK_ONCE_KEYS keys are recorded, new
 * keys return 0 (a deck with that many distinct notes has said enough).
 */
int dk_ctx_once(dk_ctx *ctx, const char *key);

/* "file:line:col: warning: msg" (line:col only when off != DK_NOPOS). */
void dk_diag(dk_ctx *ctx, dk_diag_level lv, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void dk_diag_warn(dk_ctx *ctx, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void dk_diag_error(dk_ctx *ctx, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A warning with an explicit code for machine-readable reports (see dk_diag_rec). */
void dk_diag_warn_code(dk_ctx *ctx, size_t off, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* An error with an explicit code. */
void dk_diag_error_code(dk_ctx *ctx, size_t off, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/*
 * The code of a diagnostic that was given none, derived from its message:
 * the one place that knows the wording of every stage's warnings. Returns
 * "warning", "error" or "note" for a message it does not recognise.
 */
const char *dk_diag_code_of(dk_diag_level lv, const char *msg);

/* 1-based line and column (in bytes) of a deck offset. */
void dk_src_linecol(const dk_ctx *ctx, size_t off, int *line, int *col);

/* ---- limits (tests/LIMITS.md lists every one, with what happens past it) ---- */

#define DK_LIMIT_DECK_BYTES (16u << 20)  /* a bigger deck file is refused (error) */
#define DK_LIMIT_SLIDES 2000             /* slides past this are not rendered (warning) */
#define DK_LIMIT_DEPTH 256               /* HTML elements nested deeper are dropped (warning) */
#define DK_LIMIT_ATOMIC_DEPTH 6          /* inline blocks in inline blocks: deeper ones inline */
#define DK_LIMIT_DECK_PIXELS (256.0 * 1024 * 1024) /* decoded image pixels per deck (warning) */
#define DK_LIMIT_IMAGE_BYTES (64u << 20) /* a bigger image file is not read (warning) */

/* ---- files ------------------------------------------------------------- */

/* Read a whole file (malloc'd, NUL-terminated). DK_EIO with errno set on failure. */
dk_status dk_file_read(const char *path, char **out, size_t *n);
/*
 * The same, reading at most max + 1 bytes: *n > max says the file is larger
 * than `max` (a deck from a pipe, an image on a FIFO), without reading it all.
 */
dk_status dk_file_read_max(const char *path, size_t max, char **out, size_t *n);
/*
 * Write a file atomically: to "path.tmp-XXXXXX" beside it, then rename.
 * A reader never sees a half-written file, and a failed write leaves the
 * old one as it was.
 *
 * Not fsync'd: an output can always be rendered again, and an fsync is
 * dear. On a 2-core VM with ext4 each took 1.1-4.4 ms, for the seed deck's
 * six PNGs 10 ms on the thread that paints, and it waits for whatever else
 * the machine has left to write (once 0.3 s for a 35 ms render). ext4
 * (auto_da_alloc) and btrfs start writing a file's data when it is renamed
 * over another, so a crash leaves the old file or the new one; elsewhere a
 * crash right after a render can leave an empty file, as with most
 * programs that write documents.
 */
dk_status dk_file_write_atomic(const char *path, const void *p, size_t n);

/*
 * Files this process is writing under temporary names (cairo's PDF, the
 * parts of a large one, dk_file_write_atomic's), and private folders it
 * made for them: tracked from creation until renamed or removed, so that a
 * process ended by a signal removes them (dk_tmp_remove_all, from the
 * CLI's handler) instead of leaving half a file beside the output. Up to
 * DK_TMP_MAX at a time; more go untracked.
 */
enum { DK_TMP_MAX = 32 };
void dk_tmp_track(const char *path);
void dk_tmp_untrack(const char *path);
/* Block every signal on this thread, the mask before in *old (restore: pthread_sigmask(
   SIG_SETMASK, old, NULL)); threads started meanwhile begin with all blocked. */
void dk_block_signals(sigset_t *old);
/* mkstemps() and mkdtemp(), the new file or folder tracked: both with every signal blocked, so
   that no handler runs after the creation and before the tracking (it would stay behind) */
int dk_tmp_mkstemps(char *tmpl, int suffixlen);
char *dk_tmp_mkdtemp(char *tmpl);
/* unlink() and untrack */
void dk_tmp_unlink(const char *path);
/* unlink() every tracked file, then rmdir() the tracked folders (empty by then); async-signal-
   safe, for a handler that then ends the process */
void dk_tmp_remove_all(void);

/*
 * A pool of threads for work that touches no pango, fontconfig or cairo
 * state of the render's (pool.c): compressing rows, decoding images. The
 * caller's thread is one of `threads`; it queues tasks and waits for them,
 * running queued tasks itself meanwhile. A NULL pool runs each task when it
 * is submitted. Only the thread that made the pool submits and waits.
 */
typedef struct dk_task dk_task;
struct dk_task {
    void (*run)(dk_task *t);
    dk_task *next; /* the pool's */
    int state;     /* the pool's */
};
typedef struct dk_pool dk_pool;
/* A pool of `threads` threads, the caller's one of them: threads - 1 workers (fewer if the
   system has none to give). NULL for 1 thread, or out of memory: then tasks run at once. */
dk_pool *dk_pool_new(int threads);
/* Stop the workers; every task submitted must have been waited for. */
void dk_pool_free(dk_pool *p);
/* How many threads run tasks: the workers and the caller (1 for NULL). */
int dk_pool_threads(const dk_pool *p);
/* Which of them is this: 0 the caller's, 1 .. dk_pool_threads - 1 a worker (for scratch memory). */
int dk_pool_slot(void);
/* Queue t (its run set) last, or `first`: before every task queued; with a NULL pool, run it
   now. */
void dk_pool_submit(dk_pool *p, dk_task *t, int first);
/* Return once t has run: run it here if no worker has taken it yet, else run other queued
   tasks (or sleep) until it is done. */
void dk_pool_wait(dk_pool *p, dk_task *t);

#define DK_ASSERT(x) ((void)((x) ? 0 : (dk_assert_fail(#x, __FILE__, __LINE__), 0)))
void dk_assert_fail(const char *what, const char *file, int line);

#define DK_MIN(a, b) ((a) < (b) ? (a) : (b))
#define DK_MAX(a, b) ((a) > (b) ? (a) : (b))

/*
 * On a pixel loop the compiler vectorises only with AVX2 (3-byte pixels in and out of
 * 4-byte words need its shuffles): x86-64 builds get a second copy of the function compiled
 * for AVX2, chosen when the program loads on a CPU that has it (GCC's and clang's function
 * multiversioning); everywhere else one plain copy.
 */
#if defined(__x86_64__) && defined(__GNUC__) && defined(__linux__)
#define DK_PIXEL_LOOP __attribute__((target_clones("avx2", "default")))
#else
#define DK_PIXEL_LOOP
#endif

#endif
