/*
 * --watch: render, then render a deck again whenever one of its inputs —
 * the deck, its theme, its images — changes.
 *
 * inotify watches the *folders* holding the inputs, not the files:
 * editors save by writing a new file and renaming it over the old one,
 * which would silently end a watch on the file itself. Events for other
 * names in those folders are ignored. A save is often several events
 * (truncate, write, rename, chmod), so after the first relevant event we
 * wait until the folder has been quiet for DEBOUNCE_MS, then render the
 * decks that use a changed file, each in a fresh worker process (the
 * batch runner), and watch their inputs anew (a deck may name new images).
 * The outputs appear atomically, so a PDF viewer that reloads on change
 * never reads half a file. SIGINT or SIGTERM ends the loop after the
 * render in progress; the exit code is that of the last render.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "cli.h"

enum { DEBOUNCE_MS = 100 };

static volatile sig_atomic_t stop;

static void on_signal(int sig) {
    (void)sig;
    stop = 1;
}

/* The absolute form of a path whose folder exists (the file itself may be gone). */
static char *absolute(const char *p) {
    char *d = strdup(p), *b = strdup(p), *out = NULL;
    if (d && b) {
        char *rd = realpath(dirname(d), NULL);
        if (rd && asprintf(&out, "%s/%s", rd, basename(b)) < 0) out = NULL;
        free(rd);
    }
    free(d);
    free(b);
    return out;
}

typedef struct {
    int fd;
    strvec dirs;  /* watched folders, index = position of wd in wds */
    int *wds;
    strvec files; /* absolute paths of every input */
    int **users;  /* per file: which decks use it, -1 terminated */
} watcher;

/* Forget what the watcher knows; with `unwatch`, end its kernel watches too. */
static void watcher_free(watcher *w, int unwatch) {
    if (unwatch)
        for (int i = 0; i < w->dirs.n; i++) inotify_rm_watch(w->fd, w->wds[i]);
    strvec_free(&w->dirs);
    for (int i = 0; i < w->files.n; i++) free(w->users[i]);
    free(w->users);
    free(w->wds);
    strvec_free(&w->files);
    w->users = NULL;
    w->wds = NULL;
}

static void watch_file(watcher *w, const char *path, int deck) {
    char *abs = absolute(path);
    if (!abs) return;
    int i;
    for (i = 0; i < w->files.n && strcmp(w->files.v[i], abs) != 0; i++) {
    }
    if (i == w->files.n) {
        strvec_add(&w->files, abs);
        w->users = realloc(w->users, (size_t)w->files.n * sizeof *w->users);
        w->users[i] = calloc(1, sizeof(int));
        w->users[i][0] = -1;
    }
    int k = 0;
    while (w->users[i][k] >= 0 && w->users[i][k] != deck) k++;
    if (w->users[i][k] < 0) {
        w->users[i] = realloc(w->users[i], (size_t)(k + 2) * sizeof(int));
        w->users[i][k] = deck;
        w->users[i][k + 1] = -1;
    }
    char *dir = strdup(abs);
    dirname(dir);
    if (!strvec_has(&w->dirs, dir)) {
        int wd = inotify_add_watch(w->fd, dir,
                                   IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_ATTRIB);
        if (wd >= 0) {
            strvec_add(&w->dirs, dir);
            w->wds = realloc(w->wds, (size_t)w->dirs.n * sizeof *w->wds);
            w->wds[w->dirs.n - 1] = wd;
        }
    }
    free(dir);
    free(abs);
}

/* Mark the decks that use the file `name` in the folder watched as `wd`. */
static int mark(watcher *w, int wd, const char *name, unsigned char *dirty) {
    int hit = 0;
    for (int i = 0; i < w->dirs.n; i++) {
        if (w->wds[i] != wd) continue;
        char *path = NULL;
        if (asprintf(&path, "%s/%s", w->dirs.v[i], name) < 0) return 0;
        for (int f = 0; f < w->files.n; f++) {
            if (strcmp(w->files.v[f], path) != 0) continue;
            for (int k = 0; w->users[f][k] >= 0; k++) dirty[w->users[f][k]] = 1;
            hit = 1;
        }
        free(path);
    }
    return hit;
}

/* Read pending events; returns how many concerned an input. */
static int read_events(watcher *w, unsigned char *dirty) {
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    int hits = 0;
    ssize_t n = read(w->fd, buf, sizeof buf);
    for (char *p = buf; n > 0 && p < buf + n;) {
        struct inotify_event *e = (struct inotify_event *)p;
        if (e->len) hits += mark(w, e->wd, e->name, dirty);
        p += sizeof *e + e->len;
    }
    return hits;
}

int cli_watch(const cli_settings *s, deckle_options *o, const char *const *decks, int n) {
    watcher w = {0};
    w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w.fd < 0) {
        perror("deckle: inotify");
        return EXIT_USAGE;
    }
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    deck_report *reports = calloc((size_t)n, sizeof *reports);
    unsigned char *dirty = malloc((size_t)n);
    const char **todo = calloc((size_t)n, sizeof *todo);
    int *which = calloc((size_t)n, sizeof *which);
    strvec *inputs = calloc((size_t)n, sizeof *inputs);
    int rc = 0;
    if (!reports || !dirty || !todo || !which || !inputs) {
        rc = EXIT_INPUT;
        goto done;
    }
    memset(dirty, 1, (size_t)n);
    /* the decks are watched from the start: an edit during the first render is seen */
    for (int i = 0; i < n; i++) watch_file(&w, decks[i], i);
    while (!stop) {
        /* render the decks whose inputs changed */
        int m = 0;
        for (int i = 0; i < n; i++)
            if (dirty[i]) {
                which[m] = i;
                todo[m++] = decks[i];
            }
        cli_settings rs = *s;
        rc = cli_run(&rs, o, todo, m, reports);
        for (int k = 0; k < m; k++) {
            deck_report *r = &reports[k];
            strvec_free(&inputs[which[k]]);
            for (int f = 0; f < r->inputs.n; f++) strvec_add(&inputs[which[k]], r->inputs.v[f]);
            /* a deck that could not be read: wait for it to appear */
            if (!inputs[which[k]].n) strvec_add(&inputs[which[k]], decks[which[k]]);
            if (!s->quiet)
                fprintf(stderr, "deckle: %s: %s, %d slide%s written\n", r->path,
                        r->status ? "failed" : "rendered", r->ndone, r->ndone == 1 ? "" : "s");
        }
        cli_reports_free(reports, m);
        /* Watch the inputs anew. A folder watched before keeps its watch (adding it again
           gives the same descriptor), and with it the events queued while rendering: a save
           during a render is not lost but starts the next one. */
        watcher nw = {.fd = w.fd};
        for (int i = 0; i < n; i++)
            for (int f = 0; f < inputs[i].n; f++) watch_file(&nw, inputs[i].v[f], i);
        for (int i = 0; i < w.dirs.n; i++)
            if (!strvec_has(&nw.dirs, w.dirs.v[i])) inotify_rm_watch(w.fd, w.wds[i]);
        watcher_free(&w, 0);
        w = nw;
        if (!s->quiet)
            fprintf(stderr, "deckle: watching %d file%s; Ctrl-C stops\n", w.files.n,
                    w.files.n == 1 ? "" : "s");
        memset(dirty, 0, (size_t)n);
        /* wait for a change, then for quiet */
        int hits = 0;
        while (!stop) {
            struct pollfd pf = {w.fd, POLLIN, 0};
            int r = poll(&pf, 1, hits ? DEBOUNCE_MS : -1);
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) break;
            if (r == 0) break; /* quiet for DEBOUNCE_MS after a change */
            hits += read_events(&w, dirty);
        }
        if (hits && s->verbose) fputs("deckle: change seen; rendering again\n", stderr);
    }
done:
    watcher_free(&w, 1);
    close(w.fd);
    if (inputs)
        for (int i = 0; i < n; i++) strvec_free(&inputs[i]);
    free(inputs);
    free(which);
    free(todo);
    free(dirty);
    free(reports);
    return rc;
}
