/*
 * css/ parsing: tokenizer, sheets, selectors, error recovery, values
 * (colours, units, shorthands). Each case is input, then the expected
 * serialization, like a spec file: prose in the comments, examples below.
 */
#include "../../src/css/css-internal.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

static dk_buf g_out, g_log;

/* Tokenize and dump, one token per line joined with '|'. */
static const char *toks(const char *css) {
    dk_arena *a = dk_arena_new();
    tok *t;
    int n;
    dk_buf b = {0};
    if (dk_css_tokenize(a, css, strlen(css), &t, &n) == DK_OK) {
        dk_css_dump_tokens(t, n - 1, &b); /* without EOF */
        free(t);
    }
    dk_arena_free(a);
    dk_buf_free(&g_out);
    for (size_t i = 0; b.p && i < b.n; i++) dk_buf_addc(&g_out, b.p[i] == '\n' ? '|' : b.p[i]);
    if (g_out.n) g_out.p[--g_out.n] = 0; /* drop the last '|' */
    dk_buf_free(&b);
    return g_out.p ? g_out.p : "";
}

/* Parse a sheet and dump it; warnings go to g_log. */
static const char *sheet(const char *css) {
    dk_ctx ctx;
    dk_ctx_init(&ctx, "t.css", css, strlen(css));
    ctx.quiet = 1;
    dk_buf_free(&g_log);
    ctx.log = &g_log;
    dk_sheet *sh = NULL;
    dk_buf_free(&g_out);
    if (dk_css_parse_sheet(&ctx, css, strlen(css), 0, &sh) == DK_OK) dk_css_dump_sheet(sh, &g_out);
    dk_sheet_free(sh);
    if (g_out.n) g_out.p[--g_out.n] = 0;
    return g_out.p ? g_out.p : "";
}

/* Parse a declaration list (as style="") and dump "a: b; c: d". */
static const char *decls(const char *css) {
    dk_ctx ctx;
    dk_ctx_init(&ctx, "t.md", css, strlen(css));
    ctx.quiet = 1;
    dk_buf_free(&g_log);
    ctx.log = &g_log;
    dk_arena *a = dk_arena_new();
    css_decl *d;
    int n;
    dk_buf_free(&g_out);
    dk_buf_adds(&g_out, "");
    if (dk_css_parse_inline(&ctx, a, css, strlen(css), 0, &d, &n) == DK_OK)
        for (int i = 0; i < n; i++) {
            if (i) dk_buf_adds(&g_out, "; ");
            dk_css_dump_decl(&d[i], &g_out);
        }
    dk_arena_free(a);
    return g_out.p;
}

static int logged(const char *needle) { return g_log.p && strstr(g_log.p, needle); }

static void test_tokens(void) {
    /* idents, functions, at-keywords, hashes */
    CHECK_STR(toks("a -b --c"), "IDENT \"a\"|WS|IDENT \"-b\"|WS|IDENT \"--c\"");
    CHECK_STR(toks("rgb(1,2)"), "FUNCTION \"rgb\"|NUMBER 1 int|COMMA|NUMBER 2 int|)");
    CHECK_STR(toks("@media #x #1"), "AT \"media\"|WS|HASH \"x\" id|WS|HASH \"1\"");
    /* numbers: sign, fraction, exponent, percentages, dimensions */
    CHECK_STR(toks("+1.5 -.5e1 10% 12px 1e3x"),
              "NUMBER 1.5 num|WS|NUMBER -5 num|WS|PERCENT 10 int|WS|DIMENSION 12 \"px\" int|WS|"
              "DIMENSION 1000 \"x\" num");
    CHECK_STR(toks("1.2.3"), "NUMBER 1.2 num|NUMBER 0.3 num");
    /* strings with escapes; a newline makes a bad string */
    CHECK_STR(toks("'a\\62 c' \"x\\\"y\""), "STRING \"abc\"|WS|STRING \"x\"y\"");
    CHECK_STR(toks("'ab\ncd'"), "BAD_STRING|WS|IDENT \"cd\"|STRING \"\"");
    /* escaped identifiers */
    CHECK_STR(toks("\\31 0px"), "IDENT \"10px\"");
    /* url() unquoted vs quoted; bad url */
    CHECK_STR(toks("url( a.png ) url('b.png')"),
              "URL \"a.png\"|WS|FUNCTION \"url\"|STRING \"b.png\"|)");
    CHECK_STR(toks("url(a b)x"), "BAD_URL|IDENT \"x\"");
    /* comments vanish; CDO / CDC; delimiters */
    CHECK_STR(toks("a/**/b <!-- --> > ~"), "IDENT \"a\"|IDENT \"b\"|WS|CDO|WS|CDC|WS|DELIM '>'|WS|DELIM '~'");
    CHECK_STR(toks("a/* unterminated"), "IDENT \"a\"");
    CHECK_STR(toks("{[(:;,)]}"), "{|[|(|COLON|SEMI|COMMA|)|]|}");
    /* non-ASCII is a name code point */
    CHECK_STR(toks(".caf\xc3\xa9"), "DELIM '.'|IDENT \"caf\xc3\xa9\"");
    /* openers know their closers, even unbalanced */
    dk_arena *a = dk_arena_new();
    tok *t;
    int n;
    CHECK(dk_css_tokenize(a, "{ ( } x", 7, &t, &n) == DK_OK);
    CHECK(t[0].match == n - 1); /* { unclosed: matched with EOF (the } closes nothing: ( is open) */
    free(t);
    dk_arena_free(a);
}

static void test_rules(void) {
    CHECK_STR(sheet("p { color: red }"), "p { color: #ff0000; }");
    CHECK_STR(sheet("H1.a#b, ul > li + li ~ p em { margin: 0 }"),
              "h1.a#b, ul > li + li ~ p em { margin-top: 0px; margin-right: 0px; "
              "margin-bottom: 0px; margin-left: 0px; }");
    CHECK_STR(sheet("[a], [b=x], [c~=\"y z\"], [d^=p i], [e$=q], [f*=r], [g|=s] { opacity: .5 }"),
              "[a], [b=\"x\"], [c~=\"y z\"], [d^=\"p\" i], [e$=\"q\"], [f*=\"r\"], [g|=\"s\"] "
              "{ opacity: 0.5; }");
    CHECK_STR(sheet("li:first-child, li:nth-child(2n+1), li:nth-child(odd), li:nth-child(-n+3),"
                    " li:nth-child(5), :root, p:not(.x), a:last-child { color: red }"),
              "li:first-child, li:nth-child(2n+1), li:nth-child(2n+1), li:nth-child(-1n+3), "
              "li:nth-child(0n+5), :root, p:not(.x), a:last-child { color: #ff0000; }");
    /* !important, with and without space */
    CHECK_STR(sheet("p { color: red !important; margin-top: 1px!important }"),
              "p { color: #ff0000 !important; margin-top: 1px !important; }");
    /* a bad declaration is skipped to the next ';' */
    CHECK_STR(sheet("p { color: ; margin-top: 2px; foo bar; padding-top: {x;y}; width: 1px }"),
              "p { margin-top: 2px; width: 1px; }");
    CHECK(logged("empty value for 'color'"));
    CHECK(logged("expected ':' after 'foo'"));
    CHECK(logged("invalid value '{x;y}' for 'padding-top'"));
    /* a bad selector drops the rule, not the sheet */
    CHECK_STR(sheet("p! { color: red } q { color: blue } a..b { color: red } i { color: lime }"),
              "q { color: #0000ff; }\ni { color: #00ff00; }");
    CHECK(logged("invalid selector 'p!'"));
    CHECK(logged("invalid selector 'a..b'"));
    /* an unclosed [ swallows the rest of the sheet (css-syntax): nothing survives */
    CHECK_STR(sheet("p[ { color: red } q { color: blue }"), "");
    CHECK(logged("rule without a {} block"));
    /* unsupported pseudo: only that selector is dropped */
    CHECK_STR(sheet("a:hover, b::first-line, c { color: red } d:hover { color: red }"),
              "c { color: #ff0000; }");
    CHECK(!logged("warning"));
    /* ::before / ::after (and CSS 2 :before / :after) end a selector; anything after them
       never matches */
    CHECK_STR(sheet("b::before, i:after, p > q::after, a::before b, a::after:hover, :not(:before)"
                    " { content: \"x\" 'y' counter(c) attr(t) } a::after { content: none }"),
              "b::before, i::after, p > q::after { content: \"xy\" counter(c); }\na::after { content: none; }");
    CHECK(!logged("warning"));
    /* at-rules: silent skips, unknown ones warned, @media kept with its rules */
    CHECK_STR(sheet("@charset \"utf-8\"; @import url(x.css); @font-face { font-family: X }"
                    " @page { margin: 0 } @keyframes k { from { opacity: 0 } }"
                    " @frob x { p { color: red } } @media screen { p { color: blue } } q { color: red }"),
              "@media p { color: #0000ff; }\nq { color: #ff0000; }");
    CHECK(logged("t.css:1:"));
    CHECK(logged("unsupported at-rule '@frob'"));
    CHECK(!logged("font-face"));
    /* HTML comment tokens at top level are ignored */
    CHECK_STR(sheet("<!-- p { color: red } -->"), "p { color: #ff0000; }");
    /* unclosed block at EOF still yields the rule */
    CHECK_STR(sheet("p { color: red"), "p { color: #ff0000; }");
    /* unknown property: warning with line:col */
    sheet("p {\n  colr: red;\n}");
    CHECK(logged("t.css:2:3: warning: unknown property 'colr'"));
    /* ignored-on-purpose properties are silent */
    sheet("p { box-shadow: 0 0 1px red; -webkit-font-smoothing: auto; --x: 1; cursor: pointer }");
    CHECK(!g_log.p || !g_log.n);
    /* var(): kept for substitution per element; calc(): dropped without a warning */
    CHECK_STR(sheet("p { color: var(--x); width: calc(100% - 2px); height: 1px }"),
              "p { color: pending(color:var(--x)); height: 1px; }");
    CHECK_STR(sheet("p { --Gap: 4px  2px ; margin: var(--Gap) }"),
              "p { --Gap: 4px  2px; margin-top: pending(margin:var(--Gap)); "
              "margin-right: pending(margin:var(--Gap)); margin-bottom: pending(margin:var(--Gap)); "
              "margin-left: pending(margin:var(--Gap)); }");
    CHECK(!logged("warning"));
}

static void test_colors(void) {
    CHECK_STR(decls("color: #abc"), "color: #aabbcc");
    CHECK_STR(decls("color: #abcd"), "color: #aabbccdd");
    CHECK_STR(decls("color: #A1B2C3"), "color: #a1b2c3");
    CHECK_STR(decls("color: #a1b2c380"), "color: #a1b2c380");
    CHECK_STR(decls("color: rgb(255, 0, 10)"), "color: #ff000a");
    CHECK_STR(decls("color: rgba(255,0,0,.5)"), "color: #ff000080");
    CHECK_STR(decls("color: rgb(0 128 255 / 50%)"), "color: #0080ff80");
    CHECK_STR(decls("color: rgb(100%, 0%, 50%)"), "color: #ff0080");
    CHECK_STR(decls("color: hsl(120, 100%, 50%)"), "color: #00ff00");
    CHECK_STR(decls("color: hsla(240deg 100% 50% / 0.25)"), "color: #0000ff40");
    CHECK_STR(decls("color: hsl(0.5turn, 100%, 25%)"), "color: #008080");
    CHECK_STR(decls("color: RebeccaPurple"), "color: #663399");
    CHECK_STR(decls("color: transparent"), "color: #00000000");
    CHECK_STR(decls("border-top-color: currentColor"), "border-top-color: currentcolor");
    CHECK(dk_css_named_color_count() == 148);
    CHECK_STR(decls("color: #ab; color: rgb(1,2); color: nocolor; color: red"), "color: #ff0000");
    CHECK(logged("invalid value '#ab'"));
    if (!logged("invalid value '#ab'")) fprintf(stderr, "%s", g_log.p ? g_log.p : "");
}

static void test_units(void) {
    CHECK_STR(decls("width: 12pt"), "width: 16px");
    CHECK_STR(decls("width: 1in; height: 2.54cm; min-width: 25.4mm; max-width: 1pc"),
              "width: 96px; height: 96px; min-width: 96px; max-width: 16px");
    CHECK_STR(decls("width: 2em; height: 1.5rem; min-width: 10vw; min-height: 5vh"),
              "width: 2em; height: 1.5rem; min-width: 10vw; min-height: 5vh");
    CHECK_STR(decls("width: 50%; max-height: none; height: auto"),
              "width: 50%; max-height: none; height: auto");
    CHECK_STR(decls("width: 3vmin; height: 4vmax"), "width: 3vmin; height: 4vmax");
    /* unitless non-zero lengths and negative paddings are invalid */
    CHECK_STR(decls("width: 10; padding-top: -1px; margin-top: -1px"), "margin-top: -1px");
    CHECK_STR(decls("line-height: 1.5; line-height: 120%; line-height: normal; line-height: 2em"),
              "line-height: 1.5; line-height: 120%; line-height: normal; line-height: 2em");
    CHECK_STR(decls("font-size: larger; font-size: x-large; font-size: 80%"),
              "font-size: larger; font-size: x-large; font-size: 80%");
}

static void test_shorthands(void) {
    CHECK_STR(decls("margin: 1px"),
              "margin-top: 1px; margin-right: 1px; margin-bottom: 1px; margin-left: 1px");
    CHECK_STR(decls("margin: 1px auto"),
              "margin-top: 1px; margin-right: auto; margin-bottom: 1px; margin-left: auto");
    CHECK_STR(decls("padding: 1px 2px 3px"),
              "padding-top: 1px; padding-right: 2px; padding-bottom: 3px; padding-left: 2px");
    CHECK_STR(decls("padding: 1px 2px 3px 4%"),
              "padding-top: 1px; padding-right: 2px; padding-bottom: 3px; padding-left: 4%");
    CHECK_STR(decls("margin: 1px 2px 3px 4px 5px"), "");
    CHECK_STR(decls("border: 2px solid red"),
              "border-top-width: 2px; border-right-width: 2px; border-bottom-width: 2px; "
              "border-left-width: 2px; border-top-style: solid; border-right-style: solid; "
              "border-bottom-style: solid; border-left-style: solid; border-top-color: #ff0000; "
              "border-right-color: #ff0000; border-bottom-color: #ff0000; border-left-color: #ff0000");
    CHECK_STR(decls("border-left: thick dashed"),
              "border-left-width: 5px; border-left-style: dashed; border-left-color: initial");
    CHECK_STR(decls("border-width: thin medium"),
              "border-top-width: 1px; border-right-width: 3px; border-bottom-width: 1px; "
              "border-left-width: 3px");
    CHECK_STR(decls("border-radius: 4px 50%"),
              "border-top-left-radius: 4px; border-top-right-radius: 50%; "
              "border-bottom-right-radius: 4px; border-bottom-left-radius: 50%");
    CHECK_STR(decls("background: #fff url(bg.png) no-repeat center / cover"),
              "background-color: #ffffff; background-image: \"bg.png\"; background-position-x: 50%; "
              "background-position-y: 50%; -deckle-background-size-x: cover; "
              "-deckle-background-size-y: auto; background-repeat: no-repeat");
    CHECK_STR(decls("background: linear-gradient(red, blue)"),
              "background-color: initial; background-image: none; background-position-x: initial; "
              "background-position-y: initial; -deckle-background-size-x: initial; "
              "-deckle-background-size-y: initial; background-repeat: initial");
    /* position: one value centres the other axis; vertical keywords first swap */
    CHECK_STR(decls("background-position: top right"),
              "background-position-x: 100%; background-position-y: 0%");
    CHECK_STR(decls("background-position: 20px"),
              "background-position-x: 20px; background-position-y: 50%");
    CHECK_STR(decls("background-size: 50% auto"),
              "-deckle-background-size-x: 50%; -deckle-background-size-y: auto");
    CHECK_STR(decls("border-spacing: 4px 2px"),
              "-deckle-border-spacing-x: 4px; -deckle-border-spacing-y: 2px");
    CHECK_STR(decls("border-collapse: collapse; hyphens: auto"),
              "border-collapse: collapse; hyphens: auto");
    CHECK_STR(decls("font: italic bold 12px/1.5 \"Noto Sans\", sans-serif"),
              "font-style: italic; font-weight: bold; font-size: 12px; line-height: 1.5; "
              "font-family: \"Noto Sans, sans-serif\"");
    CHECK_STR(decls("font: 2em Inter"),
              "font-style: normal; font-weight: normal; font-size: 2em; line-height: normal; "
              "font-family: \"Inter\"");
    CHECK_STR(decls("font-family: Times New Roman, 'A, B', serif"),
              "font-family: \"Times New Roman, A, B, serif\"");
    CHECK_STR(decls("text-decoration: underline line-through red"),
              "text-decoration-line: underline line-through; text-decoration-color: #ff0000");
    CHECK_STR(decls("list-style: none"), "list-style-type: none");
    CHECK_STR(decls("list-style: square inside"), "list-style-type: square");
    CHECK_STR(decls("gap: 20px"), "row-gap: 20px; column-gap: 20px");
    CHECK_STR(decls("grid-gap: 1em 2px"), "row-gap: 1em; column-gap: 2px");
    CHECK_STR(decls("flex: 1"), "flex-grow: 1; flex-shrink: 1; flex-basis: 0%");
    CHECK_STR(decls("flex: 2 3 10px"), "flex-grow: 2; flex-shrink: 3; flex-basis: 10px");
    CHECK_STR(decls("flex: none"), "flex-grow: 0; flex-shrink: 0; flex-basis: auto");
    CHECK_STR(decls("flex: auto"), "flex-grow: 1; flex-shrink: 1; flex-basis: auto");
    CHECK_STR(decls("flex-flow: column wrap"), "flex-direction: column; flex-wrap: wrap");
    CHECK_STR(decls("grid-column: span 2"), "grid-column-start: span 2; grid-column-end: auto");
    CHECK_STR(decls("grid-row: 1 / 3"), "grid-row-start: 1; grid-row-end: 3");
    CHECK_STR(decls("grid-column: 2 / span 3"), "grid-column-start: 2; grid-column-end: span 3");
    CHECK_STR(decls("place-items: center"), "align-items: center; justify-items: center");
    CHECK_STR(decls("margin: inherit"),
              "margin-top: inherit; margin-right: inherit; margin-bottom: inherit; margin-left: inherit");
    CHECK_STR(decls("color: initial; display: unset"), "color: initial; display: unset");
}

static void test_grid_values(void) {
    CHECK_STR(decls("grid-template-columns: 1fr 1fr"), "grid-template-columns: 1fr 1fr");
    CHECK_STR(decls("grid-template-columns: 100px 20% auto min-content max-content"),
              "grid-template-columns: 100px 20% auto min-content max-content");
    CHECK_STR(decls("grid-template-columns: repeat(3, 1fr)"), "grid-template-columns: 1fr 1fr 1fr");
    CHECK_STR(decls("grid-template-columns: [a] minmax(100px, 1fr) repeat(2, 10px [b] 2fr)"),
              "grid-template-columns: minmax(100px, 1fr) 10px 2fr 10px 2fr");
    CHECK_STR(decls("grid-template-rows: none"), "grid-template-rows: none");
    CHECK_STR(decls("grid-template-columns: repeat(auto-fill, 100px)"), "");
    CHECK_STR(decls("grid-template-columns: repeat(65, 1fr)"), "");
    CHECK_STR(decls("display: grid; display: inline-flex; display: none; display: blocky"),
              "display: grid; display: inline-flex; display: none");
    CHECK_STR(decls("align-items: center; justify-content: space-between; align-self: flex-end;"
                    " justify-items: safe start"),
              "align-items: center; justify-content: space-between; align-self: end; "
              "justify-items: start");
    CHECK_STR(decls("counter-reset: a b 3; counter-increment: none; counter-increment: c -2"),
              "counter-reset: a 0 b 3; counter-increment: none; counter-increment: c -2");
    CHECK_STR(decls("place-content: center space-between; place-content: end"),
              "align-content: center; justify-content: space-between; align-content: end; "
              "justify-content: end");
    CHECK_STR(decls("text-align: -webkit-center; text-align: justify"), "text-align: justify");
    CHECK(!logged("warning"));
}

static void test_inline_positions(void) {
    /* diagnostics point at the deck offset of the value plus the offset inside it */
    const char *deck = "line one\n<p style=\"color: red; colr: blue\">";
    dk_ctx ctx;
    dk_ctx_init(&ctx, "talk.md", deck, strlen(deck));
    ctx.quiet = 1;
    dk_buf_free(&g_log);
    ctx.log = &g_log;
    dk_arena *a = dk_arena_new();
    const char *val = strchr(deck, '"') + 1;
    size_t off = (size_t)(val - deck);
    css_decl *d;
    int n;
    CHECK(dk_css_parse_inline(&ctx, a, val, 22, off, &d, &n) == DK_OK);
    CHECK(n == 1);
    CHECK(logged("talk.md:2:23: warning: unknown property 'colr'"));
    CHECK(ctx.nwarn == 1);
    dk_arena_free(a);
}

static void test_ua_sheet(void) {
    dk_ctx ctx;
    dk_ctx_init(&ctx, "ua", NULL, 0);
    dk_buf_free(&g_log);
    ctx.log = &g_log;
    dk_sheet *sh = NULL;
    CHECK(dk_css_parse_sheet(&ctx, dk_css_ua_sheet, strlen(dk_css_ua_sheet), DK_NOPOS, &sh) == DK_OK);
    CHECK(sh && sh->ua && sh->nrules > 40);
    CHECK(ctx.nwarn == 0);
    if (g_log.n) fprintf(stderr, "%s", g_log.p);
    dk_sheet_free(sh);
}

/* Out of memory at every allocation: a clean DK_ENOMEM, never a crash or leak. */
static void test_oom(void) {
    const char *css = "p { margin: 1px 2px } @media (min-width: 10px) { a.b > c { color: red } }";
    dk_ctx ctx;
    dk_ctx_init(&ctx, "t", css, strlen(css));
    ctx.quiet = 1;
    for (long n = 1; n < 200; n++) {
        dk_arena *a = dk_arena_new();
        dk_arena_fail_after(a, n);
        css_decl *d;
        int nd;
        dk_status st = dk_css_parse_inline(&ctx, a, "margin: 1px; font-family: a, b", 30, 0, &d, &nd);
        CHECK(st == DK_OK || st == DK_ENOMEM);
        dk_arena_free(a);
        if (st == DK_OK) break;
    }
    dk_sheet *sh = NULL;
    CHECK(dk_css_parse_sheet(&ctx, css, strlen(css), 0, &sh) == DK_OK);
    dk_sheet_free(sh);
}

int main(void) {
    test_tokens();
    test_rules();
    test_colors();
    test_units();
    test_shorthands();
    test_grid_values();
    test_inline_positions();
    test_ua_sheet();
    test_oom();
    dk_buf_free(&g_out);
    dk_buf_free(&g_log);
    return dk_test_done();
}
