/*
 * Running decks on worker processes, and the report.
 *
 * Design note. pango, fontconfig and cairo keep caches and reference
 * counts that are not safe to share between threads without care, and a
 * render of one deck holds all three. So parallelism is by process: the
 * parent forks one worker per task, at most `jobs` at a time, and each
 * worker renders with its own fonts, text engine and image cache — just as
 * a lone `deckle` would — then exits. A task is a deck, or a slice of one
 * when there are more workers than decks (per-slide formats, and PDFs that
 * are written in parts; deckle_slices says how many slices have work, so a
 * small deck is one task, rendered here without a worker): slice K of N
 * renders the K-th of N runs of consecutive slides,
 * because neighbouring slides share the most (a build-up shows the same
 * image again, a figure spans two slides) and each worker decodes every
 * image it draws; interleaving them (slide K, K + N, ...) made two workers
 * decode such an image each. Only a PNG slice uses threads, for the part
 * of its work that has no pango, fontconfig or cairo in it: compressing
 * the rows of the slides it painted (pngenc.c), on the cores its share of
 * `jobs` leaves beyond one a slice.
 * Every output is the same file a single process would write, written
 * atomically (temporary file, rename), so `-j 1` and `-j N` give the same
 * bytes. A worker that crashes takes only its own deck down.
 *
 * A worker tells the parent what happens through a pipe, one record a
 * line, tab-separated, with \t, \n and \\ escaped, sent in batches
 * (put_record):
 *
 *     N nslides nrender      the deck is parsed; how many slides this task renders
 *     S index                a slide was written
 *     O path / I path        an output written / an input read
 *     P path                 a part of a PDF written, for the parent to join
 *     D level slide line col code file message text     a diagnostic
 *     X status ms            done: a deckle_status and the time taken
 *
 * The parent applies the records to the deck's report exactly as it does
 * the library's callbacks when it renders in-process (a lone task), prints
 * each diagnostic line as it comes, and draws the progress bar.
 *
 * Workers are forked, not exec'd: the parent stays single-threaded and
 * sets nothing up for them, so that fork is safe. Each process makes its
 * deck's private font configuration fontconfig's current one (the
 * "fonts-current" option), so pango never loads the system's (~10% of a
 * small PDF's instructions).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

double cli_now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/*
 * The libraries' destructors (libqpdf's C++ statics, GnuTLS and p11-kit
 * deinitialising, fontconfig's and GLib's) free memory the kernel is about
 * to take back whole, touching code pages that were never faulted in to do
 * it: from main's return to the parent seeing the exit, the reference
 * deck's PDF took 6.0 ms with them and 4.7 ms without (2-core VM, median
 * of 25; the rest is the kernel unmapping the process). So, as lld does,
 * the process ends with _exit once stdio is flushed; nothing of ours is
 * left to run at exit (no atexit handler, every output renamed into place
 * already). Under AddressSanitizer it exits normally, for the leak check
 * that runs then.
 */
#if defined(__SANITIZE_ADDRESS__)
#define DK_EXIT_NORMALLY 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DK_EXIT_NORMALLY 1
#endif
#endif

void cli_exit(int code) {
#ifdef DK_EXIT_NORMALLY
    exit(code);
#else
    fflush(NULL);
    _exit(code);
#endif
}

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (!q) {
        fputs("deckle: out of memory\n", stderr);
        exit(EXIT_INPUT);
    }
    return q;
}

static char *xstrdup(const char *s) {
    char *c = strdup(s ? s : "");
    if (!c) {
        fputs("deckle: out of memory\n", stderr);
        exit(EXIT_INPUT);
    }
    return c;
}

void strvec_add(strvec *s, const char *p) {
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 8;
        s->v = xrealloc(s->v, (size_t)s->cap * sizeof *s->v);
    }
    s->v[s->n++] = xstrdup(p);
}

int strvec_has(const strvec *s, const char *p) {
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->v[i], p) == 0) return 1;
    return 0;
}

void strvec_free(strvec *s) {
    for (int i = 0; i < s->n; i++) free(s->v[i]);
    free(s->v);
    *s = (strvec){0};
}

/* ---- the run: reports, progress, messages -------------------------------------------- */

typedef struct {
    const cli_settings *s;
    deck_report *reports;
    int ndecks, decks_done, decks_started;
    long slides_total, slides_done;
    double start, last_draw;
    int bar_shown;
    deckle_options *o; /* for joining a PDF's parts */
} run_state;

/* What one task's callbacks (or records) apply to. */
typedef struct {
    run_state *run;
    deck_report *r;
    int chunk, seq;
} task_sink;

static void bar_clear(run_state *rs) {
    if (!rs->bar_shown) return;
    fputs("\r\033[K", stderr);
    rs->bar_shown = 0;
}

/* Redraw the bar at most 10 times a second, and only once the run is longer than a moment. */
static void bar_draw(run_state *rs, int force) {
    if (!rs->s->progress) return;
    double now = cli_now_ms();
    if (now - rs->start < 300 || (!force && now - rs->last_draw < 100)) return;
    rs->last_draw = now;
    const int width = 30;
    /* decks not started yet are guessed to be as long as the average of those that are */
    double total = rs->decks_started ? (double)rs->slides_total * rs->ndecks / rs->decks_started : 0;
    double frac = total > 0 ? rs->slides_done / total : 0;
    if (frac > 1) frac = 1;
    char bar[64];
    int fill = (int)(frac * width);
    for (int i = 0; i < width; i++) bar[i] = i < fill ? '#' : '.';
    bar[width] = 0;
    fprintf(stderr, "\r\033[K[%s] %3d%%  %ld slides", bar, (int)(frac * 100), rs->slides_done);
    if (rs->ndecks > 1) fprintf(stderr, ", %d/%d decks", rs->decks_done, rs->ndecks);
    rs->bar_shown = 1;
}

static void print_diag(run_state *rs, int level, const char *text) {
    const cli_settings *s = rs->s;
    if (level == DECKLE_ERROR || (!s->quiet && (level == DECKLE_WARNING || s->verbose))) {
        bar_clear(rs);
        fprintf(stderr, "%s\n", text);
    }
}

static void apply_slides(task_sink *t, int nslides, int nrender) {
    if (t->r->nslides < 0) t->run->decks_started++;
    t->r->nslides = nslides;
    t->r->nrender += nrender;
    t->run->slides_total += nrender;
    bar_draw(t->run, 0);
}

static void apply_slide_done(task_sink *t, int index) {
    deck_report *r = t->r;
    if (r->ndone == r->capdone) {
        r->capdone = r->capdone ? 2 * r->capdone : 16;
        r->done = xrealloc(r->done, (size_t)r->capdone * sizeof *r->done);
    }
    r->done[r->ndone++] = index;
    t->run->slides_done++;
    bar_draw(t->run, 0);
}

static void apply_diag(task_sink *t, const deckle_diagnostic *d) {
    deck_report *r = t->r;
    /* every slice sets the deck up the same way: its deck-wide messages once, from slice 0 */
    if (t->chunk > 0 && d->slide == 0 && d->level != DECKLE_ERROR) return;
    const cli_settings *s = t->run->s;
    if (d->level != DECKLE_NOTE || s->verbose) {
        if (r->ndiags == r->capdiags) {
            r->capdiags = r->capdiags ? 2 * r->capdiags : 16;
            r->diags = xrealloc(r->diags, (size_t)r->capdiags * sizeof *r->diags);
        }
        r->diags[r->ndiags++] = (cli_diag){d->level, d->line, d->column, d->slide,
                                           xstrdup(d->file), xstrdup(d->code),
                                           xstrdup(d->message), xstrdup(d->text), t->chunk,
                                           t->seq++};
    }
    if (d->level == DECKLE_WARNING) r->nwarn++;
    /* a deck split over workers is printed whole once done (see settle_split) */
    if (r->chunks == 1) print_diag(t->run, d->level, d->text);
}

static int by_slide(const void *a, const void *b);

/*
 * Is `d` what -j 1 says only once, and `e` (kept before it) that once? Each
 * slice tells its own: the deck's first mojibake, its first use of an image
 * it cannot load, and deck-wide errors (a folder it cannot write to).
 */
static int repeats(const cli_diag *d, const cli_diag *e) {
    int same_code = strcmp(d->code, e->code) == 0;
    if (same_code && strcmp(d->code, "mojibake") == 0) return 1; /* once a deck */
    if (same_code && strncmp(d->code, "image-", 6) == 0 && strcmp(d->message, e->message) == 0)
        return 1; /* once an image */
    return d->slide == 0 && e->slide == 0 && d->level == e->level && strcmp(d->text, e->text) == 0;
}

/*
 * A deck rendered in slices: put its diagnostics in slide order and drop
 * the repeats (repeats()), then print them, so the messages are those of
 * -j 1.
 */
static void settle_split(run_state *rs, deck_report *r) {
    if (r->ndiags > 1) qsort(r->diags, (size_t)r->ndiags, sizeof *r->diags, by_slide);
    int k = 0;
    for (int i = 0; i < r->ndiags; i++) {
        cli_diag *d = &r->diags[i];
        int drop = 0;
        for (int j = 0; j < k && !drop; j++) drop = repeats(d, &r->diags[j]);
        if (drop) {
            r->nwarn -= d->level == DECKLE_WARNING;
            free(d->file);
            free(d->code);
            free(d->message);
            free(d->text);
            continue;
        }
        print_diag(rs, d->level, d->text);
        r->diags[k++] = *d;
    }
    r->ndiags = k;
}

/* ---- in-process: the library's callbacks ------------------------------------------------ */

static void cb_diag(void *ud, const deckle_diagnostic *d) { apply_diag(ud, d); }
static void cb_slides(void *ud, int n, int k) { apply_slides(ud, n, k); }
static void cb_slide(void *ud, int i) { apply_slide_done(ud, i); }
static void cb_output(void *ud, const char *p) { strvec_add(&((task_sink *)ud)->r->outputs, p); }
static void cb_pdf_part(void *ud, const char *p) { strvec_add(&((task_sink *)ud)->r->parts, p); }
static void cb_input(void *ud, const char *p) {
    task_sink *t = ud;
    if (!strvec_has(&t->r->inputs, p)) strvec_add(&t->r->inputs, p);
}

/* ---- in a worker: records on the pipe ---------------------------------------------------- */

static int pipe_fd = -1;

static void put_field(FILE *f, const char *s) {
    fputc('\t', f);
    for (; s && *s; s++) {
        if (*s == '\t') fputs("\\t", f);
        else if (*s == '\n') fputs("\\n", f);
        else if (*s == '\\') fputs("\\\\", f);
        else fputc(*s, f);
    }
}

/*
 * Records wait in the outbox and go to the parent together: one write per
 * record woke the parent for every slide (and every image it shows), and on
 * two cores each wake-up pushed a worker off its core (1,001 slides: ~2,000
 * context switches, 3-6% of the run). A diagnostic or the closing record
 * goes at once, so that what a worker said before it crashed still arrives;
 * the rest when the outbox holds OUTBOX_FULL bytes or has waited
 * OUTBOX_WAIT_MS, often enough for the progress bar.
 */
enum { OUTBOX_FULL = 4096, OUTBOX_WAIT_MS = 100 };
static struct {
    char *p;
    size_t n, cap;
    double sent; /* when it was last emptied (0: never) */
} outbox;

static void outbox_send(void) {
    for (size_t off = 0; off < outbox.n;) {
        ssize_t w = write(pipe_fd, outbox.p + off, outbox.n - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        off += (size_t)w;
    }
    outbox.n = 0;
    outbox.sent = cli_now_ms();
}

/* One record ("K", the integers, the escaped strings) for the parent; `now`: send it at once. */
static void put_record(char kind, const int *ints, int nints, const char *const *strs, int nstrs,
                       int now) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) return;
    fputc(kind, f);
    for (int i = 0; i < nints; i++) fprintf(f, "\t%d", ints[i]);
    for (int i = 0; i < nstrs; i++) put_field(f, strs[i]);
    fputc('\n', f);
    fclose(f);
    if (outbox.n + len > outbox.cap) {
        outbox.cap = (outbox.n + len) * 2;
        outbox.p = xrealloc(outbox.p, outbox.cap);
    }
    memcpy(outbox.p + outbox.n, text, len);
    outbox.n += len;
    free(text);
    if (now || outbox.n >= OUTBOX_FULL || cli_now_ms() - outbox.sent >= OUTBOX_WAIT_MS)
        outbox_send();
}

static void rec_diag(void *ud, const deckle_diagnostic *d) {
    (void)ud;
    int ints[] = {(int)d->level, d->slide, d->line, d->column};
    const char *strs[] = {d->code, d->file, d->message, d->text};
    put_record('D', ints, 4, strs, 4, 1);
}
static void rec_slides(void *ud, int n, int k) {
    (void)ud;
    int ints[] = {n, k};
    put_record('N', ints, 2, NULL, 0, 0);
}
static void rec_slide(void *ud, int i) {
    (void)ud;
    put_record('S', &i, 1, NULL, 0, 0);
}
static void rec_output(void *ud, const char *p) {
    (void)ud;
    put_record('O', NULL, 0, &p, 1, 0);
}
static void rec_input(void *ud, const char *p) {
    (void)ud;
    put_record('I', NULL, 0, &p, 1, 0);
}
static void rec_pdf_part(void *ud, const char *p) {
    (void)ud;
    put_record('P', NULL, 0, &p, 1, 0);
}

/* Split a record line into fields in place (unescaping); returns the count. */
static int split_record(char *line, char **f, int max) {
    int n = 0;
    char *p = line;
    while (n < max) {
        f[n++] = p;
        char *w = p;
        while (*p && *p != '\t') {
            if (*p == '\\' && p[1]) {
                p++;
                *w++ = *p == 't' ? '\t' : *p == 'n' ? '\n' : *p;
                p++;
            } else {
                *w++ = *p++;
            }
        }
        int end = *p == 0;
        *w = 0;
        if (end) break;
        p++;
    }
    return n;
}

/* Apply one record from a worker; sets *status and *ms on X. */
static void apply_record(task_sink *t, char *line, int *status, double *ms) {
    char *f[10];
    int n = split_record(line, f, 10);
    switch (f[0][0]) {
    case 'N':
        if (n >= 3) apply_slides(t, atoi(f[1]), atoi(f[2]));
        break;
    case 'S':
        if (n >= 2) apply_slide_done(t, atoi(f[1]));
        break;
    case 'O':
        if (n >= 2) cb_output(t, f[1]);
        break;
    case 'I':
        if (n >= 2) cb_input(t, f[1]);
        break;
    case 'P':
        if (n >= 2) {
            deckle_pdf_track(f[1]); /* this process's to remove now (on_terminate) */
            cb_pdf_part(t, f[1]);
        }
        break;
    case 'D':
        if (n >= 9) {
            deckle_diagnostic d = {(deckle_level)atoi(f[1]), f[6], atoi(f[3]), atoi(f[4]),
                                   atoi(f[2]), f[5], f[7], f[8]};
            apply_diag(t, &d);
        }
        break;
    case 'X':
        if (n >= 3) {
            *status = atoi(f[1]);
            *ms = atof(f[2]);
        }
        break;
    }
}

/* ---- tasks ------------------------------------------------------------------------------- */

typedef struct {
    int deck, chunk, nchunks;
    int threads; /* PNG: deflating threads */
} task;

enum { MAX_THREADS = 4 }; /* a task's threads, at most */

static int exit_of(deckle_status st) {
    switch (st) {
    case DECKLE_OK: return 0;
    case DECKLE_EUSAGE: return EXIT_USAGE;
    case DECKLE_EOUTPUT: return EXIT_OUTPUT;
    case DECKLE_EINPUT:
    case DECKLE_ENOMEM: return EXIT_INPUT;
    }
    return EXIT_INPUT;
}

static deckle_status render_task(deckle_options *o, const char *path, const task *tk,
                                 const deckle_callbacks *cb) {
    char slice[32];
    snprintf(slice, sizeof slice, "%d/%d", tk->chunk, tk->nchunks);
    deckle_options_set(o, "slice", slice);
    snprintf(slice, sizeof slice, "%d", tk->threads);
    deckle_options_set(o, "threads", slice);
    deckle_options_set_callbacks(o, cb);
    return deckle_render_file(path, o);
}

/* A PDF written in parts by the deck's slices: join them (deckle_pdf_join), or drop them. */
static void join_parts(run_state *rs, deck_report *r) {
    const char *const *parts = (const char *const *)r->parts.v;
    if (r->status != 0 || r->parts.n != DECKLE_PDF_PARTS) {
        deckle_pdf_discard(parts, r->parts.n);
    } else {
        task_sink t = {rs, r, 0, 0};
        deckle_callbacks cb = {&t, cb_diag, NULL, NULL, cb_output, NULL, NULL};
        deckle_options_set_callbacks(rs->o, &cb);
        if (rs->decks_done == rs->ndecks - 1 && !rs->s->watch) deckle_ending(); /* the last work */
        deckle_status st = deckle_pdf_join(r->path, parts, r->parts.n, rs->o);
        deckle_options_set_callbacks(rs->o, NULL);
        if (st != DECKLE_OK && exit_of(st) > r->status) r->status = exit_of(st);
    }
    strvec_free(&r->parts);
}

static void finish_task(run_state *rs, deck_report *r, int status, double ms) {
    if (status > r->status) r->status = status;
    if (ms > r->ms) r->ms = ms;
    if (--r->chunks_left == 0) {
        if (r->parts.n > 0) join_parts(rs, r);
        if (r->chunks > 1) settle_split(rs, r);
        rs->decks_done++;
        bar_draw(rs, 1);
    }
}

typedef struct {
    pid_t pid;
    int fd;
    task_sink sink;
    char *buf; /* a partial record */
    size_t n, cap;
    int status; /* -1 until the X record */
    double ms;
} worker;

/* The running workers, for on_terminate: cli_run's array and its length. */
static worker *volatile live;
static volatile sig_atomic_t nlive;

static void on_terminate(int sig) {
    for (int i = 0; i < nlive; i++) kill(live[i].pid, sig);
    deckle_remove_temporary_files();
    signal(sig, SIG_DFL);
    raise(sig); /* delivered when the handler returns: the process ends by the signal */
}

static void catch_signal(int sig) {
    struct sigaction sa = {0};
    sa.sa_handler = on_terminate;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

void cli_handle_termination(void) {
    static const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGPIPE};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old;
        /* one ignored stays ignored (nohup; SIGINT in a shell's background job) */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN) catch_signal(sigs[i]);
    }
}

/* Fork a worker for task `tk`; returns 0 and fills *w, or -1 (the task failed to start). */
static int spawn(run_state *rs, deckle_options *o, const char *path, const task *tk, worker *w) {
    int fds[2];
    if (pipe(fds) != 0) return -1;
    fflush(NULL); /* nothing buffered may be written twice */
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        nlive = 0; /* its siblings are not its to signal */
        /* the parent gone, the pipe breaks: clean up and end (even if SIGPIPE was ignored) */
        catch_signal(SIGPIPE);
        pipe_fd = fds[1];
        double t0 = cli_now_ms();
        deckle_callbacks cb = {NULL, rec_diag, rec_slides, rec_slide, rec_output, rec_input,
                               rec_pdf_part};
        deckle_ending(); /* a worker renders one task, then ends */
        deckle_status st = render_task(o, path, tk, &cb);
        char ms[32];
        snprintf(ms, sizeof ms, "%.3f", cli_now_ms() - t0);
        const char *strs[] = {ms};
        int code = exit_of(st);
        put_record('X', &code, 1, strs, 1, 1);
        close(pipe_fd);
        free(outbox.p);
        deckle_options_free(o);
        cli_exit(0);
    }
    close(fds[1]);
    *w = (worker){.pid = pid, .fd = fds[0], .status = -1};
    w->sink = (task_sink){rs, &rs->reports[tk->deck], tk->chunk, 0};
    return 0;
}

/* Read what a worker sent; returns 0 at end of file. */
static int drain(worker *w) {
    char chunk[8192];
    ssize_t got = read(w->fd, chunk, sizeof chunk);
    if (got < 0) return errno == EINTR || errno == EAGAIN;
    if (got == 0) return 0;
    if (w->n + (size_t)got + 1 > w->cap) {
        w->cap = (w->n + (size_t)got + 1) * 2;
        w->buf = xrealloc(w->buf, w->cap);
    }
    memcpy(w->buf + w->n, chunk, (size_t)got);
    w->n += (size_t)got;
    size_t start = 0;
    for (size_t i = 0; i < w->n; i++) {
        if (w->buf[i] != '\n') continue;
        w->buf[i] = 0;
        apply_record(&w->sink, w->buf + start, &w->status, &w->ms);
        start = i + 1;
    }
    memmove(w->buf, w->buf + start, w->n - start);
    w->n -= start;
    return 1;
}

/* A worker closed its pipe: reap it and settle its task. */
static void reap(run_state *rs, worker *w) {
    int wst = 0;
    while (waitpid(w->pid, &wst, 0) < 0 && errno == EINTR) {
    }
    close(w->fd);
    free(w->buf);
    deck_report *r = w->sink.r;
    int status = w->status;
    if (status < 0) {
        /* died before saying how it went: a crash in this deck, not in the others */
        char msg[128];
        if (WIFSIGNALED(wst))
            snprintf(msg, sizeof msg, "the renderer crashed (signal %d: %s)", WTERMSIG(wst),
                     strsignal(WTERMSIG(wst)));
        else
            snprintf(msg, sizeof msg, "the renderer stopped unexpectedly (exit %d)",
                     WIFEXITED(wst) ? WEXITSTATUS(wst) : -1);
        char text[512];
        snprintf(text, sizeof text, "%s: error: %s", r->path, msg);
        deckle_diagnostic d = {DECKLE_ERROR, r->path, 0, 0, 0, "crash", msg, text};
        apply_diag(&w->sink, &d);
        status = EXIT_INPUT;
    }
    finish_task(rs, r, status, w->ms);
}

/* Run one task in this process, through the library's callbacks. */
static void run_here(run_state *rs, deckle_options *o, const char *path, const task *tk) {
    task_sink t = {rs, &rs->reports[tk->deck], tk->chunk, 0};
    deckle_callbacks cb = {&t, cb_diag, cb_slides, cb_slide, cb_output, cb_input, cb_pdf_part};
    double t0 = cli_now_ms();
    deckle_status st = render_task(o, path, tk, &cb);
    finish_task(rs, t.r, exit_of(st), cli_now_ms() - t0);
}

int cli_run(const cli_settings *s, deckle_options *o, const char *const *decks, int n,
            deck_report *reports) {
    run_state rs = {.s = s, .reports = reports, .ndecks = n, .start = cli_now_ms(), .o = o};
    int jobs = s->jobs > 0 ? s->jobs : 1;
    /* more workers than decks: cut each deck into the slices that have work (a PDF
       written in parts: its parts; per-slide formats: up to jobs / n runs of slides, for
       PNG half as many, as a slice's painting thread keeps about two cores busy deflating
       its rows: below) */
    int per_deck = n >= jobs ? 1 : !s->per_slide ? DECKLE_PDF_PARTS : jobs / n / (s->png ? 2 : 1);
    per_deck = per_deck > 1 ? per_deck : 1;
    task *tasks = xrealloc(NULL, (size_t)n * (size_t)per_deck * sizeof *tasks);
    int ntasks = 0;
    for (int i = 0; i < n; i++) {
        int k = per_deck > 1 ? deckle_slices(decks[i], o) : 1;
        if (k > per_deck) k = per_deck;
        reports[i] = (deck_report){.path = decks[i], .nslides = -1, .chunks = k, .chunks_left = k};
        /* a PNG deck's share of the cores beyond its slices deflates on threads (pngenc.c):
           at most MAX_THREADS a slice, as each holds a slide's pixels (8 MB at 1920x1080) and
           one painting thread keeps only about two busy */
        int threads = s->png && n < jobs ? jobs / n / k : 1;
        threads = threads < 1 ? 1 : threads > MAX_THREADS ? MAX_THREADS : threads;
        for (int c = 0; c < k; c++) tasks[ntasks++] = (task){i, c, k, threads};
    }
    if (ntasks == 1 && !s->watch) {
        deckle_ending(); /* this render is the run */
        run_here(&rs, o, decks[0], &tasks[0]);
    } else {
        worker *ws = xrealloc(NULL, (size_t)jobs * sizeof *ws);
        live = ws;
        struct pollfd *pf = xrealloc(NULL, (size_t)jobs * sizeof *pf);
        int running = 0, next = 0;
        while (next < ntasks || running > 0) {
            while (running < jobs && next < ntasks) {
                const task *tk = &tasks[next++];
                if (spawn(&rs, o, decks[tk->deck], tk, &ws[running]) == 0) {
                    nlive = ++running;
                } else {
                    /* no process to spare: render it here */
                    run_here(&rs, o, decks[tk->deck], tk);
                }
            }
            /* every worker forked and parts to join: load what the join needs meanwhile */
            if (next == ntasks && !s->per_slide && ntasks > n) deckle_pdf_join_prepare();
            for (int i = 0; i < running; i++) pf[i] = (struct pollfd){ws[i].fd, POLLIN, 0};
            int r = poll(pf, (nfds_t)running, s->progress ? 200 : -1);
            if (r < 0 && errno != EINTR) break;
            bar_draw(&rs, 0);
            for (int i = 0; i < running; i++) {
                if (!(pf[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
                if (drain(&ws[i])) continue;
                reap(&rs, &ws[i]);
                ws[i] = ws[running - 1];
                pf[i] = pf[running - 1];
                nlive = --running;
                i--;
            }
        }
        nlive = 0;
        free(ws);
        free(pf);
    }
    free(tasks);
    bar_clear(&rs);
    int worst = 0, warned = 0;
    for (int i = 0; i < n; i++) {
        if (reports[i].status > worst) worst = reports[i].status;
        warned += reports[i].nwarn;
    }
    if (worst == 0 && s->strict && warned) {
        if (!s->quiet)
            fprintf(stderr, "deckle: %d warning%s and --strict\n", warned, warned == 1 ? "" : "s");
        worst = EXIT_WARN;
    }
    return worst;
}

void cli_reports_free(deck_report *reports, int n) {
    for (int i = 0; i < n; i++) {
        deck_report *r = &reports[i];
        for (int k = 0; k < r->ndiags; k++) {
            free(r->diags[k].file);
            free(r->diags[k].code);
            free(r->diags[k].message);
            free(r->diags[k].text);
        }
        free(r->diags);
        free(r->done);
        strvec_free(&r->outputs);
        strvec_free(&r->inputs);
        r->diags = NULL;
        r->done = NULL;
        r->ndiags = r->capdiags = r->ndone = r->capdone = 0;
    }
}

/* ---- JSON ---------------------------------------------------------------------------------- */

static void json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
        else if (*p == '\n') fputs("\\n", f);
        else if (*p == '\t') fputs("\\t", f);
        else if (*p == '\r') fputs("\\r", f);
        else if (*p < 0x20) fprintf(f, "\\u%04x", *p);
        else fputc(*p, f);
    }
    fputc('"', f);
}

static void json_int_or_null(FILE *f, int v) {
    if (v > 0) fprintf(f, "%d", v);
    else fputs("null", f);
}

static int by_slide(const void *a, const void *b) {
    const cli_diag *x = a, *y = b;
    if (x->slide != y->slide) return x->slide < y->slide ? -1 : 1;
    if (x->chunk != y->chunk) return x->chunk < y->chunk ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static int by_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int by_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void json_diag(FILE *f, const cli_diag *d) {
    fputs("{\"file\": ", f);
    json_str(f, d->file);
    fputs(", \"line\": ", f);
    json_int_or_null(f, d->line);
    fputs(", \"column\": ", f);
    json_int_or_null(f, d->col);
    fputs(", \"slide\": ", f);
    json_int_or_null(f, d->slide);
    fputs(", \"code\": ", f);
    json_str(f, d->code);
    fputs(", \"message\": ", f);
    json_str(f, d->message);
    fputc('}', f);
}

/* Diagnostics of one level (or one code) as a JSON array. */
static void json_diags(FILE *f, const deck_report *r, int level, const char *code) {
    int first = 1;
    fputc('[', f);
    for (int i = 0; i < r->ndiags; i++) {
        const cli_diag *d = &r->diags[i];
        if (code ? strcmp(d->code, code) != 0 : d->level != level) continue;
        fputs(first ? "\n        " : ",\n        ", f);
        json_diag(f, d);
        first = 0;
    }
    fputs(first ? "]" : "\n      ]", f);
}

static const char *status_name(int st) {
    switch (st) {
    case 0: return "ok";
    case EXIT_USAGE: return "bad-usage";
    case EXIT_INPUT: return "bad-input";
    case EXIT_OUTPUT: return "output-not-written";
    }
    return "failed";
}

void cli_json(FILE *f, const cli_settings *s, const deck_report *reports, int n, int exit_code,
              double ms) {
    int failed = 0, warnings = 0, errors = 0, outputs = 0;
    fprintf(f, "{\n  \"deckle\": ");
    json_str(f, deckle_version());
    fprintf(f, ",\n  \"exit_code\": %d,\n  \"jobs\": %d,\n  \"time_ms\": %.1f,\n  \"decks\": [",
            exit_code, s->jobs, ms);
    for (int i = 0; i < n; i++) {
        deck_report *r = (deck_report *)&reports[i];
        /* the same order whatever the workers' timing */
        if (r->ndiags > 1) qsort(r->diags, (size_t)r->ndiags, sizeof *r->diags, by_slide);
        if (r->ndone > 1) qsort(r->done, (size_t)r->ndone, sizeof *r->done, by_int);
        if (r->outputs.n > 1)
            qsort(r->outputs.v, (size_t)r->outputs.n, sizeof *r->outputs.v, by_str);
        int nw = 0, ne = 0;
        for (int k = 0; k < r->ndiags; k++) {
            nw += r->diags[k].level == DECKLE_WARNING;
            ne += r->diags[k].level == DECKLE_ERROR;
        }
        failed += r->status > 0;
        warnings += nw;
        errors += ne;
        outputs += r->outputs.n;
        fprintf(f, "%s\n    {\n      \"file\": ", i ? "," : "");
        json_str(f, r->path);
        fprintf(f, ",\n      \"status\": \"%s\",\n      \"exit_code\": %d,\n      \"slides\": ",
                status_name(r->status), r->status);
        if (r->nslides >= 0) fprintf(f, "%d", r->nslides);
        else fputs("null", f);
        fputs(",\n      \"rendered\": [", f);
        for (int k = 0; k < r->ndone; k++) fprintf(f, "%s%d", k ? ", " : "", r->done[k]);
        fputs("],\n      \"outputs\": [", f);
        for (int k = 0; k < r->outputs.n; k++) {
            fputs(k ? ",\n        " : "\n        ", f);
            json_str(f, r->outputs.v[k]);
        }
        fputs(r->outputs.n ? "\n      ],\n      \"warnings\": " : "],\n      \"warnings\": ", f);
        json_diags(f, r, DECKLE_WARNING, NULL);
        fputs(",\n      \"errors\": ", f);
        json_diags(f, r, DECKLE_ERROR, NULL);
        fputs(",\n      \"overflowed\": [", f);
        int first = 1, last = -1;
        for (int k = 0; k < r->ndiags; k++) {
            const cli_diag *d = &r->diags[k];
            if (strcmp(d->code, "overflow") != 0 || d->slide == last) continue;
            fprintf(f, "%s%d", first ? "" : ", ", d->slide);
            first = 0;
            last = d->slide;
        }
        fputs("],\n      \"missing_glyphs\": ", f);
        json_diags(f, r, -1, "missing-glyph");
        fprintf(f, ",\n      \"time_ms\": %.1f\n    }", r->ms);
    }
    fprintf(f, "%s],\n  \"summary\": {\"decks\": %d, \"failed\": %d, \"warnings\": %d, "
               "\"errors\": %d, \"outputs\": %d}\n}\n",
            n ? "\n  " : "", n, failed, warnings, errors, outputs);
}
