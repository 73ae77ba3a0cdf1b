/*
 * writer/html: a slide as a standalone HTML document for Chromium.
 */
#define _GNU_SOURCE
#include "base/base.h"
#include "dom/dom.h"
#include "md/md.h"
#include "writer/html.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char deck[] =
    "<style>\nh1 > b { color: red }\n</style>\n\n"
    "# Tom &amp; <b>Jerry</b>\n\n"
    "Text with 1 < 2 & \"quotes\" and\xC2\xA0nbsp.\n\n"
    "![a pic](<my pic.png>) ![web](https://e.com/x.png) ![gone](missing.png)\n"
    "<img src=\"sub/Pasted image 1.png?v=2#f\" alt='x \"y\"'>\n\n"
    "<pre>\n\nkept</pre>\n\n"
    "```\na < b\n```\n";

/* Build the DOM of `deck` in `a`. */
static dk_node *dom_of(dk_ctx *ctx, dk_arena *a, const char *src, size_t n) {
    dk_slide s = {0, n, 1};
    dk_html h;
    dk_node *root = NULL;
    CHECK(dk_md_render(ctx, a, src, &s, &h) == DK_OK);
    CHECK(dk_dom_parse(ctx, a, &h, 1, &root) == DK_OK);
    return root;
}

/* Write an empty file. */
static void touch(const char *path) {
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) fclose(f);
}

static void test_export(void) {
    char tmp[] = "/tmp/dk_html_XXXXXX";
    CHECK(mkdtemp(tmp) != NULL);
    char deck_dir[256], out_dir[256], out[300], path[400];
    snprintf(deck_dir, sizeof deck_dir, "%s/talk", tmp);
    snprintf(out_dir, sizeof out_dir, "%s/out", tmp);
    snprintf(out, sizeof out, "%s/slide 1.html", out_dir);
    mkdir(deck_dir, 0777);
    mkdir(out_dir, 0777);
    snprintf(path, sizeof path, "%s/sub", deck_dir);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/my pic.png", deck_dir);
    touch(path);
    snprintf(path, sizeof path, "%s/sub/Pasted image 1.png", deck_dir);
    touch(path);

    dk_ctx ctx;
    dk_ctx_init(&ctx, "t.md", deck, sizeof deck - 1);
    dk_arena *a = dk_arena_new();
    dk_node *root = dom_of(&ctx, a, deck, sizeof deck - 1);
    const char css[] = "section { display: grid; } /* a > b & c */";
    CHECK(dk_export_html(&ctx, root, css, sizeof css - 1, deck_dir, out) == DK_OK);

    char *html = NULL;
    size_t n = 0;
    CHECK(dk_file_read(out, &html, &n) == DK_OK);
    if (!html) return;
    const char *start = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<title>Tom &amp; Jerry</title>\n<style>\n";
    CHECK(strncmp(html, start, strlen(start)) == 0);
    CHECK(strstr(html, css) != NULL);                            /* verbatim */
    CHECK(strstr(html, "<style>\nh1 > b { color: red }\n</style>") != NULL); /* the slide's own */
    CHECK(strstr(html, "<h1>Tom &amp; <b>Jerry</b></h1>") != NULL);
    CHECK(strstr(html, "Text with 1 &lt; 2 &amp; \"quotes\" and&nbsp;nbsp.") != NULL);
    CHECK(strstr(html, "<img src=\"../talk/my%20pic.png\" alt=\"a pic\">") != NULL);
    CHECK(strstr(html, "<img src=\"https://e.com/x.png\" alt=\"web\">") != NULL);
    CHECK(strstr(html, "<img src=\"../talk/missing.png\" alt=\"gone\">") != NULL);
    CHECK(strstr(html, "<img src=\"../talk/sub/Pasted%20image%201.png?v=2#f\" "
                       "alt=\"x &quot;y&quot;\">") != NULL);
    CHECK(strstr(html, "<pre>\n\nkept</pre>") != NULL); /* the parser ate one newline */
    CHECK(strstr(html, "<pre><code>a &lt; b\n</code></pre>") != NULL);
    CHECK(strstr(html, "</img>") == NULL);
    CHECK(strstr(html, "</body>\n</html>\n") != NULL);
    free(html);

    /* output beside the deck: plain relative names */
    snprintf(out, sizeof out, "%s/x.html", deck_dir);
    CHECK(dk_export_html(&ctx, root, "", 0, deck_dir, out) == DK_OK);
    CHECK(dk_file_read(out, &html, &n) == DK_OK);
    CHECK(html && strstr(html, "<img src=\"my%20pic.png\"") != NULL);
    CHECK(html && strstr(html, "<img src=\"sub/Pasted%20image%201.png?v=2#f\"") != NULL);
    free(html);

    /* an unwritable place is an I/O error */
    snprintf(out, sizeof out, "%s/no/such/dir/x.html", tmp);
    CHECK(dk_export_html(&ctx, root, "", 0, deck_dir, out) == DK_EIO);

    dk_arena_free(a);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    CHECK(system(cmd) == 0);
}

/* Serializing, reparsing and serializing again is stable. */
static void test_roundtrip(void) {
    dk_ctx ctx;
    dk_ctx_init(&ctx, "t.md", deck, sizeof deck - 1);
    dk_arena *a = dk_arena_new();
    dk_node *root = dom_of(&ctx, a, deck, sizeof deck - 1);
    dk_buf one = {0}, two = {0};
    dk_serialize_html(root, &one);
    dk_html h = {one.p, one.n, NULL, 0, 0, 0};
    dk_node *again = NULL;
    CHECK(dk_dom_parse(&ctx, a, &h, 0, &again) == DK_OK);
    dk_serialize_html(again, &two);
    CHECK_STR(two.p, one.p);
    CHECK(strstr(one.p, "<html><head><style>") == one.p);
    dk_buf_free(&one);
    dk_buf_free(&two);
    dk_arena_free(a);
}

static void test_local_path(void) {
    dk_buf b = {0};
    CHECK(dk_url_local_path("a%20b.png?x#y", &b) && strcmp(b.p, "a b.png") == 0);
    b.n = 0;
    CHECK(dk_url_local_path("100%.png", &b) && strcmp(b.p, "100%.png") == 0);
    b.n = 0;
    CHECK(dk_url_local_path("file:///tmp/x%C3%A9.png", &b) && strcmp(b.p, "/tmp/xé.png") == 0);
    CHECK(!dk_url_local_path("https://e.com/a.png", &b));
    CHECK(!dk_url_local_path("data:image/png;base64,AAAA", &b));
    CHECK(!dk_url_local_path("#frag", &b));
    CHECK(!dk_url_local_path("", &b));
    dk_buf_free(&b);
}

/* The UA sheet goes out with zero specificity, so a theme's `ul` beats the UA's `ul ul`. */
static void test_ua_where(void) {
    dk_buf b = {0};
    dk_export_ua_css("/* c */ ul ul, ol ul { margin: 0 }\n"
                     "a[href=\"}\"] { color: blue !important }\n"
                     "@media print { p { color: red } }\n",
                     &b);
    CHECK_STR(b.p, ":where(ul ul, ol ul) { margin: 0 }\n"
                   ":where(a[href=\"}\"]) { color: blue !important }\n"
                   "@media print {\n:where(p) { color: red }\n}\n");
    dk_buf_free(&b);
}

/* font-family lists name the fonts deckle really uses. */
static void test_fonts_css(void) {
    const char *css = "a { font-family: Arial, 'Fira Sans', sans-serif !important }\n"
                      "b { font-family: \"Roboto Mono\", monospace; font-weight: bold }\n"
                      "c { font-family: var(--f) } d { font-family: 'DejaVu Sans Mono' }";
    dk_buf out = {0};
    dk_export_fonts_css(css, strlen(css), &out);
    CHECK_STR(out.p, "a { font-family: \"DejaVu Sans\", \"DejaVu Sans\" !important }\n"
                     "b { font-family: \"DejaVu Sans Mono\", \"DejaVu Sans\" ; font-weight: bold }\n"
                     "c { font-family: var(--f) } d { font-family: \"DejaVu Sans Mono\", \"DejaVu Sans\" }");
    dk_buf_free(&out);
}

int main(void) {
    test_fonts_css();
    test_ua_where();
    test_export();
    test_roundtrip();
    test_local_path();
    return dk_test_done();
}
