/*
 * deckle — the command line.
 *
 * Exit status: 0 success (warnings allowed unless --strict), 1 a deck could
 * not be rendered or an output not written (or --strict and warnings),
 * 2 bad usage.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

#ifndef DK_VERSION
#define DK_VERSION "0"
#endif

static void usage(FILE *f) {
    fputs("usage: deckle [options] DECK.md\n"
          "\n"
          "Render a Markdown slide deck (slides separated by lines holding only ---)\n"
          "to PDF, PNG, a layout dump or standalone HTML.\n"
          "\n"
          "  -o, --output PATH     output file, or folder for per-slide formats\n"
          "                        (default: DECK.pdf beside the deck)\n"
          "  -f, --format FMT      pdf (default), png, svg, layout (JSON boxes), html;\n"
          "                        without -f the extension of -o decides\n"
          "      --pages LIST      only these slides, e.g. 2-4,6 (every format)\n"
          "      --scale S         PNG pixels per CSS px (1.5 gives 1920x1080)\n"
          "      --size SIZE       slide size: WxH in CSS px (default 1280x720), or a preset\n"
          "                        16:9 (1920x1080 px), 4:3, square, portrait, og\n"
          "      --handout N       PDF handouts: N slides a page (1, 2, 3, 4, 6, 9)\n"
          "      --paper P         handout paper: a4 (default) or letter\n"
          "      --notes           handouts: speaker notes beside each slide\n"
          "      --transparent     PNG: transparent background\n"
          "      --compression N   PNG: zlib level 0-9\n"
          "  -t, --theme NAME      theme name or .css file (default: front matter, else default)\n"
          "      --no-fix-text     do not repair mojibake\n"
          "      --allow-outside   read images outside the deck's project folder\n"
          "      --strict          exit 1 when there were warnings\n"
          "  -q, --quiet           no warnings on stderr\n"
          "  -v, --verbose         more diagnostics\n"
          "  -h, --help            this help\n"
          "      --version         print the version\n"
          "\n"
          "Exit status: 0 success, 1 rendering or writing failed, 2 bad usage.\n",
          f);
}

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}


int main(int argc, char **argv) {
    enum {
        OPT_SCALE = 256, OPT_SIZE, OPT_NOFIX, OPT_OUTSIDE, OPT_STRICT, OPT_VERSION, OPT_PAGES,
        OPT_HANDOUT, OPT_PAPER, OPT_NOTES, OPT_TRANSPARENT, OPT_COMPRESSION,
    };
    static const struct option longs[] = {
        {"output", required_argument, 0, 'o'},   {"format", required_argument, 0, 'f'},
        {"scale", required_argument, 0, OPT_SCALE}, {"size", required_argument, 0, OPT_SIZE},
        {"theme", required_argument, 0, 't'},    {"no-fix-text", no_argument, 0, OPT_NOFIX},
        {"allow-outside", no_argument, 0, OPT_OUTSIDE}, {"strict", no_argument, 0, OPT_STRICT},
        {"quiet", no_argument, 0, 'q'},          {"verbose", no_argument, 0, 'v'},
        {"help", no_argument, 0, 'h'},           {"version", no_argument, 0, OPT_VERSION},
        {"pages", required_argument, 0, OPT_PAGES}, {"handout", required_argument, 0, OPT_HANDOUT},
        {"paper", required_argument, 0, OPT_PAPER}, {"notes", no_argument, 0, OPT_NOTES},
        {"transparent", no_argument, 0, OPT_TRANSPARENT},
        {"compression", required_argument, 0, OPT_COMPRESSION},
        {0, 0, 0, 0},
    };
    dk_options o;
    dk_options_init(&o);
    const char *format = NULL;
    int strict = 0, c, scale_given = 0;
    double size_scale = 0;
    while ((c = getopt_long(argc, argv, "o:f:t:qvh", longs, NULL)) != -1) {
        switch (c) {
        case 'o': o.output = optarg; break;
        case 'f': format = optarg; break;
        case 't': o.theme = optarg; break;
        case 'q': o.quiet = 1; break;
        case 'v': o.verbose = 1; break;
        case 'h': usage(stdout); return 0;
        case OPT_VERSION: printf("deckle %s\n", DK_VERSION); return 0;
        case OPT_NOFIX: o.fix_text = 0; break;
        case OPT_OUTSIDE: o.allow_outside = 1; break;
        case OPT_STRICT: strict = 1; break;
        case OPT_SCALE: {
            char *end;
            o.scale = strtod(optarg, &end);
            scale_given = 1;
            if (*end || !(o.scale > 0 && o.scale <= 16)) {
                fprintf(stderr, "deckle: --scale wants a number in (0, 16], not '%s'\n", optarg);
                return 2;
            }
            break;
        }
        case OPT_SIZE: {
            double scale = o.scale;
            if (!dk_size_parse(optarg, &o.width, &o.height, &scale)) {
                fprintf(stderr, "deckle: --size wants WxH in CSS px (16..16384) or one of 16:9, "
                                "4:3, square, portrait, og; not '%s'\n", optarg);
                return 2;
            }
            size_scale = scale;
            break;
        }
        case OPT_PAGES: o.pages = optarg; break;
        case OPT_HANDOUT: {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || !(n == 1 || n == 2 || n == 3 || n == 4 || n == 6 || n == 9)) {
                fprintf(stderr, "deckle: --handout wants 1, 2, 3, 4, 6 or 9, not '%s'\n", optarg);
                return 2;
            }
            o.handout = (int)n;
            break;
        }
        case OPT_PAPER:
            if (strcasecmp(optarg, "a4") == 0) o.paper_letter = 0;
            else if (strcasecmp(optarg, "letter") == 0) o.paper_letter = 1;
            else {
                fprintf(stderr, "deckle: --paper wants a4 or letter, not '%s'\n", optarg);
                return 2;
            }
            break;
        case OPT_NOTES: o.notes = 1; break;
        case OPT_TRANSPARENT: o.transparent = 1; break;
        case OPT_COMPRESSION: {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 0 || n > 9) {
                fprintf(stderr, "deckle: --compression wants 0-9, not '%s'\n", optarg);
                return 2;
            }
            o.compression = (int)n;
            break;
        }
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, optind >= argc ? "deckle: no deck given\n" : "deckle: one deck at a time\n");
        usage(stderr);
        return 2;
    }
    /* a size preset brings its own scale unless --scale was given */
    if (size_scale > 0 && !scale_given) o.scale = size_scale;
    if (!format && o.output) {
        if (ends_with(o.output, ".png")) format = "png";
        else if (ends_with(o.output, ".json")) format = "layout";
        else if (ends_with(o.output, ".html")) format = "html";
        else if (ends_with(o.output, ".svg")) format = "svg";
    }
    if (!format || strcmp(format, "pdf") == 0) o.format = DK_FMT_PDF;
    else if (strcmp(format, "png") == 0) o.format = DK_FMT_PNG;
    else if (strcmp(format, "layout") == 0 || strcmp(format, "json") == 0) o.format = DK_FMT_LAYOUT;
    else if (strcmp(format, "html") == 0) o.format = DK_FMT_HTML;
    else if (strcmp(format, "svg") == 0) o.format = DK_FMT_SVG;
    else {
        fprintf(stderr, "deckle: unknown format '%s' (pdf, png, svg, layout, html)\n", format);
        return 2;
    }
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch && *epoch) o.source_date_epoch = strtol(epoch, NULL, 10);
    int nwarn = 0;
    dk_status st = dk_render_file(argv[optind], &o, &nwarn);
    if (st == DK_EUSAGE) return 2;
    if (st != DK_OK) return 1;
    if (strict && nwarn) {
        fprintf(stderr, "deckle: %d warning%s and --strict\n", nwarn, nwarn == 1 ? "" : "s");
        return 1;
    }
    return 0;
}
