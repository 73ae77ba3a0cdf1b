#define _GNU_SOURCE
/*
 * marp/ and the directive half of deck/: Marp directives, image keywords,
 * Obsidian embeds and wikilinks, speaker notes, the <section> wrap,
 * reveal.js annotations, and the extra slide separators.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "deck/deck.h"
#include "dom/dom.h"
#include "marp/marp.h"
#include "md/md.h"
#include "test.h"

/* Parse a deck quietly (warnings counted in ctx). */
static dk_deck parse(dk_ctx *ctx, const char *src) {
    dk_deck d;
    dk_ctx_init(ctx, "t.md", src, strlen(src));
    ctx->quiet = 1;
    CHECK(dk_deck_parse(ctx, src, strlen(src), &d) == DK_OK);
    return d;
}

/* Directive k of slide i as a static NUL-terminated string ("" when unset). */
static const char *dir(const dk_deck *d, int i, int k) {
    static char buf[256];
    dk_str v = d->dirs[i].v[k].v;
    snprintf(buf, sizeof buf, "%.*s", v.p ? (int)v.n : 0, v.p ? v.p : "");
    return buf;
}

static void test_directives(void) {
    dk_ctx ctx;
    const char *src = "---\nmarp: true\ntheme: gaia\npaginate: true\n_class: lead\nfooter: 'F **b**'\n---\n"
                      "# One\n---\n<!-- class: invert -->\n<!--\n_backgroundColor: black\n_color: white\n-->\n"
                      "# Two\n---\n# Three\n<!-- paginate: false -->\n```\n<!-- class: code -->\n```\n"
                      "---\n<!--- _footer: \"\" --->\n<!-- fit -->\n<!-- note: x\nnot a directive -->\n";
    dk_deck d = parse(&ctx, src);
    CHECK(d.nslides == 4);
    CHECK(d.marp);
    CHECK(dk_str_eq(d.theme, "marp-gaia"));
    CHECK(!d.vertical);
    CHECK_STR(dir(&d, 0, DK_DIR_CLASS), "lead");       /* _class in front matter: slide 1 only */
    CHECK_STR(dir(&d, 0, DK_DIR_PAGINATE), "true");
    CHECK_STR(dir(&d, 0, DK_DIR_FOOTER), "F **b**");
    CHECK_STR(dir(&d, 1, DK_DIR_CLASS), "invert");     /* class: applies from its slide on */
    CHECK_STR(dir(&d, 1, DK_DIR_BG_COLOR), "black");
    CHECK_STR(dir(&d, 1, DK_DIR_COLOR), "white");
    CHECK_STR(dir(&d, 2, DK_DIR_CLASS), "invert");     /* not the one inside the fence */
    CHECK_STR(dir(&d, 2, DK_DIR_BG_COLOR), "");        /* scoped: gone */
    CHECK_STR(dir(&d, 2, DK_DIR_PAGINATE), "false");   /* a comment at the end still counts */
    CHECK_STR(dir(&d, 3, DK_DIR_PAGINATE), "false");
    CHECK_STR(dir(&d, 3, DK_DIR_FOOTER), "");          /* <!--- ---> works; "" clears */
    CHECK(d.dirs[3].v[DK_DIR_FOOTER].v.p != NULL);
    /* the value's position is the deck offset of the value */
    CHECK(strncmp(src + d.dirs[1].v[DK_DIR_BG_COLOR].off, "black", 5) == 0);
    CHECK(ctx.nwarn == 0);
    dk_deck_free(&d);

    /* no `marp: true`, but Marp directives: a Marp deck with the default Marp theme */
    d = parse(&ctx, "<!-- paginate: true -->\n# A\n");
    CHECK(d.marp && dk_str_eq(d.theme, "marp-default"));
    dk_deck_free(&d);
    /* `class:` alone is Slidev's too: not Marp; a custom theme name is kept */
    d = parse(&ctx, "---\nclass: text-center\ntheme: seriph\n---\n# A\n");
    CHECK(!d.marp && dk_str_eq(d.theme, "seriph") && d.vertical);
    dk_deck_free(&d);
    d = parse(&ctx, "---\nmarp: true\ntheme: gem5\nstyle: |\n  h1 { color: red }\n---\n# A\n");
    CHECK(dk_str_eq(d.theme, "gem5"));
    CHECK(d.style.v.p && memmem(d.style.v.p, d.style.v.n, "h1 { color: red }", 17));
    dk_deck_free(&d);
}

static void test_heading_divider(void) {
    dk_ctx ctx;
    dk_deck d = parse(&ctx, "---\nmarp: true\nheadingDivider: 2\n---\n# T\ntext\n## A\n### a\n```\n## no\n```\n## B\n");
    CHECK(d.nslides == 3);
    CHECK(d.heading_divider == ((1u << 1) | (1u << 2)));
    dk_deck_free(&d);
    /* a list: only those levels; a `---` still splits; no empty slide before a heading */
    d = parse(&ctx, "---\nmarp: true\nheadingDivider: [2, 3]\n---\n## A\n# x\n### B\n---\n## C\n");
    CHECK(d.nslides == 3);
    dk_deck_free(&d);
    /* set in a comment */
    d = parse(&ctx, "<!-- headingDivider: 1 -->\n# A\n# B\n");
    CHECK(d.nslides == 2);
    dk_deck_free(&d);
    d = parse(&ctx, "---\nmarp: true\nheadingDivider: seven\n---\n# A\n");
    CHECK(ctx.nwarn == 1 && d.heading_divider == 0);
    dk_deck_free(&d);
}

static void test_separators(void) {
    dk_ctx ctx;
    /* Advanced Slides: `--` after a blank line; `Title\n--` is a setext heading */
    dk_deck d = parse(&ctx, "# A\n\n--\n\n# B\nTitle\n--\n\n----\n# C\n```\n--\n```\n");
    CHECK(d.nslides == 3);
    dk_deck_free(&d);
    /* Marp: `--` is text, `----` splits */
    d = parse(&ctx, "---\nmarp: true\n---\n# A\n\n--\n\n----\n# B\n");
    CHECK(d.nslides == 2);
    dk_deck_free(&d);
    /* reveal-md's own separators from the front matter */
    d = parse(&ctx, "---\nseparator: <!--s-->\nverticalSeparator: <!--v-->\n---\n# A\n<!--s-->\n# B\n<!--v-->\n# C\n");
    CHECK(d.nslides == 3);
    dk_deck_free(&d);
}

static void test_alt(void) {
    dk_marp_img o;
    char rest[64];
    CHECK(dk_marp_parse_alt("bg", &o, rest, sizeof rest) == 1);
    CHECK(o.bg && !o.split && !o.size[0] && rest[0] == 0);
    CHECK(dk_marp_parse_alt("bg right:40% contain", &o, rest, sizeof rest) == 3);
    CHECK(o.bg && o.split == 'r');
    CHECK_NEAR(o.split_pct, 40, 0);
    CHECK_STR(o.size, "contain");
    CHECK(dk_marp_parse_alt("bg left fit", &o, rest, sizeof rest) == 3);
    CHECK(o.split == 'l');
    CHECK_NEAR(o.split_pct, 50, 0);
    CHECK_STR(o.size, "contain");
    CHECK(dk_marp_parse_alt("bg 60% vertical", &o, rest, sizeof rest) == 3);
    CHECK_STR(o.size, "60%");
    CHECK(o.vertical);
    CHECK(dk_marp_parse_alt("w:300 A cat", &o, rest, sizeof rest) == 1);
    CHECK_STR(o.width, "300px");
    CHECK_STR(rest, "A cat");
    CHECK(dk_marp_parse_alt("height:1.5em width:20%", &o, rest, sizeof rest) == 2);
    CHECK_STR(o.height, "1.5em");
    CHECK_STR(o.width, "20%");
    CHECK(dk_marp_parse_alt("bg blur sepia:50%", &o, rest, sizeof rest) == 3);
    CHECK_STR(o.filter, "blur(10px) sepia(50%)");
    CHECK(dk_marp_parse_alt("a background photo", &o, rest, sizeof rest) == 0);
    CHECK_STR(rest, "a background photo");
    CHECK(dk_marp_parse_alt("w:wide", &o, rest, sizeof rest) == 0); /* not a length */
    CHECK(dk_marp_parse_alt(NULL, &o, rest, sizeof rest) == 0);
}

/* Write an empty file (and its folders). */
static void touch(const char *root, const char *rel) {
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    for (char *s = p + strlen(root) + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            mkdir(p, 0777);
            *s = '/';
        }
    FILE *f = fopen(p, "w");
    CHECK(f != NULL);
    if (f) fclose(f);
}

static void test_find(void) {
    char root[] = "/tmp/deckle-marp-XXXXXX";
    CHECK(mkdtemp(root) != NULL);
    char deck[1100];
    snprintf(deck, sizeof deck, "%s/notes/talk", root);
    touch(root, "notes/talk/deck.md");
    touch(root, "z/deep/pic.png");
    touch(root, "b/pic.png");
    touch(root, "a/x/pic.png");
    touch(root, ".hidden/only.png");
    touch(root, "assets/My Pic (1).png");
    touch(root, "notes/talk/local.png");
    char *p = dk_marp_find_file(root, deck, "pic.png");
    /* the shallowest match, ties in byte order: b/ before z/deep and a/x */
    CHECK(p && strcmp(p + strlen(root), "/b/pic.png") == 0);
    free(p);
    p = dk_marp_find_file(root, deck, "x/pic.png"); /* a vault path matches by its tail */
    CHECK(p && strcmp(p + strlen(root), "/a/x/pic.png") == 0);
    free(p);
    p = dk_marp_find_file(root, deck, "Vault/a/x/pic.png"); /* no such top folder */
    CHECK(p == NULL);
    free(p);
    p = dk_marp_find_file(root, deck, "local.png"); /* beside the deck first */
    CHECK(p && strstr(p, "/notes/talk/local.png"));
    free(p);
    p = dk_marp_find_file(root, deck, "My Pic (1).png");
    CHECK(p && strstr(p, "/assets/My Pic (1).png"));
    free(p);
    CHECK(dk_marp_find_file(root, deck, "only.png") == NULL); /* hidden folders are skipped */
    CHECK(dk_marp_find_file(root, deck, "none.png") == NULL);
    CHECK(dk_marp_find_file(root, deck, "../x.png") == NULL);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    CHECK(system(cmd) == 0);
}

/* md -> dom -> marp transform of slide i of `src`; returns <body>. */
static dk_node *transform(dk_ctx *ctx, dk_arena *a, dk_deck *d, const char *src, int i,
                          const char *dir_) {
    dk_html h;
    dk_node *root = NULL;
    CHECK(dk_md_render(ctx, a, src, &d->slides[i], &h) == DK_OK);
    CHECK(dk_dom_parse(ctx, a, &h, 0, &root) == DK_OK);
    dk_marp_in in = {src, d, i, dir_, dir_};
    CHECK(dk_marp_transform(ctx, a, &in, root) == DK_OK);
    return root ? dk_node_find(root, "body") : NULL;
}

/* The first element child. */
static dk_node *first_el(dk_node *n) {
    for (dk_node *c = n ? n->first : NULL; c; c = c->next)
        if (c->type == DK_NODE_ELEMENT) return c;
    return NULL;
}

static void test_section(void) {
    dk_ctx ctx;
    const char *src = "---\nmarp: true\npaginate: true\nheader: '**H**'\nfooter: F\n---\n"
                      "<!-- _class: lead -->\n# T\n\n![bg](a.png)\n\n![w:300 cat](c.png)\n---\n"
                      "![bg left:30%](a.png)\n\n## S\n\nNote: spoken\n\nmore\n";
    dk_deck d = parse(&ctx, src);
    dk_arena *a = dk_arena_new();
    dk_node *body = transform(&ctx, a, &d, src, 0, "/nonexistent");
    dk_node *sec = first_el(body);
    CHECK(dk_node_is(sec, "section"));
    CHECK_STR(dk_node_attr(sec, "id"), "1");
    CHECK_STR(dk_node_attr(sec, "class"), "lead");
    CHECK_STR(dk_node_attr(sec, "data-paginate"), "true");
    CHECK(strstr(dk_node_attr(sec, "style"), "background-image: url(\"a.png\")") != NULL);
    CHECK(strstr(dk_node_attr(sec, "style"), "background-size: cover") != NULL);
    dk_node *pg = first_el(sec), *hd = pg ? pg->next : NULL;
    CHECK(dk_node_is(pg, "div") && strcmp(dk_node_attr(pg, "class"), "deckle-pagination") == 0);
    CHECK(pg && pg->first && strcmp(pg->first->text, "1") == 0);
    CHECK(dk_node_is(hd, "header") && dk_node_is(first_el(hd), "strong"));
    /* header markdown maps back into the front matter */
    CHECK(hd && first_el(hd) && strncmp(src + first_el(hd)->first->src, "H**", 3) == 0);
    CHECK(dk_node_is(sec->last, "footer"));
    /* the bg paragraph is gone; the sized image stays with its width */
    dk_node *img = dk_node_find(sec, "img");
    CHECK(img && strcmp(dk_node_attr(img, "src"), "c.png") == 0);
    CHECK(img && strstr(dk_node_attr(img, "style"), "width: 300px") != NULL);
    CHECK_STR(dk_node_attr(img, "alt"), "cat");
    int np = 0;
    for (dk_node *k = sec->first; k; k = k->next) np += dk_node_is(k, "p");
    CHECK(np == 1);
    dk_arena_free(a);

    /* slide 2: split background, notes */
    a = dk_arena_new();
    body = transform(&ctx, a, &d, src, 1, "/nonexistent");
    dk_node *col = first_el(body);
    CHECK(dk_node_is(col, "div") && strcmp(dk_node_attr(col, "class"), "deckle-bg") == 0);
    CHECK(col && strstr(dk_node_attr(col, "style"), "width: 30%") != NULL);
    CHECK(dk_node_is(first_el(col), "figure"));
    sec = col ? col->next : NULL;
    while (sec && sec->type != DK_NODE_ELEMENT) sec = sec->next;
    CHECK(dk_node_is(sec, "section") && strstr(dk_node_attr(sec, "style"), "width: 70%"));
    CHECK(dk_node_attr(sec, "class") == NULL); /* _class was slide 1's */
    dk_node *aside = dk_node_find(sec, "aside");
    CHECK(aside && strcmp(dk_node_attr(aside, "class"), "notes") == 0);
    CHECK(aside && dk_node_is(first_el(aside), "p") && first_el(aside)->next);
    CHECK(aside && strstr(first_el(aside)->first->text, "spoken") &&
          !strstr(first_el(aside)->first->text, "Note"));
    CHECK(dk_node_is(aside ? aside->parent : NULL, "section"));
    CHECK(ctx.nwarn == 0);
    dk_arena_free(a);
    dk_deck_free(&d);
}

/* A <style> in a Marp slide: its section::after rules style div.deckle-pagination too, so
   css/ does not generate a second page number as the section's ::after. */
static void test_style_pagination(void) {
    dk_ctx ctx;
    const char *src = "---\nmarp: true\npaginate: true\n---\n"
                      "<style>section::after { content: attr(x); font-size: 9px }</style>\n\n# T\n";
    dk_deck d = parse(&ctx, src);
    dk_arena *a = dk_arena_new();
    dk_node *body = transform(&ctx, a, &d, src, 0, "/nonexistent");
    dk_node *st = body ? dk_node_find(body->parent, "style") : NULL;
    CHECK(st && st->first);
    CHECK_STR(st && st->first ? st->first->text : "",
              "section > .deckle-pagination { content: attr(x); font-size: 9px }");
    dk_arena_free(a);
    dk_deck_free(&d);
}

static void test_obsidian(void) {
    dk_ctx ctx;
    char root[] = "/tmp/deckle-obs-XXXXXX";
    CHECK(mkdtemp(root) != NULL);
    touch(root, "img/sub/chart.png");
    const char *src = "# E\n\n![[chart.png|200x100]] and [[Note#Part]] and [[N|label]]\n\n"
                      "`![[code.png]]`\n\n![[missing.png]] ![[Other note]]\n\n"
                      "Text <!-- .element: class=\"red\" -->\n\n<!-- .slide: data-background=\"#eef\" -->\n";
    dk_deck d = parse(&ctx, src);
    dk_arena *a = dk_arena_new();
    dk_node *body = transform(&ctx, a, &d, src, 0, root);
    dk_node *img = dk_node_find(body, "img");
    CHECK(img && strstr(dk_node_attr(img, "src"), "/img/sub/chart.png"));
    CHECK_STR(dk_node_attr(img, "style"), "width: 200px; height: 100px");
    CHECK(img && img->next && img->next->type == DK_NODE_TEXT &&
          strcmp(img->next->text, " and Note and label") == 0);
    /* the embed's position is the `!` in the deck */
    CHECK(img && strncmp(src + img->src, "![[chart", 8) == 0);
    dk_node *code = dk_node_find(body, "code");
    CHECK(code && strcmp(code->first->text, "![[code.png]]") == 0); /* code is verbatim */
    CHECK(ctx.nwarn == 1); /* the note embed (image/ reports the missing image) */
    dk_node *p = NULL;
    for (dk_node *k = body->first; k; k = k->next)
        if (dk_node_is(k, "p") && dk_node_attr(k, "class")) p = k;
    CHECK(p && strcmp(dk_node_attr(p, "class"), "red") == 0);
    CHECK(strstr(dk_node_attr(body, "style"), "background-color: #eef") != NULL);
    CHECK(dk_node_find(body, "section") == NULL); /* not a Marp deck: no wrap */
    dk_arena_free(a);
    dk_deck_free(&d);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    CHECK(system(cmd) == 0);
}

static void test_oom(void) {
    const char *src = "---\nmarp: true\npaginate: true\nheader: '**H**'\n---\n![bg left](a.png)\n# T\n\nNote: n\n";
    dk_ctx ctx;
    dk_deck d = parse(&ctx, src);
    int done = 0;
    for (long n = 1; n < 2000 && !done; n++) {
        dk_arena *a = dk_arena_new();
        dk_html h;
        dk_node *root = NULL;
        dk_status st = dk_md_render(&ctx, a, src, &d.slides[0], &h);
        if (st == DK_OK) st = dk_dom_parse(&ctx, a, &h, 0, &root);
        if (st == DK_OK) {
            dk_arena_fail_after(a, n);
            dk_marp_in in = {src, &d, 0, "/nonexistent", NULL};
            st = dk_marp_transform(&ctx, a, &in, root);
            CHECK(st == DK_OK || st == DK_ENOMEM);
            done = st == DK_OK;
        }
        dk_arena_free(a);
    }
    CHECK(done);
    dk_deck_free(&d);
}

/* Write `text` to root/rel (folders made as needed). */
static void put(const char *root, const char *rel, const char *text) {
    touch(root, rel);
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* Project themes: found by @theme, up from the deck; imports inlined. */
static void test_theme(void) {
    char root[] = "/tmp/deckle-theme-XXXXXX";
    CHECK(mkdtemp(root) != NULL);
    char deck[1100], data[1100], git[1100];
    snprintf(deck, sizeof deck, "%s/slides/talk", root);
    snprintf(data, sizeof data, "%s/data", root);
    snprintf(git, sizeof git, "%s/.git", root);
    mkdir(git, 0777); /* the project root */
    touch(root, "slides/talk/deck.md");
    put(root, "data/themes/marp-default.css", "/*bundled default*/\n");
    put(root, "slides/themes/gem5.css",
        "@charset \"UTF-8\";\n/*!\n * Marp gem5 theme\n * @theme gem5\n */\n@import 'default';\n"
        "@import url(\"https://fonts.example/x.css\");\n@import \"base2\";\n"
        "section { color: red; }\n");
    put(root, "slides/themes/base.css", "/* @theme base2 */\nh1 { color: blue; }\n");
    put(root, "z/deeper/other.css", "/* @theme gem5 */\n"); /* two levels up: not reached first */
    put(root, "slides/talk/theme/ddps.css", "/* @theme ddps-dev */\n@import 'nothere';\n");
    put(root, "slides/talk/cyc.css", "/* @theme cyc */\n@import 'cyc';\np { margin: 0; }\n");
    dk_theme_env env = {deck, root, data, NULL, NULL};
    int by_name = -1;
    char *p = dk_marp_find_theme(&env, "gem5", &by_name);
    CHECK(p && strcmp(p + strlen(root), "/slides/themes/gem5.css") == 0);
    CHECK(by_name == 0);
    dk_ctx ctx;
    dk_ctx_init(&ctx, "t.md", "", 0);
    ctx.quiet = 1;
    dk_buf css = {0};
    CHECK(p && dk_marp_theme_read(&ctx, &env, p, &css) == DK_OK);
    CHECK(css.p && strstr(css.p, "/*bundled default*/"));   /* 'default' -> marp-default.css */
    CHECK(css.p && strstr(css.p, "h1 { color: blue; }"));   /* by @theme name */
    CHECK(css.p && strstr(css.p, "https://fonts.example")); /* remote: kept for css/ to drop */
    CHECK(css.p && strstr(css.p, "section { color: red; }"));
    CHECK(ctx.nwarn == 0);
    free(p);
    dk_buf_free(&css);
    /* a file that is only named so: taken, flagged */
    p = dk_marp_find_theme(&env, "ddps", &by_name);
    CHECK(p && strstr(p, "/slides/talk/theme/ddps.css") && by_name == 1);
    css = (dk_buf){0};
    CHECK(p && dk_marp_theme_read(&ctx, &env, p, &css) == DK_OK);
    CHECK(ctx.nwarn == 1); /* @import 'nothere' */
    free(p);
    dk_buf_free(&css);
    /* an import of itself is reported, not followed */
    p = dk_marp_find_theme(&env, "cyc", &by_name);
    css = (dk_buf){0};
    CHECK(p && dk_marp_theme_read(&ctx, &env, p, &css) == DK_OK);
    CHECK(ctx.nwarn == 2 && css.p && strstr(css.p, "p { margin: 0; }"));
    free(p);
    dk_buf_free(&css);
    CHECK(dk_marp_find_theme(&env, "nope", &by_name) == NULL);
    /* the search never goes above the project root */
    env.stop = deck;
    p = dk_marp_find_theme(&env, "base2", &by_name);
    CHECK(p != NULL); /* no root below: FIND_UP levels up from the deck */
    free(p);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    CHECK(system(cmd) == 0);
}

/* Marpit's section::after page number styles go to div.deckle-pagination. */
static void test_pagination_css(void) {
    const char *css = "section::after { color: red }\nsection.t:after, p::after { display: none }\n"
                      "/* section::after */ a { content: 'section::after' }";
    dk_buf out = {0};
    dk_marp_pagination_css(css, strlen(css), &out);
    CHECK_STR(out.p, "section > .deckle-pagination { color: red }\n"
                     "section.t > .deckle-pagination, p::after { display: none }\n"
                     "/* section::after */ a { content: 'section::after' }");
    dk_buf_free(&out);
}

int main(void) {
    test_directives();
    test_heading_divider();
    test_separators();
    test_alt();
    test_find();
    test_theme();
    test_section();
    test_obsidian();
    test_oom();
    test_pagination_css();
    test_style_pagination();
    return dk_test_done();
}
