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
          "  -f, --format FMT      pdf (default), png, layout (JSON boxes), html;\n"
          "                        without -f the extension of -o decides\n"
          "      --scale S         PNG pixels per CSS px (1.5 gives 1920x1080)\n"
          "      --size WxH        slide size in CSS px (default 1280x720, or 16:9, 4:3)\n"
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
    enum { OPT_SCALE = 256, OPT_SIZE, OPT_NOFIX, OPT_OUTSIDE, OPT_STRICT, OPT_VERSION };
    static const struct option longs[] = {
        {"output", required_argument, 0, 'o'},   {"format", required_argument, 0, 'f'},
        {"scale", required_argument, 0, OPT_SCALE}, {"size", required_argument, 0, OPT_SIZE},
        {"theme", required_argument, 0, 't'},    {"no-fix-text", no_argument, 0, OPT_NOFIX},
        {"allow-outside", no_argument, 0, OPT_OUTSIDE}, {"strict", no_argument, 0, OPT_STRICT},
        {"quiet", no_argument, 0, 'q'},          {"verbose", no_argument, 0, 'v'},
        {"help", no_argument, 0, 'h'},           {"version", no_argument, 0, OPT_VERSION},
        {0, 0, 0, 0},
    };
    dk_options o;
    dk_options_init(&o);
    const char *format = NULL;
    int strict = 0, c;
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
            if (*end || !(o.scale > 0 && o.scale <= 16)) {
                fprintf(stderr, "deckle: --scale wants a number in (0, 16], not '%s'\n", optarg);
                return 2;
            }
            break;
        }
        case OPT_SIZE: {
            char *end;
            double w = strtod(optarg, &end), h = 0;
            if (*end == 'x' || *end == 'X') h = strtod(end + 1, &end);
            else if (*end == ':' ) {
                double r = strtod(end + 1, &end);
                h = r > 0 ? 720 : 0;
                w = r > 0 ? 720 * w / r : 0;
            }
            if (*end || !(w >= 16 && w <= 16384 && h >= 16 && h <= 16384)) {
                fprintf(stderr, "deckle: --size wants WxH in px (16..16384) or W:H, not '%s'\n", optarg);
                return 2;
            }
            o.width = w;
            o.height = h;
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
    if (!format && o.output) {
        if (ends_with(o.output, ".png")) format = "png";
        else if (ends_with(o.output, ".json")) format = "layout";
        else if (ends_with(o.output, ".html")) format = "html";
    }
    if (!format || strcmp(format, "pdf") == 0) o.format = DK_FMT_PDF;
    else if (strcmp(format, "png") == 0) o.format = DK_FMT_PNG;
    else if (strcmp(format, "layout") == 0 || strcmp(format, "json") == 0) o.format = DK_FMT_LAYOUT;
    else if (strcmp(format, "html") == 0) o.format = DK_FMT_HTML;
    else {
        fprintf(stderr, "deckle: unknown format '%s' (pdf, png, layout, html)\n", format);
        return 2;
    }
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch && *epoch) o.source_date_epoch = strtol(epoch, NULL, 10);
    int nwarn = 0;
    dk_status st = dk_render_file(argv[optind], &o, &nwarn);
    if (st != DK_OK) return 1;
    if (strict && nwarn) {
        fprintf(stderr, "deckle: %d warning%s and --strict\n", nwarn, nwarn == 1 ? "" : "s");
        return 1;
    }
    return 0;
}
