/*
 * cli/ — the deckle command: options (main.c), running decks on worker
 * processes and reporting (batch.c), re-rendering on change (watch.c).
 * It renders through the public library interface, include/deckle.h.
 */
#ifndef DK_CLI_H
#define DK_CLI_H

#include <stdio.h>

#include "../../include/deckle.h"

/* Exit codes (README, --help, deckle.1). */
enum { EXIT_WARN = 1, EXIT_USAGE = 2, EXIT_INPUT = 3, EXIT_OUTPUT = 4 };

/* A growable list of malloc'd strings. */
typedef struct {
    char **v;
    int n, cap;
} strvec;

void strvec_add(strvec *s, const char *p);
int strvec_has(const strvec *s, const char *p);
void strvec_free(strvec *s);

/* One diagnostic, owned. */
typedef struct {
    int level; /* deckle_level */
    int line, col, slide;
    char *file, *code, *message, *text;
    int chunk, seq; /* which worker sent it, in what order: for a stable sort */
} cli_diag;

/* Everything known about one deck after its render(s). */
typedef struct {
    const char *path;    /* as given on the command line */
    int nslides;         /* in the deck; -1 never read */
    int nrender;         /* slides to render, summed over workers */
    int *done;           /* slide numbers written */
    int ndone, capdone;
    strvec outputs;
    strvec parts;        /* a PDF's parts, written by its slices, to join */
    strvec inputs;       /* deck, theme, images: what --watch watches */
    cli_diag *diags;
    int ndiags, capdiags;
    int status;          /* worst exit code of its workers */
    int nwarn;
    double ms;           /* wall time of its slowest worker */
    int chunks, chunks_left;
} deck_report;

/* The run's settings beyond the renderer's own options. */
typedef struct {
    int jobs;          /* workers */
    int json;          /* --json */
    int quiet, verbose;
    int strict;
    int progress;      /* progress bar allowed (stderr is a terminal, not --quiet) */
    int per_slide;     /* the format writes a file per slide (slides may be split) */
    int png;           /* the format is PNG (rows deflated on threads) */
    int watch;
} cli_settings;

/*
 * Render decks[0..n) with `o` on s->jobs workers, filling reports[0..n).
 * Returns the run's exit code: the worst of the decks' (1 for warnings
 * under --strict when nothing worse happened).
 */
int cli_run(const cli_settings *s, deckle_options *o, const char *const *decks, int n,
            deck_report *reports);

/*
 * SIGTERM, SIGINT, SIGHUP and SIGPIPE (those not ignored) end the run
 * without leaving half-written files: the workers get the signal too, and
 * each process removes its temporary files (deckle_remove_temporary_files)
 * before it ends by the signal. For cli_run; --watch has its own handler.
 */
void cli_handle_termination(void);

/* Free what cli_run put into the reports and reset them. */
void cli_reports_free(deck_report *reports, int n);

/* The JSON report of a run (one document) on `f`. */
void cli_json(FILE *f, const cli_settings *s, const deck_report *reports, int n, int exit_code,
              double ms);

/* Watch every deck's inputs and render a deck again when one changes; returns at SIGINT/SIGTERM. */
int cli_watch(const cli_settings *s, deckle_options *o, const char *const *decks, int n);

/* Milliseconds on a monotonic clock. */
double cli_now_ms(void);

/* End the process with `code`, stdio flushed, without the libraries' exit-time destructors. */
_Noreturn void cli_exit(int code);

#endif
