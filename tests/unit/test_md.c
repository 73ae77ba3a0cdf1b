/*
 * md/: Markdown to HTML, and the source map back to the deck.
 *
 * The examples read like md4c's spec files: Markdown in, HTML out. They
 * follow md4c-html except where md.c says otherwise (entities verbatim,
 * cell alignment as style, NUL as U+FFFD).
 */
#include "base/base.h"
#include "deck/deck.h"
#include "md/md.h"
#include "test.h"

#include <string.h>

static const struct {
    const char *md, *html;
} examples[] = {
    {"# Hello\n", "<h1>Hello</h1>\n"},
    {"###### Six", "<h6>Six</h6>\n"},
    {"Hello *world* and **bold** _x_\n", "<p>Hello <em>world</em> and <strong>bold</strong> <em>x</em></p>\n"},
    {"a\nb\n", "<p>a\nb</p>\n"},
    {"a  \nb\n", "<p>a<br>\nb</p>\n"},
    {"a & b < c > d \"e\"\n", "<p>a &amp; b &lt; c &gt; d &quot;e&quot;</p>\n"},
    {"&copy; &#35; &nbsp;\n", "<p>&copy; &#35; &nbsp;</p>\n"},
    {"- a\n- b\n", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"},
    {"3. x\n4. y\n", "<ol start=\"3\">\n<li>x</li>\n<li>y</li>\n</ol>\n"},
    {"1. x\n", "<ol>\n<li>x</li>\n</ol>\n"},
    {"> q\n", "<blockquote>\n<p>q</p>\n</blockquote>\n"},
    {"***\n", "<hr>\n"},
    {"```c\nint x = a < b;\n```\n", "<pre><code class=\"language-c\">int x = a &lt; b;\n</code></pre>\n"},
    {"~~~\nplain\n~~~\n", "<pre><code>plain\n</code></pre>\n"},
    {"    indented\n", "<pre><code>indented\n</code></pre>\n"},
    {"`code <x>`\n", "<p><code>code &lt;x&gt;</code></p>\n"},
    {"~~gone~~\n", "<p><del>gone</del></p>\n"},
    {"| a | b | c |\n|:--|--:|:-:|\n| 1 | 2 | 3 |\n",
     "<table>\n<thead>\n<tr>\n<th style=\"text-align: left\">a</th>\n"
     "<th style=\"text-align: right\">b</th>\n<th style=\"text-align: center\">c</th>\n</tr>\n"
     "</thead>\n<tbody>\n<tr>\n<td style=\"text-align: left\">1</td>\n"
     "<td style=\"text-align: right\">2</td>\n<td style=\"text-align: center\">3</td>\n</tr>\n"
     "</tbody>\n</table>\n"},
    {"- [x] done\n- [ ] todo\n",
     "<ul>\n<li class=\"task-list-item\"><input type=\"checkbox\" class=\"task-list-item-checkbox\" "
     "disabled checked>done</li>\n<li class=\"task-list-item\"><input type=\"checkbox\" "
     "class=\"task-list-item-checkbox\" disabled>todo</li>\n</ul>\n"},
    {"![alt *x*](<a b.png> \"T & t\")\n",
     "<p><img src=\"a%20b.png\" alt=\"alt x\" title=\"T &amp; t\"></p>\n"},
    {"![](pic.png)\n", "<p><img src=\"pic.png\" alt=\"\"></p>\n"},
    {"![a <b class=\"c\">b</b> &amp;](p.png)\n",
     "<p><img src=\"p.png\" alt=\"a &lt;b class=&quot;c&quot;&gt;b&lt;/b&gt; &amp;\"></p>\n"},
    {"[l](http://x.y/?a=1&b=2 \"t\")\n", "<p><a href=\"http://x.y/?a=1&amp;b=2\" title=\"t\">l</a></p>\n"},
    {"[e](a%20b\"c)\n", "<p><a href=\"a%20b%22c\">e</a></p>\n"},
    {"[u](/ü)\n", "<p><a href=\"/%C3%BC\">u</a></p>\n"},
    {"www.example.com\n", "<p><a href=\"http://www.example.com\">www.example.com</a></p>\n"},
    {"see https://example.com/x.\n", "<p>see <a href=\"https://example.com/x\">https://example.com/x</a>.</p>\n"},
    {"mail me@example.com\n", "<p>mail <a href=\"mailto:me@example.com\">me@example.com</a></p>\n"},
    {"<div>\nraw *x* & y\n</div>\n", "<div>\nraw *x* & y\n</div>\n"},
    {"a <b>bold</b> c\n", "<p>a <b>bold</b> c</p>\n"},
    {"a\0b\n", "<p>a\xEF\xBF\xBD" "b</p>\n"},
    {"", ""},
};

/* Render `md` as a one-slide deck; the HTML in a static buffer. */
static const char *render(const char *md, size_t n) {
    static char buf[4096];
    dk_ctx ctx;
    dk_ctx_init(&ctx, "t.md", md, n);
    dk_arena *a = dk_arena_new();
    dk_slide s = {0, n, 1};
    dk_html h;
    CHECK(dk_md_render(&ctx, a, md, &s, &h) == DK_OK);
    snprintf(buf, sizeof buf, "%s", h.html ? h.html : "(null)");
    CHECK(strlen(buf) == h.n);
    dk_arena_free(a);
    return buf;
}

static void test_examples(void) {
    for (size_t i = 0; i < sizeof examples / sizeof *examples; i++) {
        const char *md = examples[i].md;
        size_t n = strlen(md);
        if (strcmp(md, "a") == 0) n = 4; /* "a\0b\n" */
        CHECK_STR(render(md, n), examples[i].html);
    }
}

/* Where is `word` in the HTML, and does it map to where it is in the deck? */
static void check_word(const dk_html *h, const char *deck, const char *from, const char *word) {
    const char *in_html = strstr(h->html, word);
    const char *in_deck = strstr(from, word);
    CHECK(in_html && in_deck);
    if (!in_html || !in_deck) return;
    size_t got = dk_html_deck_offset(h, (size_t)(in_html - h->html));
    CHECK(got == (size_t)(in_deck - deck));
    if (got != (size_t)(in_deck - deck))
        fprintf(stderr, "  '%s': got %zu, want %zu\n", word, got, (size_t)(in_deck - deck));
}

static void test_srcmap(void) {
    const char *deck = "---\ntitle: x\n---\n# Intro\n\nHello **world** & more\n\n"
                       "- item *one*\n- [link](http://e.com)\n---\n"
                       "<section>\n  <p>raw <b>bold</b></p>\n</section>\n";
    size_t n = strlen(deck);
    dk_ctx ctx;
    dk_ctx_init(&ctx, "t.md", deck, n);
    dk_deck d;
    CHECK(dk_deck_parse(&ctx, deck, n, &d) == DK_OK);
    CHECK(d.nslides == 2);
    if (d.nslides != 2) return;
    dk_arena *a = dk_arena_new();
    dk_html h;
    CHECK(dk_md_render(&ctx, a, deck, &d.slides[0], &h) == DK_OK);
    CHECK(h.nmap > 0);
    for (size_t i = 1; i < h.nmap; i++) CHECK(h.map[i - 1].html_off < h.map[i].html_off);
    const char *body = deck + d.slides[0].start;
    check_word(&h, deck, body, "Intro");
    check_word(&h, deck, body, "world");
    check_word(&h, deck, body, "more"); /* after the escaped & */
    check_word(&h, deck, body, "one");
    check_word(&h, deck, body, "http://e.com");
    /* generated tags map to the text they introduce */
    CHECK(dk_html_deck_offset(&h, 0) == (size_t)(strstr(deck, "Intro") - deck));
    const char *p = strstr(h.html, "<p>");
    CHECK(p && dk_html_deck_offset(&h, (size_t)(p - h.html)) == (size_t)(strstr(deck, "Hello") - deck));
    /* nothing maps outside the slide */
    CHECK(dk_html_deck_offset(&h, h.n + 100) <= d.slides[0].end);

    CHECK(dk_md_render(&ctx, a, deck, &d.slides[1], &h) == DK_OK);
    body = deck + d.slides[1].start;
    check_word(&h, deck, body, "<section>");
    check_word(&h, deck, body, "<p>raw");
    check_word(&h, deck, body, "bold");
    check_word(&h, deck, body, "</section>");

    dk_html none = {0};
    CHECK(dk_html_deck_offset(&none, 0) == DK_NOPOS);
    dk_arena_free(a);
    dk_deck_free(&d);
}

/* Every allocation failure is a clean DK_ENOMEM. */
static void test_oom(void) {
    const char *md = "# T\n\ntext\n";
    dk_ctx ctx;
    dk_ctx_init(&ctx, "t.md", md, strlen(md));
    dk_slide s = {0, strlen(md), 1};
    for (long fail = 1; fail < 4; fail++) {
        dk_arena *a = dk_arena_new();
        dk_arena_fail_after(a, fail);
        dk_html h;
        dk_status st = dk_md_render(&ctx, a, md, &s, &h);
        CHECK(fail < 3 ? st == DK_ENOMEM : st == DK_OK);
        dk_arena_free(a);
    }
}

int main(void) {
    test_examples();
    test_srcmap();
    test_oom();
    return dk_test_done();
}
