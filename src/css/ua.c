/*
 * The user-agent sheet: Chromium's html.css (third_party/blink/renderer/
 * core/html/resources/html.css), cut down to what slides contain and to the
 * properties we compute. Logical properties (margin-block, padding-inline)
 * are written as their horizontal-tb, ltr physical sides. Where Chromium
 * uses an internal value we use the nearest public one: a:-webkit-any-link
 * becomes a[href], -webkit-link #0000ee, -internal-center center.
 *
 * Not included, on purpose: the quirky "h1 inside article/aside/nav/section"
 * sizes (being removed from browsers), form-control styling beyond display,
 * and the 13px default size of monospace text (a font-preference setting,
 * not a stylesheet rule).
 *
 * Parse it with dk_css_parse_sheet(ctx, dk_css_ua_sheet, strlen(...)):
 * a sheet parsed from this very array gets user-agent origin.
 */
#include "css.h"

const char dk_css_ua_sheet[] =
    "html, address, blockquote, body, center, dialog, div, figure, figcaption, footer, form,\n"
    "header, hr, legend, listing, main, p, plaintext, pre, search, xmp, article, aside, hgroup,\n"
    "nav, section, details, summary, fieldset, optgroup { display: block }\n"
    "head, link, meta, script, style, title, template, base, basefont, datalist, noscript,\n"
    "param, area, [hidden] { display: none }\n"
    /* reveal.js / Obsidian speaker notes are for handouts, never drawn on the slide: UA
       !important outranks every author rule */
    "aside.notes { display: none !important }\n"
    "body { margin: 8px }\n"
    "p { margin: 1em 0 }\n"
    "blockquote, figure { margin: 1em 40px }\n"
    "address { font-style: italic }\n"
    "center { text-align: center }\n"
    "hr { color: gray; border-style: inset; border-width: 1px; margin: 0.5em auto; overflow: hidden }\n"
    "h1 { display: block; font-size: 2em; margin: 0.67em 0; font-weight: bold }\n"
    "h2 { display: block; font-size: 1.5em; margin: 0.83em 0; font-weight: bold }\n"
    "h3 { display: block; font-size: 1.17em; margin: 1em 0; font-weight: bold }\n"
    "h4 { display: block; font-size: 1em; margin: 1.33em 0; font-weight: bold }\n"
    "h5 { display: block; font-size: 0.83em; margin: 1.67em 0; font-weight: bold }\n"
    "h6 { display: block; font-size: 0.67em; margin: 2.33em 0; font-weight: bold }\n"
    "table { display: table; box-sizing: border-box; border-color: gray; text-indent: initial;\n"
    "  border-spacing: 2px; border-collapse: separate }\n"
    "caption { display: table-caption; text-align: center }\n"
    "thead { display: table-header-group; vertical-align: middle; border-color: inherit }\n"
    "tbody { display: table-row-group; vertical-align: middle; border-color: inherit }\n"
    "tfoot { display: table-footer-group; vertical-align: middle; border-color: inherit }\n"
    "tr { display: table-row; vertical-align: inherit; border-color: inherit }\n"
    "td, th { display: table-cell; vertical-align: inherit; padding: 1px }\n"
    "th { font-weight: bold; text-align: center }\n"
    "col { display: table-column } colgroup { display: table-column-group }\n"
    "ul, menu, dir { display: block; list-style-type: disc; margin: 1em 0; padding-left: 40px }\n"
    "ol { display: block; list-style-type: decimal; margin: 1em 0; padding-left: 40px }\n"
    "li { display: list-item }\n"
    "ul ul, ol ul { list-style-type: circle }\n"
    "ol ol ul, ol ul ul, ul ol ul, ul ul ul { list-style-type: square }\n"
    "ul ul, ul ol, ul menu, ul dir, ol ul, ol ol, ol menu, ol dir, menu ul, menu ol, menu menu,\n"
    "dir ul, dir ol { margin-top: 0; margin-bottom: 0 }\n"
    "dl { display: block; margin: 1em 0 }\n"
    "dd { display: block; margin-left: 40px }\n"
    "dt { display: block }\n"
    "dl dl, ol dl, ul dl, dl ol, dl ul { margin-top: 0; margin-bottom: 0 }\n"
    "pre, xmp, plaintext, listing { font-family: monospace; white-space: pre; margin: 1em 0 }\n"
    "code, kbd, samp, tt { font-family: monospace }\n"
    "textarea { font-family: monospace; white-space: pre-wrap }\n"
    "b, strong { font-weight: bolder }\n"
    "i, cite, em, var, dfn { font-style: italic }\n"
    "a[href] { color: #0000ee; text-decoration: underline }\n"
    "u, ins { text-decoration: underline }\n"
    "s, strike, del { text-decoration: line-through }\n"
    "sub { vertical-align: sub; font-size: smaller }\n"
    "sup { vertical-align: super; font-size: smaller }\n"
    "small { font-size: smaller }\n"
    "big { font-size: larger }\n"
    "mark { background-color: yellow; color: black }\n"
    "nobr { white-space: nowrap }\n"
    "input, select, button, textarea, meter, progress { display: inline-block }\n"
    /* font: -webkit-small-control, and the resets that go with it */
    "input, select, button, textarea { font-size: 13.333px; font-weight: normal; font-style: normal;\n"
    "  line-height: normal; letter-spacing: normal; text-transform: none; text-indent: 0;\n"
    "  text-align: start }\n"
    "button { padding: 1px 6px; border: 2px outset #767676; box-sizing: border-box;\n"
    "  text-align: center; color: black; background-color: #efefef }\n"
    "input[type=checkbox i] { box-sizing: border-box; width: 13px; height: 13px;\n"
    "  margin: 3px 3px 3px 4px }\n"
    "input[type=radio i] { box-sizing: border-box; width: 13px; height: 13px; margin: 3px 3px 0 5px }\n"
    "iframe { border: 2px inset }\n"
    "rt { font-size: 50% } rp { display: none }\n"
    "bdo[dir=rtl i], [dir=rtl i] { direction: rtl }\n"
    "[dir=ltr i] { direction: ltr }\n"
    "q, bdi, output { display: inline }\n";
