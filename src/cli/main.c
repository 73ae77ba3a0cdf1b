/*
 * deckle — the command line: options, inputs and outputs, exit codes.
 * Rendering goes through the library (include/deckle.h); batch.c runs the
 * decks on worker processes, watch.c re-renders on change.
 *
 * Exit status (the worst over all decks):
 *   0 success (warnings allowed unless --strict)
 *   1 there were warnings and --strict
 *   2 bad usage
 *   3 bad input: a deck that cannot be read or rendered
 *   4 an output could not be written
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static void usage(FILE *f) {
    fputs("usage: deckle [options] DECK.md...\n"
          "\n"
          "Render Markdown slide decks (slides separated by lines holding only ---)\n"
          "to PDF, PNG, SVG, a layout dump or standalone HTML. '-' reads a deck from\n"
          "standard input.\n"
          "\n"
          "  -o, --output PATH     output file, or folder for per-slide formats (default:\n"
          "                        DECK.pdf beside each deck). A template may use {name}\n"
          "                        (deck file name without .md), {dir} (its folder) and,\n"
          "                        for PNG and SVG, {n} (slide number 001, 002, ...):\n"
          "                        -o out/{name}/{n}.png. A folder (ending in /) takes\n"
          "                        DECK.pdf for every deck. '-' writes a PDF or layout\n"
          "                        dump to standard output\n"
          "  -f, --format FMT      pdf (default), png, svg, layout (JSON boxes), html;\n"
          "                        without -f the extension of -o decides\n"
          "  -j, --jobs N          render on N cores (default: all): worker processes, and\n"
          "                        for PNG threads that compress; output is the same as\n"
          "                        with -j 1\n"
          "      --json            print a JSON report on stdout: per deck its slides,\n"
          "                        outputs, warnings and errors, overflowed slides, time\n"
          "      --watch           render, then render again whenever a deck, its images\n"
          "                        or its theme change, until interrupted\n"
          "      --pages LIST      only these slides, e.g. 2-4,6 (every format)\n"
          "      --scale S         PNG pixels per CSS px (1.5 gives 1920x1080)\n"
          "      --size SIZE       slide size: WxH in CSS px (default 1280x720), or a preset\n"
          "                        16:9 (1920x1080 px), 4:3, square, portrait, og\n"
          "      --handout N       PDF handouts: N slides a page (1, 2, 3, 4, 6, 9)\n"
          "      --paper P         handout paper: a4 (default) or letter\n"
          "      --notes           handouts: speaker notes beside each slide\n"
          "      --transparent     PNG: transparent background\n"
          "      --compression N   PNG: zlib level 0-9 (default 3)\n"
          "  -t, --theme NAME      theme name or .css file (default: front matter, else default)\n"
          "      --no-fix-text     do not repair mojibake\n"
          "      --assets DIR      images may also come from DIR (repeatable); otherwise\n"
          "                        only from the deck's project folder: the nearest folder\n"
          "                        above the deck holding .git or .obsidian, else its own\n"
          "      --allow-any-path  images from any local path (trusted decks only);\n"
          "                        --allow-outside is the old name\n"
          "      --strict          exit 1 when there were warnings\n"
          "  -q, --quiet           no warnings and no progress bar on stderr (errors still)\n"
          "  -v, --verbose         notes too (text shrunk to fit, fonts, ...)\n"
          "  -h, --help            this help\n"
          "      --version         print the version and where fonts and themes are found\n"
          "\n"
          "Messages go to stderr as FILE:LINE:COL: warning: MESSAGE. A progress bar is\n"
          "drawn on stderr when it is a terminal and the run takes more than a moment.\n"
          "SOURCE_DATE_EPOCH pins the PDF's dates (reproducible output).\n"
          "\n"
          "Exit status (the worst over all decks; one failing deck does not stop the\n"
          "others): 0 success; 1 warnings and --strict; 2 bad usage; 3 bad input (a deck\n"
          "that cannot be read or rendered); 4 an output could not be written.\n",
          f);
}

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * An installed deckle finds its data beside it: <prefix>/bin/deckle uses
 * <prefix>/share/deckle, wherever the prefix was moved. NULL when the
 * binary does not sit in such a tree (a build folder) or $DECKLE_DATA is set.
 */
static char *installed_data_dir(void) {
    const char *env = getenv("DECKLE_DATA");
    if (env && *env) return NULL;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return NULL;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash) return NULL;
    *slash = 0;
    char *dir = NULL, *fonts = NULL;
    if (asprintf(&dir, "%s/../share/deckle", exe) < 0) return NULL;
    if (asprintf(&fonts, "%s/fonts", dir) < 0) fonts = NULL;
    int ok = fonts && is_dir(fonts);
    free(fonts);
    if (!ok) {
        free(dir);
        return NULL;
    }
    char *real = realpath(dir, NULL);
    free(dir);
    return real;
}

/* The key two decks must not share: the file (or per-slide file prefix) they write. */
static char *output_key(const char *out, const char *deck, int per_slide) {
    char *e = deckle_output_path(out, deck, 0);
    if (!e || !per_slide || strstr(out, "{n}")) return e;
    char *name = deckle_output_path("{name}", deck, 0), *k = NULL;
    if (name && asprintf(&k, "%s/%s", e, name) < 0) k = NULL;
    free(name);
    free(e);
    return k;
}

/*
 * How this process allocates: set before anything is allocated.
 *
 * - A render frees and allocates the same few megabytes slide after slide:
 *   keep what is freed instead of giving it back to the kernel and faulting
 *   it in again (a 1001-slide PDF: 30,000 page faults, half of them this).
 * - Blocks up to 32 MB (a file read, a deflate state, cairo's buffers, qpdf's
 *   output) come from that kept heap too, not from a fresh mapping each.
 * - A PNG render's threads share that heap (main, once the format is
 *   known): their few big blocks (a decoded image's rows, a band of
 *   filtered rows, a PNG file) are then in its huge pages, not in arenas
 *   of their own faulted in 4 KB at a time (the seed's PNGs with -j 2:
 *   560 page faults instead of 830). Other formats keep glibc's arenas:
 *   the threads that read a 1001-slide PDF's parts side by side make many
 *   small blocks, and with one heap they waited on each other (15% slower).
 * - The heap's next 64 MB (HEAP_PARTS blocks of HEAP_PART, which is below
 *   the mmap threshold), from a 2 MB boundary, are marked for transparent
 *   huge pages. A page fault is the costliest thing a short run does on a
 *   virtual machine (the reference deck's PDF took 1,700 of them, most in
 *   the heap); in 2 MB pages the heap takes a handful. The seed deck's PDF
 *   went from 66 to 56 ms on a 2-core VM. A 1001-slide PDF's heap grows
 *   past 16 MB: with 64 MB marked it took 5,700 page faults instead of
 *   10,700, at the same peak RSS (74 MB). Only what is touched is
 *   resident; where the kernel gives no huge pages, this changes nothing.
 *
 * Only the program does this: the library leaves its host's allocator alone.
 */
enum { HEAP_PART = 16 << 20, HEAP_PARTS = 4, HUGE_PAGE = 2 << 20 };

static void *volatile heap_pad; /* never freed: the heap below the first huge page */

static void heap_setup(void) {
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    /* from the heap (below the threshold), then its top: one right after the other */
    char *part[HEAP_PARTS];
    int n = 0;
    while (n < HEAP_PARTS && (part[n] = malloc(HEAP_PART)) &&
           (n == 0 || part[n] == part[n - 1] + HEAP_PART + 16))
        n++;
    if (n < HEAP_PARTS && part[n]) free(part[n]);
    if (n == 0) return;
    char *p = part[0];
    uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    madvise((void *)a, (uintptr_t)part[n - 1] + HEAP_PART - a, MADV_HUGEPAGE);
    while (n) free(part[--n]);
    /* a 2 MB page is only given to an aligned 2 MB the process has not touched yet: what
       the heap hands out next starts there, behind a block that fills the space below (a
       chunk of n bytes asked for takes n + 8, in 16s) */
    if (a - (uintptr_t)p >= 64) heap_pad = malloc(a - (uintptr_t)p - 8);
}

int main(int argc, char **argv) {
    heap_setup();
    enum {
        OPT_SCALE = 256, OPT_SIZE, OPT_NOFIX, OPT_OUTSIDE, OPT_STRICT, OPT_VERSION, OPT_PAGES,
        OPT_HANDOUT, OPT_PAPER, OPT_NOTES, OPT_TRANSPARENT, OPT_COMPRESSION, OPT_JSON, OPT_WATCH,
        OPT_ASSETS,
    };
    static const struct option longs[] = {
        {"output", required_argument, 0, 'o'},   {"format", required_argument, 0, 'f'},
        {"scale", required_argument, 0, OPT_SCALE}, {"size", required_argument, 0, OPT_SIZE},
        {"theme", required_argument, 0, 't'},    {"no-fix-text", no_argument, 0, OPT_NOFIX},
        {"allow-outside", no_argument, 0, OPT_OUTSIDE}, {"strict", no_argument, 0, OPT_STRICT},
        {"allow-any-path", no_argument, 0, OPT_OUTSIDE}, {"assets", required_argument, 0, OPT_ASSETS},
        {"quiet", no_argument, 0, 'q'},          {"verbose", no_argument, 0, 'v'},
        {"help", no_argument, 0, 'h'},           {"version", no_argument, 0, OPT_VERSION},
        {"pages", required_argument, 0, OPT_PAGES}, {"handout", required_argument, 0, OPT_HANDOUT},
        {"paper", required_argument, 0, OPT_PAPER}, {"notes", no_argument, 0, OPT_NOTES},
        {"transparent", no_argument, 0, OPT_TRANSPARENT},
        {"compression", required_argument, 0, OPT_COMPRESSION},
        {"jobs", required_argument, 0, 'j'},     {"json", no_argument, 0, OPT_JSON},
        {"watch", no_argument, 0, OPT_WATCH},
        {0, 0, 0, 0},
    };
    cli_settings s = {0};
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    s.jobs = cores > 0 ? (int)cores : 1;
    deckle_options *o = deckle_options_new();
    const char *format = NULL, *output = NULL;
    char *data = NULL, *tmpl = NULL;
    int c, rc = EXIT_USAGE, show_version = 0;
    if (!o) {
        fputs("deckle: out of memory\n", stderr);
        return EXIT_INPUT;
    }
    /* option name for the library, or NULL; value is optarg or "1"/"0" */
    while ((c = getopt_long(argc, argv, "o:f:t:qvhj:", longs, NULL)) != -1) {
        const char *name = NULL, *value = optarg;
        switch (c) {
        case 'o': output = optarg; break;
        case 'f': format = optarg; break;
        case 't': name = "theme"; break;
        case 'q': s.quiet = 1; break;
        case 'v': s.verbose = 1; break;
        case 'h': usage(stdout); rc = 0; goto done;
        case OPT_VERSION: show_version = 1; break;
        case OPT_NOFIX: name = "fix-text", value = "0"; break;
        case OPT_OUTSIDE: name = "allow-any-path", value = "1"; break;
        case OPT_ASSETS:
            if (!is_dir(optarg)) {
                fprintf(stderr, "deckle: --assets %s: not a folder\n", optarg);
                goto done;
            }
            name = "assets";
            break;
        case OPT_STRICT: s.strict = 1; break;
        case OPT_SCALE: name = "scale"; break;
        case OPT_SIZE: name = "size"; break;
        case OPT_PAGES: name = "pages"; break;
        case OPT_HANDOUT: name = "handout"; break;
        case OPT_PAPER: name = "paper"; break;
        case OPT_NOTES: name = "notes", value = "1"; break;
        case OPT_TRANSPARENT: name = "transparent", value = "1"; break;
        case OPT_COMPRESSION: name = "compression"; break;
        case OPT_JSON: s.json = 1; break;
        case OPT_WATCH: s.watch = 1; break;
        case 'j': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || end == optarg || n < 1 || n > 1024) {
                fprintf(stderr, "deckle: --jobs wants a number of workers 1-1024, not '%s'\n", optarg);
                goto done;
            }
            s.jobs = (int)n;
            break;
        }
        default: usage(stderr); goto done;
        }
        if (name && deckle_options_set(o, name, value) != DECKLE_OK) {
            fprintf(stderr, "deckle: %s\n", deckle_options_error(o));
            goto done;
        }
    }
    data = installed_data_dir();
    if (data) deckle_options_set(o, "data-dir", data);
    /* the process is ours: no system font configuration is loaded unless an SVG image needs it */
    deckle_options_set(o, "fonts-current", "1");
    if (show_version) {
        printf("deckle %s\ndata: %s\n", deckle_version(), data ? data : deckle_default_data_dir());
        rc = 0;
        goto done;
    }
    int ndecks = argc - optind;
    const char *const *decks = (const char *const *)argv + optind;
    if (ndecks < 1) {
        fputs("deckle: no deck given\n", stderr);
        usage(stderr);
        goto done;
    }
    if (!format && output) {
        if (ends_with(output, ".png")) format = "png";
        else if (ends_with(output, ".json")) format = "layout";
        else if (ends_with(output, ".html")) format = "html";
        else if (ends_with(output, ".svg")) format = "svg";
    }
    if (format && deckle_options_set(o, "format", format) != DECKLE_OK) {
        fprintf(stderr, "deckle: %s\n", deckle_options_error(o));
        goto done;
    }
    int pdf = !format || !strcmp(format, "pdf"), layout = format && (!strcmp(format, "layout") ||
                                                                     !strcmp(format, "json"));
    s.per_slide = !pdf && !layout;
    s.png = format && !strcmp(format, "png");
    /* PNG: the pool's threads share the main heap (before any starts; see heap_setup) */
    if (s.png) mallopt(M_ARENA_MAX, 1);
    /* checks across decks: standard input once, one stdout, no two decks on one file */
    int stdin_decks = 0;
    for (int i = 0; i < ndecks; i++) stdin_decks += strcmp(decks[i], "-") == 0;
    if (stdin_decks > 1) {
        fputs("deckle: standard input ('-') can be read only once\n", stderr);
        goto done;
    }
    if (s.watch && stdin_decks) {
        fputs("deckle: --watch needs deck files, not standard input\n", stderr);
        goto done;
    }
    if (output && !strcmp(output, "-")) {
        if (s.per_slide) {
            fputs("deckle: -o - writes one file (pdf or layout), not one per slide\n", stderr);
            goto done;
        }
        if (ndecks > 1 || s.json || s.watch) {
            fprintf(stderr, "deckle: -o - writes one deck to standard output; not with %s\n",
                    ndecks > 1 ? "several decks" : s.json ? "--json" : "--watch");
            goto done;
        }
    }
    if (output && !s.per_slide && !strchr(output, '{') &&
        (ends_with(output, "/") || is_dir(output))) {
        /* a folder for per-deck outputs: every deck's file in it */
        size_t n = strlen(output);
        if (asprintf(&tmpl, "%s%s{name}%s", output, output[n - 1] == '/' ? "" : "/",
                     pdf ? ".pdf" : ".layout.json") < 0) {
            tmpl = NULL;
            goto done;
        }
        output = tmpl;
    }
    if (output && deckle_options_set(o, "output", output) != DECKLE_OK) goto done;
    if (output && strcmp(output, "-") != 0) {
        strvec keys = {0};
        int clash = 0;
        for (int i = 0; i < ndecks && !clash; i++) {
            char *k = output_key(output, decks[i], s.per_slide);
            if (k && strvec_has(&keys, k)) {
                fprintf(stderr, "deckle: two decks would write %s; put {name} or {dir} in -o\n", k);
                clash = 1;
            }
            if (k) strvec_add(&keys, k);
            free(k);
        }
        strvec_free(&keys);
        if (clash) goto done;
    }
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch && *epoch && deckle_options_set(o, "source-date-epoch", epoch) != DECKLE_OK) {
        fprintf(stderr, "deckle: SOURCE_DATE_EPOCH: %s\n", deckle_options_error(o));
        goto done;
    }
    if (s.verbose) deckle_options_set(o, "verbose", "1");
    s.progress = !s.quiet && isatty(2);

    if (s.watch) {
        rc = cli_watch(&s, o, decks, ndecks);
        goto done;
    }
    deck_report *reports = calloc((size_t)ndecks, sizeof *reports);
    if (!reports) {
        rc = EXIT_INPUT;
        goto done;
    }
    double t0 = cli_now_ms();
    cli_handle_termination();
    rc = cli_run(&s, o, decks, ndecks, reports);
    if (s.json) cli_json(stdout, &s, reports, ndecks, rc, cli_now_ms() - t0);
    if (fflush(stdout) != 0 && rc < EXIT_OUTPUT) rc = EXIT_OUTPUT;
    cli_reports_free(reports, ndecks);
    free(reports);
done:
    deckle_options_free(o);
    free(data);
    free(tmpl);
    cli_exit(rc);
}
