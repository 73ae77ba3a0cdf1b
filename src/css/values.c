/*
 * Property values: parsing declarations into longhand specified values,
 * and computing those values for an element.
 *
 * Parsing (dk_css_parse_property) happens once per sheet. Shorthands expand
 * into their longhands here, so `margin: 1px 2px` becomes four declarations
 * and the cascade only ever compares longhands. A value that does not parse
 * drops the whole declaration with a warning, as a browser does. Properties
 * that are valid CSS but mean nothing to a static slide renderer (cursor,
 * transition, ...) are dropped silently; misspelt ones get a warning.
 * Values using var(), calc() and other functions we do not evaluate are
 * dropped with a verbose note (the deck is not wrong, we are incomplete).
 *
 * Computing (dk_css_compute_style) turns the winning specified values into a
 * dk_style: font-size first (em of other properties depends on it), then
 * colour (currentcolor depends on it), then the rest; a fix-up pass at the
 * end handles what depends on several properties (border widths under
 * `border-style: none`, line-height factors, text-decoration propagation,
 * grid line placement, blockification of the root and of grid/flex items).
 */
#include "css-internal.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- property table ----------------------------------------------------- */

#define FLD(f) offsetof(dk_style, f), sizeof(((dk_style *)0)->f)

typedef struct {
    const char *name;
    unsigned char inherited;
    unsigned short off, size; /* the dk_style field; size 0: handled specially */
} propinfo;

static const propinfo props[P_COUNT] = {
    [P_FONT_SIZE] = {"font-size", 1, FLD(font_size)},
    [P_COLOR] = {"color", 1, FLD(color)},
    [P_DISPLAY] = {"display", 0, FLD(display)},
    [P_BOX_SIZING] = {"box-sizing", 0, FLD(box_sizing)},
    [P_WIDTH] = {"width", 0, FLD(width)},
    [P_HEIGHT] = {"height", 0, FLD(height)},
    [P_MIN_WIDTH] = {"min-width", 0, FLD(min_width)},
    [P_MIN_HEIGHT] = {"min-height", 0, FLD(min_height)},
    [P_MAX_WIDTH] = {"max-width", 0, FLD(max_width)},
    [P_MAX_HEIGHT] = {"max-height", 0, FLD(max_height)},
    [P_MARGIN_TOP] = {"margin-top", 0, FLD(margin[0])},
    [P_MARGIN_RIGHT] = {"margin-right", 0, FLD(margin[1])},
    [P_MARGIN_BOTTOM] = {"margin-bottom", 0, FLD(margin[2])},
    [P_MARGIN_LEFT] = {"margin-left", 0, FLD(margin[3])},
    [P_PADDING_TOP] = {"padding-top", 0, FLD(padding[0])},
    [P_PADDING_RIGHT] = {"padding-right", 0, FLD(padding[1])},
    [P_PADDING_BOTTOM] = {"padding-bottom", 0, FLD(padding[2])},
    [P_PADDING_LEFT] = {"padding-left", 0, FLD(padding[3])},
    [P_BORDER_TOP_WIDTH] = {"border-top-width", 0, FLD(border_width[0])},
    [P_BORDER_RIGHT_WIDTH] = {"border-right-width", 0, FLD(border_width[1])},
    [P_BORDER_BOTTOM_WIDTH] = {"border-bottom-width", 0, FLD(border_width[2])},
    [P_BORDER_LEFT_WIDTH] = {"border-left-width", 0, FLD(border_width[3])},
    [P_BORDER_TOP_STYLE] = {"border-top-style", 0, FLD(border_style[0])},
    [P_BORDER_RIGHT_STYLE] = {"border-right-style", 0, FLD(border_style[1])},
    [P_BORDER_BOTTOM_STYLE] = {"border-bottom-style", 0, FLD(border_style[2])},
    [P_BORDER_LEFT_STYLE] = {"border-left-style", 0, FLD(border_style[3])},
    [P_BORDER_TOP_COLOR] = {"border-top-color", 0, FLD(border_color[0])},
    [P_BORDER_RIGHT_COLOR] = {"border-right-color", 0, FLD(border_color[1])},
    [P_BORDER_BOTTOM_COLOR] = {"border-bottom-color", 0, FLD(border_color[2])},
    [P_BORDER_LEFT_COLOR] = {"border-left-color", 0, FLD(border_color[3])},
    [P_BORDER_TL_RADIUS] = {"border-top-left-radius", 0, 0, 0},
    [P_BORDER_TR_RADIUS] = {"border-top-right-radius", 0, 0, 0},
    [P_BORDER_BR_RADIUS] = {"border-bottom-right-radius", 0, 0, 0},
    [P_BORDER_BL_RADIUS] = {"border-bottom-left-radius", 0, 0, 0},
    [P_BACKGROUND_COLOR] = {"background-color", 0, FLD(background_color)},
    [P_BACKGROUND_IMAGE] = {"background-image", 0, FLD(background_image)},
    [P_OPACITY] = {"opacity", 0, FLD(opacity)},
    [P_OVERFLOW] = {"overflow", 0, FLD(overflow_hidden)},
    [P_FONT_FAMILY] = {"font-family", 1, FLD(font_family)},
    [P_FONT_WEIGHT] = {"font-weight", 1, FLD(font_weight)},
    [P_FONT_STYLE] = {"font-style", 1, FLD(font_italic)},
    [P_LINE_HEIGHT] = {"line-height", 1, 0, 0},
    [P_TEXT_ALIGN] = {"text-align", 1, FLD(text_align)},
    [P_TEXT_DECORATION_LINE] = {"text-decoration-line", 0, 0, 0},
    [P_TEXT_DECORATION_COLOR] = {"text-decoration-color", 0, 0, 0},
    [P_WHITE_SPACE] = {"white-space", 1, FLD(white_space)},
    [P_TEXT_TRANSFORM] = {"text-transform", 1, FLD(text_transform)},
    [P_VERTICAL_ALIGN] = {"vertical-align", 0, FLD(vertical_align)},
    [P_LETTER_SPACING] = {"letter-spacing", 1, FLD(letter_spacing)},
    [P_TEXT_INDENT] = {"text-indent", 1, FLD(text_indent)},
    [P_LIST_STYLE_TYPE] = {"list-style-type", 1, FLD(list_style)},
    [P_DIRECTION] = {"direction", 1, FLD(direction_rtl)},
    [P_OBJECT_FIT] = {"object-fit", 0, FLD(object_fit)},
    [P_VISIBILITY] = {"visibility", 1, FLD(visibility_hidden)},
    [P_GRID_TEMPLATE_COLUMNS] = {"grid-template-columns", 0, 0, 0},
    [P_GRID_TEMPLATE_ROWS] = {"grid-template-rows", 0, 0, 0},
    [P_COLUMN_GAP] = {"column-gap", 0, 0, 0},
    [P_ROW_GAP] = {"row-gap", 0, 0, 0},
    [P_ALIGN_ITEMS] = {"align-items", 0, FLD(align_items)},
    [P_JUSTIFY_ITEMS] = {"justify-items", 0, FLD(justify_items)},
    [P_ALIGN_SELF] = {"align-self", 0, FLD(align_self)},
    [P_JUSTIFY_SELF] = {"justify-self", 0, FLD(justify_self)},
    [P_JUSTIFY_CONTENT] = {"justify-content", 0, FLD(justify_content)},
    [P_FLEX_DIRECTION] = {"flex-direction", 0, 0, 0},
    [P_FLEX_WRAP] = {"flex-wrap", 0, FLD(flex_wrap)},
    [P_FLEX_GROW] = {"flex-grow", 0, FLD(flex_grow)},
    [P_FLEX_SHRINK] = {"flex-shrink", 0, FLD(flex_shrink)},
    [P_FLEX_BASIS] = {"flex-basis", 0, FLD(flex_basis)},
    [P_GRID_COLUMN_START] = {"grid-column-start", 0, 0, 0},
    [P_GRID_COLUMN_END] = {"grid-column-end", 0, 0, 0},
    [P_GRID_ROW_START] = {"grid-row-start", 0, 0, 0},
    [P_GRID_ROW_END] = {"grid-row-end", 0, 0, 0},
    [P_BORDER_COLLAPSE] = {"border-collapse", 1, FLD(border_collapse)},
    [P_BORDER_SPACING_H] = {"-deckle-border-spacing-x", 1, FLD(border_spacing[0])},
    [P_BORDER_SPACING_V] = {"-deckle-border-spacing-y", 1, FLD(border_spacing[1])},
    [P_HYPHENS] = {"hyphens", 1, FLD(hyphens)},
    [P_BG_SIZE_X] = {"-deckle-background-size-x", 0, 0, 0},
    [P_BG_SIZE_Y] = {"-deckle-background-size-y", 0, FLD(bg_size_len[1])},
    [P_BG_POS_X] = {"background-position-x", 0, FLD(bg_pos[0])},
    [P_BG_POS_Y] = {"background-position-y", 0, FLD(bg_pos[1])},
    [P_BG_REPEAT] = {"background-repeat", 0, FLD(bg_repeat)},
    [P_POSITION] = {"position", 0, FLD(position)},
    [P_TOP] = {"top", 0, FLD(inset[0])},
    [P_RIGHT] = {"right", 0, FLD(inset[1])},
    [P_BOTTOM] = {"bottom", 0, FLD(inset[2])},
    [P_LEFT] = {"left", 0, FLD(inset[3])},
    [P_Z_INDEX] = {"z-index", 0, 0, 0},
    [P_GRID_TEMPLATE_AREAS] = {"grid-template-areas", 0, FLD(grid_areas)},
    [P_CONTENT] = {"content", 0, FLD(content)},
    [P_ALIGN_CONTENT] = {"align-content", 0, FLD(align_content)},
    [P_COUNTER_RESET] = {"counter-reset", 0, FLD(counter_reset)},
    [P_COUNTER_INCREMENT] = {"counter-increment", 0, FLD(counter_increment)},
};

const char *dk_css_prop_name(int prop) { return prop >= 0 && prop < P_COUNT ? props[prop].name : "?"; }
int dk_css_prop_inherited(int prop) { return prop >= 0 && prop < P_COUNT && props[prop].inherited; }

/* ---- keyword tables ------------------------------------------------------ */

typedef struct {
    const char *name;
    int v;
} kw;

#define KW_END {NULL, 0}
static const kw kw_display[] = {
    {"inline", DK_DISPLAY_INLINE}, {"block", DK_DISPLAY_BLOCK},
    {"inline-block", DK_DISPLAY_INLINE_BLOCK}, {"list-item", DK_DISPLAY_LIST_ITEM},
    {"grid", DK_DISPLAY_GRID}, {"inline-grid", DK_DISPLAY_INLINE_GRID},
    {"flex", DK_DISPLAY_FLEX}, {"inline-flex", DK_DISPLAY_INLINE_FLEX},
    {"table", DK_DISPLAY_TABLE}, {"inline-table", DK_DISPLAY_TABLE},
    {"table-row-group", DK_DISPLAY_TABLE_ROW_GROUP},
    {"table-header-group", DK_DISPLAY_TABLE_HEADER_GROUP},
    {"table-footer-group", DK_DISPLAY_TABLE_FOOTER_GROUP},
    {"table-row", DK_DISPLAY_TABLE_ROW}, {"table-cell", DK_DISPLAY_TABLE_CELL},
    {"table-caption", DK_DISPLAY_TABLE_CAPTION}, {"none", DK_DISPLAY_NONE},
    {"table-column", DK_DISPLAY_NONE}, {"table-column-group", DK_DISPLAY_NONE},
    {"contents", DK_DISPLAY_CONTENTS}, {"flow-root", DK_DISPLAY_BLOCK}, {"run-in", DK_DISPLAY_BLOCK},
    KW_END};
static const kw kw_box_sizing[] = {{"content-box", 0}, {"border-box", 1}, KW_END};
static const kw kw_border_style[] = {
    {"none", DK_BORDER_NONE}, {"hidden", DK_BORDER_NONE}, {"solid", DK_BORDER_SOLID},
    {"dashed", DK_BORDER_DASHED}, {"dotted", DK_BORDER_DOTTED}, {"double", DK_BORDER_DOUBLE},
    {"groove", DK_BORDER_SOLID}, {"ridge", DK_BORDER_SOLID}, {"inset", DK_BORDER_SOLID},
    {"outset", DK_BORDER_SOLID}, KW_END};
static const kw kw_border_width[] = {{"thin", 1}, {"medium", 3}, {"thick", 5}, KW_END};
static const kw kw_overflow[] = {{"visible", 0}, {"hidden", 1}, {"clip", 1}, {"scroll", 1},
                                 {"auto", 1}, KW_END};
static const kw kw_font_style[] = {{"normal", 0}, {"italic", 1}, {"oblique", 1}, KW_END};
enum { FW_BOLDER = -1, FW_LIGHTER = -2 };
static const kw kw_font_weight[] = {{"normal", 400}, {"bold", 700}, {"bolder", FW_BOLDER},
                                    {"lighter", FW_LIGHTER}, KW_END};
/* Chromium's keyword sizes at a 16px default; larger/smaller scale by 1.2 */
enum { FS_LARGER = 100, FS_SMALLER };
static const kw kw_font_size[] = {{"xx-small", 9}, {"x-small", 10}, {"small", 13},
                                  {"medium", 16}, {"large", 18}, {"x-large", 24},
                                  {"xx-large", 32}, {"xxx-large", 48}, {"larger", FS_LARGER},
                                  {"smaller", FS_SMALLER}, KW_END};
static const kw kw_text_align[] = {
    {"left", DK_ALIGN_LEFT}, {"right", DK_ALIGN_RIGHT}, {"center", DK_ALIGN_CENTER},
    {"justify", DK_ALIGN_JUSTIFY}, {"start", DK_ALIGN_START}, {"end", DK_ALIGN_END}, KW_END};
static const kw kw_white_space[] = {{"normal", DK_WS_NORMAL}, {"pre", DK_WS_PRE},
                                    {"nowrap", DK_WS_NOWRAP}, {"pre-wrap", DK_WS_PRE_WRAP},
                                    {"pre-line", DK_WS_PRE_LINE}, {"break-spaces", DK_WS_PRE_WRAP},
                                    KW_END};
static const kw kw_text_transform[] = {{"none", DK_TT_NONE}, {"uppercase", DK_TT_UPPER},
                                       {"lowercase", DK_TT_LOWER}, {"capitalize", DK_TT_CAPITALIZE},
                                       KW_END};
static const kw kw_valign[] = {
    {"baseline", DK_VALIGN_BASELINE}, {"sub", DK_VALIGN_SUB}, {"super", DK_VALIGN_SUPER},
    {"top", DK_VALIGN_TOP}, {"middle", DK_VALIGN_MIDDLE}, {"bottom", DK_VALIGN_BOTTOM},
    {"text-top", DK_VALIGN_TEXT_TOP}, {"text-bottom", DK_VALIGN_TEXT_BOTTOM}, KW_END};
static const kw kw_list_style[] = {
    {"none", DK_LIST_NONE}, {"disc", DK_LIST_DISC}, {"circle", DK_LIST_CIRCLE},
    {"square", DK_LIST_SQUARE}, {"decimal", DK_LIST_DECIMAL},
    {"decimal-leading-zero", DK_LIST_DECIMAL}, {"lower-alpha", DK_LIST_LOWER_ALPHA},
    {"lower-latin", DK_LIST_LOWER_ALPHA}, {"upper-alpha", DK_LIST_UPPER_ALPHA},
    {"upper-latin", DK_LIST_UPPER_ALPHA}, {"lower-roman", DK_LIST_LOWER_ROMAN},
    {"upper-roman", DK_LIST_UPPER_ROMAN}, KW_END};
static const kw kw_direction[] = {{"ltr", 0}, {"rtl", 1}, KW_END};
static const kw kw_object_fit[] = {{"fill", DK_OBJECT_FILL}, {"contain", DK_OBJECT_CONTAIN},
                                   {"cover", DK_OBJECT_COVER}, {"none", DK_OBJECT_NONE},
                                   {"scale-down", DK_OBJECT_SCALE_DOWN}, KW_END};
static const kw kw_border_collapse[] = {{"separate", 0}, {"collapse", 1}, KW_END};
static const kw kw_hyphens[] = {{"manual", DK_HYPHENS_MANUAL}, {"none", DK_HYPHENS_NONE},
                                {"auto", DK_HYPHENS_AUTO}, KW_END};
static const kw kw_bg_size[] = {{"cover", DK_BG_COVER}, {"contain", DK_BG_CONTAIN}, KW_END};
static const kw kw_bg_pos_x[] = {{"left", 0}, {"center", 50}, {"right", 100}, KW_END};
static const kw kw_bg_pos_y[] = {{"top", 0}, {"center", 50}, {"bottom", 100}, KW_END};
static const kw kw_bg_repeat[] = {{"repeat", 3}, {"no-repeat", 0}, {"repeat-x", 1}, {"repeat-y", 2},
                                  {"space", 3}, {"round", 3}, KW_END};
static const kw kw_position[] = {{"static", DK_POS_STATIC}, {"relative", DK_POS_RELATIVE},
                                 {"sticky", DK_POS_STICKY}, {"-webkit-sticky", DK_POS_STICKY},
                                 {"absolute", DK_POS_ABSOLUTE}, {"fixed", DK_POS_FIXED}, KW_END};
static const kw kw_visibility[] = {{"visible", 0}, {"hidden", 1}, {"collapse", 1}, KW_END};
static const kw kw_align[] = {
    {"normal", DK_AL_NORMAL}, {"stretch", DK_AL_STRETCH}, {"start", DK_AL_START},
    {"flex-start", DK_AL_START}, {"self-start", DK_AL_START}, {"left", DK_AL_START},
    {"end", DK_AL_END}, {"flex-end", DK_AL_END}, {"self-end", DK_AL_END}, {"right", DK_AL_END},
    {"center", DK_AL_CENTER}, {"baseline", DK_AL_BASELINE},
    {"space-between", DK_AL_SPACE_BETWEEN}, {"space-around", DK_AL_SPACE_AROUND},
    {"space-evenly", DK_AL_SPACE_EVENLY}, {"auto", DK_AL_AUTO}, KW_END};
/* bit 0: column, bit 1: reverse */
static const kw kw_flex_direction[] = {{"row", 0}, {"column", 1}, {"row-reverse", 2},
                                       {"column-reverse", 3}, KW_END};
static const kw kw_flex_wrap[] = {{"nowrap", 0}, {"wrap", 1}, {"wrap-reverse", 1}, KW_END};
static const kw kw_deco[] = {{"underline", DK_DECO_UNDERLINE}, {"overline", DK_DECO_OVERLINE},
                             {"line-through", DK_DECO_LINE_THROUGH}, {"blink", 0}, KW_END};

static const kw *kw_find(const kw *t, dk_str s) {
    for (; t->name; t++)
        if (dk_str_ieq(s, t->name)) return t;
    return NULL;
}

/* ---- colours ------------------------------------------------------------ */

static const struct {
    const char *name;
    unsigned rgb;
} named_colors[] = {
    {"aliceblue", 0xf0f8ff}, {"antiquewhite", 0xfaebd7}, {"aqua", 0x00ffff},
    {"aquamarine", 0x7fffd4}, {"azure", 0xf0ffff}, {"beige", 0xf5f5dc}, {"bisque", 0xffe4c4},
    {"black", 0x000000}, {"blanchedalmond", 0xffebcd}, {"blue", 0x0000ff},
    {"blueviolet", 0x8a2be2}, {"brown", 0xa52a2a}, {"burlywood", 0xdeb887},
    {"cadetblue", 0x5f9ea0}, {"chartreuse", 0x7fff00}, {"chocolate", 0xd2691e},
    {"coral", 0xff7f50}, {"cornflowerblue", 0x6495ed}, {"cornsilk", 0xfff8dc},
    {"crimson", 0xdc143c}, {"cyan", 0x00ffff}, {"darkblue", 0x00008b}, {"darkcyan", 0x008b8b},
    {"darkgoldenrod", 0xb8860b}, {"darkgray", 0xa9a9a9}, {"darkgreen", 0x006400},
    {"darkgrey", 0xa9a9a9}, {"darkkhaki", 0xbdb76b}, {"darkmagenta", 0x8b008b},
    {"darkolivegreen", 0x556b2f}, {"darkorange", 0xff8c00}, {"darkorchid", 0x9932cc},
    {"darkred", 0x8b0000}, {"darksalmon", 0xe9967a}, {"darkseagreen", 0x8fbc8f},
    {"darkslateblue", 0x483d8b}, {"darkslategray", 0x2f4f4f}, {"darkslategrey", 0x2f4f4f},
    {"darkturquoise", 0x00ced1}, {"darkviolet", 0x9400d3}, {"deeppink", 0xff1493},
    {"deepskyblue", 0x00bfff}, {"dimgray", 0x696969}, {"dimgrey", 0x696969},
    {"dodgerblue", 0x1e90ff}, {"firebrick", 0xb22222}, {"floralwhite", 0xfffaf0},
    {"forestgreen", 0x228b22}, {"fuchsia", 0xff00ff}, {"gainsboro", 0xdcdcdc},
    {"ghostwhite", 0xf8f8ff}, {"gold", 0xffd700}, {"goldenrod", 0xdaa520}, {"gray", 0x808080},
    {"green", 0x008000}, {"greenyellow", 0xadff2f}, {"grey", 0x808080}, {"honeydew", 0xf0fff0},
    {"hotpink", 0xff69b4}, {"indianred", 0xcd5c5c}, {"indigo", 0x4b0082}, {"ivory", 0xfffff0},
    {"khaki", 0xf0e68c}, {"lavender", 0xe6e6fa}, {"lavenderblush", 0xfff0f5},
    {"lawngreen", 0x7cfc00}, {"lemonchiffon", 0xfffacd}, {"lightblue", 0xadd8e6},
    {"lightcoral", 0xf08080}, {"lightcyan", 0xe0ffff}, {"lightgoldenrodyellow", 0xfafad2},
    {"lightgray", 0xd3d3d3}, {"lightgreen", 0x90ee90}, {"lightgrey", 0xd3d3d3},
    {"lightpink", 0xffb6c1}, {"lightsalmon", 0xffa07a}, {"lightseagreen", 0x20b2aa},
    {"lightskyblue", 0x87cefa}, {"lightslategray", 0x778899}, {"lightslategrey", 0x778899},
    {"lightsteelblue", 0xb0c4de}, {"lightyellow", 0xffffe0}, {"lime", 0x00ff00},
    {"limegreen", 0x32cd32}, {"linen", 0xfaf0e6}, {"magenta", 0xff00ff}, {"maroon", 0x800000},
    {"mediumaquamarine", 0x66cdaa}, {"mediumblue", 0x0000cd}, {"mediumorchid", 0xba55d3},
    {"mediumpurple", 0x9370db}, {"mediumseagreen", 0x3cb371}, {"mediumslateblue", 0x7b68ee},
    {"mediumspringgreen", 0x00fa9a}, {"mediumturquoise", 0x48d1cc},
    {"mediumvioletred", 0xc71585}, {"midnightblue", 0x191970}, {"mintcream", 0xf5fffa},
    {"mistyrose", 0xffe4e1}, {"moccasin", 0xffe4b5}, {"navajowhite", 0xffdead},
    {"navy", 0x000080}, {"oldlace", 0xfdf5e6}, {"olive", 0x808000}, {"olivedrab", 0x6b8e23},
    {"orange", 0xffa500}, {"orangered", 0xff4500}, {"orchid", 0xda70d6},
    {"palegoldenrod", 0xeee8aa}, {"palegreen", 0x98fb98}, {"paleturquoise", 0xafeeee},
    {"palevioletred", 0xdb7093}, {"papayawhip", 0xffefd5}, {"peachpuff", 0xffdab9},
    {"peru", 0xcd853f}, {"pink", 0xffc0cb}, {"plum", 0xdda0dd}, {"powderblue", 0xb0e0e6},
    {"purple", 0x800080}, {"rebeccapurple", 0x663399}, {"red", 0xff0000},
    {"rosybrown", 0xbc8f8f}, {"royalblue", 0x4169e1}, {"saddlebrown", 0x8b4513},
    {"salmon", 0xfa8072}, {"sandybrown", 0xf4a460}, {"seagreen", 0x2e8b57},
    {"seashell", 0xfff5ee}, {"sienna", 0xa0522d}, {"silver", 0xc0c0c0}, {"skyblue", 0x87ceeb},
    {"slateblue", 0x6a5acd}, {"slategray", 0x708090}, {"slategrey", 0x708090},
    {"snow", 0xfffafa}, {"springgreen", 0x00ff7f}, {"steelblue", 0x4682b4}, {"tan", 0xd2b48c},
    {"teal", 0x008080}, {"thistle", 0xd8bfd8}, {"tomato", 0xff6347}, {"turquoise", 0x40e0d0},
    {"violet", 0xee82ee}, {"wheat", 0xf5deb3}, {"white", 0xffffff}, {"whitesmoke", 0xf5f5f5},
    {"yellow", 0xffff00}, {"yellowgreen", 0x9acd32},
};

/* Number of named colours (for tests: CSS Color 4 has 148). */
int dk_css_named_color_count(void) { return (int)(sizeof named_colors / sizeof *named_colors); }

static unsigned char clamp255(double v) {
    if (!(v > 0)) return 0;
    if (v >= 255) return 255;
    return (unsigned char)lround(v + 1e-6); /* 127.4999999 from float steps is 127.5 */
}

static int hexd(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = (char)(c | 32);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int parse_hex(dk_str s, dk_rgba *c) {
    int d[8];
    if (s.n != 3 && s.n != 4 && s.n != 6 && s.n != 8) return 0;
    for (size_t i = 0; i < s.n; i++)
        if ((d[i] = hexd(s.p[i])) < 0) return 0;
    if (s.n <= 4) {
        *c = (dk_rgba){(unsigned char)(d[0] * 17), (unsigned char)(d[1] * 17),
                       (unsigned char)(d[2] * 17), (unsigned char)(s.n == 4 ? d[3] * 17 : 255)};
    } else {
        *c = (dk_rgba){(unsigned char)(d[0] * 16 + d[1]), (unsigned char)(d[2] * 16 + d[3]),
                       (unsigned char)(d[4] * 16 + d[5]),
                       (unsigned char)(s.n == 8 ? d[6] * 16 + d[7] : 255)};
    }
    return 1;
}

/* ---- token cursor --------------------------------------------------------- */

typedef struct {
    css_parser *ps;
    int i, e;
} vc;

static const tok *peek(vc *c) {
    while (c->i < c->e && c->ps->t[c->i].type == T_WS) c->i++;
    return c->i < c->e ? &c->ps->t[c->i] : NULL;
}

static const tok *take(vc *c) {
    const tok *t = peek(c);
    if (!t) return NULL;
    int m = t->match;
    c->i = m >= 0 ? m + 1 : c->i + 1;
    if (c->i > c->e) c->i = c->e;
    return t;
}

static int at_end(vc *c) { return peek(c) == NULL; }

/* A cursor over the arguments of the function token t. */
static vc args(vc *c, const tok *t) {
    int b = (int)(t - c->ps->t) + 1;
    int e = t->match >= 0 ? t->match : b;
    if (e > c->e) e = c->e;
    return (vc){c->ps, b, e};
}

static int is_comma(const tok *t) { return t && t->type == T_COMMA; }
static int is_delim_c(const tok *t, unsigned ch) { return t && t->type == T_DELIM && t->delim == ch; }

/* ---- components -------------------------------------------------------- */

enum {
    L_PCT = 1, L_AUTO = 2, L_NONE = 4, L_NEG = 8, L_FR = 16, L_CONTENT = 32, L_NORMAL0 = 64,
};

static int unit_of(dk_str u, float *v, unsigned char *unit) {
    static const struct {
        const char *u;
        double px;
        unsigned char unit;
    } units[] = {{"px", 1, U_PX}, {"pt", 4.0 / 3, U_PX}, {"pc", 16, U_PX},
                 {"in", 96, U_PX}, {"cm", 96 / 2.54, U_PX}, {"mm", 96 / 25.4, U_PX},
                 {"q", 96 / 101.6, U_PX}, {"em", 1, U_EM}, {"rem", 1, U_REM}, {"ex", 1, U_EX},
                 {"ch", 1, U_CH}, {"vw", 1, U_VW}, {"vh", 1, U_VH}, {"vmin", 1, U_VMIN},
                 {"vmax", 1, U_VMAX}, {"fr", 1, U_FR}};
    for (size_t k = 0; k < sizeof units / sizeof *units; k++)
        if (dk_str_ieq(u, units[k].u)) {
            *v = (float)(*v * units[k].px);
            *unit = units[k].unit;
            return 1;
        }
    return 0;
}

/*
 * calc() (CSS Values 4 §10): a sum of products of numbers, lengths and
 * percentages, kept as a number or as an amount per unit. Only a result in
 * one unit is a value we can hold (calc(1.4rem * 0.9), calc(2 * 8px + 4px));
 * calc(100% - 20px) does not reduce, and the declaration is dropped.
 */
typedef struct {
    int num;                /* a plain number, in n */
    double n, u[U_VMAX + 1];
} cval;

static int calc_sum(vc *c, cval *out, int depth);

static int calc_value(vc *c, cval *out, int depth) {
    const tok *t = peek(c);
    memset(out, 0, sizeof *out);
    if (!t || depth > 16) return 0;
    if (t->type == T_LPAREN || (t->type == T_FUNCTION && dk_str_ieq(t->s, "calc"))) {
        vc in = args(c, t);
        if (!calc_sum(&in, out, depth + 1) || !at_end(&in)) return 0;
    } else if (t->type == T_NUMBER) {
        out->num = 1, out->n = t->num;
    } else if (t->type == T_PERCENT) {
        out->u[U_PCT] = t->num;
    } else if (t->type == T_DIMENSION) {
        float v = (float)t->num;
        unsigned char unit;
        if (!unit_of(t->s, &v, &unit) || unit == U_FR) return 0;
        out->u[unit] = v;
    } else {
        return 0;
    }
    take(c);
    return 1;
}

static int calc_product(vc *c, cval *out, int depth) {
    if (!calc_value(c, out, depth)) return 0;
    for (const tok *t; (t = peek(c)) && (is_delim_c(t, '*') || is_delim_c(t, '/'));) {
        take(c);
        cval r;
        if (!calc_value(c, &r, depth)) return 0;
        if (is_delim_c(t, '/') && (!r.num || r.n == 0)) return 0;
        if (!out->num && !r.num) return 0; /* a length times a length */
        if (out->num && !r.num) { /* 2 * 8px: scale the length */
            double k = out->n;
            *out = r;
            r.num = 1, r.n = k;
        }
        double k = is_delim_c(t, '/') ? 1 / r.n : r.n;
        out->n *= k;
        for (int i = 0; i <= U_VMAX; i++) out->u[i] *= k;
    }
    return 1;
}

static int calc_sum(vc *c, cval *out, int depth) {
    if (!calc_product(c, out, depth)) return 0;
    for (const tok *t; (t = peek(c)) && (is_delim_c(t, '+') || is_delim_c(t, '-'));) {
        take(c);
        cval r;
        if (!calc_product(c, &r, depth) || r.num != out->num) return 0;
        double k = is_delim_c(t, '-') ? -1 : 1;
        out->n += k * r.n;
        for (int i = 0; i <= U_VMAX; i++) out->u[i] += k * r.u[i];
    }
    return 1;
}

/* calc() at the cursor as a length in one unit (a percentage only with L_PCT). */
static int p_calc_len(vc *c, int flags, sval *out) {
    cval r;
    vc at = *c;
    if (!calc_value(&at, &r, 0) || r.num) return 0;
    sval v = {.kind = SV_LEN, .unit = U_PX};
    for (int i = 0; i <= U_VMAX; i++) {
        if (r.u[i] == 0) continue;
        if (v.v != 0 || (i == U_PCT && !(flags & L_PCT))) return 0; /* two units: not reducible */
        v.v = (float)r.u[i], v.unit = (unsigned char)i;
    }
    if (v.v < 0 && !(flags & L_NEG)) v.v = 0; /* calc() clamps to the allowed range */
    *c = at;
    *out = v;
    return 1;
}

/* A <length-percentage> (plus keywords per flags) from the cursor. */
static int p_len(vc *c, int flags, sval *out) {
    const tok *t = peek(c);
    if (!t) return 0;
    sval v = {.kind = SV_LEN};
    if (t->type == T_FUNCTION && dk_str_ieq(t->s, "calc")) return p_calc_len(c, flags, out);
    if (t->type == T_DIMENSION) {
        v.v = (float)t->num;
        if (!unit_of(t->s, &v.v, &v.unit)) return 0;
        if (v.unit == U_FR && !(flags & L_FR)) return 0;
    } else if (t->type == T_PERCENT && (flags & L_PCT)) {
        v.v = (float)t->num;
        v.unit = U_PCT;
    } else if (t->type == T_NUMBER && t->num == 0) {
        v.unit = U_PX;
    } else if (t->type == T_IDENT) {
        if ((flags & L_AUTO) && dk_str_ieq(t->s, "auto")) v.unit = U_AUTO;
        else if ((flags & L_NONE) && dk_str_ieq(t->s, "none")) v.unit = U_NONE;
        else if ((flags & L_NORMAL0) && dk_str_ieq(t->s, "normal")) v.unit = U_PX;
        else if ((flags & L_CONTENT) && dk_str_ieq(t->s, "min-content")) v.unit = U_MINC;
        else if ((flags & L_CONTENT) && dk_str_ieq(t->s, "max-content")) v.unit = U_MAXC;
        else if ((flags & L_AUTO) && (dk_str_ieq(t->s, "min-content") ||
                                      dk_str_ieq(t->s, "max-content") ||
                                      dk_str_ieq(t->s, "fit-content")))
            v.unit = U_AUTO; /* intrinsic sizes for boxes: approximated as auto */
        else return 0;
    } else {
        return 0;
    }
    if (v.v < 0 && !(flags & L_NEG)) return 0;
    take(c);
    *out = v;
    return 1;
}

static int p_kw(vc *c, const kw *table, sval *out) {
    const tok *t = peek(c);
    const kw *k = t && t->type == T_IDENT ? kw_find(table, t->s) : NULL;
    if (!k) return 0;
    take(c);
    *out = (sval){.kind = SV_KW, .i = k->v};
    return 1;
}

static int p_number(vc *c, int allow_pct, sval *out) {
    const tok *t = peek(c);
    if (!t || !(t->type == T_NUMBER || (allow_pct && t->type == T_PERCENT))) return 0;
    take(c);
    *out = (sval){.kind = SV_NUM, .v = (float)(t->type == T_PERCENT ? t->num / 100 : t->num)};
    return 1;
}

/* rgb()/rgba(): comma or space syntax; numbers or percentages; alpha number or %. */
static int p_rgb(vc *c, const tok *fn, dk_rgba *out) {
    vc a = args(c, fn);
    double ch[4] = {0, 0, 0, 1};
    int n = 0, commas = -1;
    while (!at_end(&a) && n < 4) {
        const tok *t = take(&a);
        if (t->type == T_NUMBER) ch[n] = n == 3 ? t->num : t->num;
        else if (t->type == T_PERCENT) ch[n] = n == 3 ? t->num / 100 : t->num * 255 / 100;
        else if (t->type == T_IDENT && dk_str_ieq(t->s, "none")) ch[n] = 0;
        else return 0;
        n++;
        const tok *sep = peek(&a);
        if (!sep) break;
        int comma = is_comma(sep);
        if (n == 1) commas = comma;
        if (comma) {
            if (!commas) return 0;
            take(&a);
        } else if (is_delim_c(sep, '/')) {
            if (commas || n != 3) return 0;
            take(&a);
        } else if (commas || n == 3) {
            return 0;
        }
    }
    if (!at_end(&a) || n < 3) return 0;
    *out = (dk_rgba){clamp255(ch[0]), clamp255(ch[1]), clamp255(ch[2]), clamp255(ch[3] * 255)};
    return 1;
}

static double hue2rgb(double p, double q, double t) {
    if (t < 0) t += 1;
    if (t > 1) t -= 1;
    if (t < 1.0 / 6) return p + (q - p) * 6 * t;
    if (t < 0.5) return q;
    if (t < 2.0 / 3) return p + (q - p) * (2.0 / 3 - t) * 6;
    return p;
}

/* hsl()/hsla(): hue as number or angle; saturation and lightness percentages. */
static int p_hsl(vc *c, const tok *fn, dk_rgba *out) {
    vc a = args(c, fn);
    double ch[4] = {0, 0, 0, 1};
    int n = 0;
    while (!at_end(&a) && n < 4) {
        const tok *t = take(&a);
        if (n == 0 && t->type == T_DIMENSION) {
            double k = dk_str_ieq(t->s, "deg")    ? 1
                       : dk_str_ieq(t->s, "rad")  ? 180 / 3.14159265358979323846
                       : dk_str_ieq(t->s, "grad") ? 0.9
                       : dk_str_ieq(t->s, "turn") ? 360
                                                  : -1;
            if (k < 0) return 0;
            ch[0] = t->num * k;
        } else if (t->type == T_NUMBER) {
            ch[n] = t->num;
        } else if (t->type == T_PERCENT && n > 0) {
            ch[n] = n == 3 ? t->num / 100 : t->num;
        } else {
            return 0;
        }
        n++;
        const tok *sep = peek(&a);
        if (is_comma(sep) || (is_delim_c(sep, '/') && n == 3)) take(&a);
    }
    if (!at_end(&a) || n < 3) return 0;
    double h = fmod(ch[0], 360) / 360, s = ch[1] / 100, l = ch[2] / 100;
    if (h < 0) h += 1;
    s = s < 0 ? 0 : s > 1 ? 1 : s;
    l = l < 0 ? 0 : l > 1 ? 1 : l;
    double q = l < 0.5 ? l * (1 + s) : l + s - l * s, p = 2 * l - q;
    *out = (dk_rgba){clamp255(hue2rgb(p, q, h + 1.0 / 3) * 255), clamp255(hue2rgb(p, q, h) * 255),
                     clamp255(hue2rgb(p, q, h - 1.0 / 3) * 255), clamp255(ch[3] * 255)};
    return 1;
}

/* A <color>: hex, name, transparent, currentcolor, rgb[a](), hsl[a](). */
static int p_color(vc *c, sval *out) {
    const tok *t = peek(c);
    if (!t) return 0;
    dk_rgba col;
    if (t->type == T_HASH) {
        if (!parse_hex(t->s, &col)) return 0;
    } else if (t->type == T_IDENT) {
        if (dk_str_ieq(t->s, "currentcolor")) {
            take(c);
            *out = (sval){.kind = SV_CURRENT};
            return 1;
        }
        if (dk_str_ieq(t->s, "transparent")) {
            col = (dk_rgba){0, 0, 0, 0};
        } else {
            size_t k, n = sizeof named_colors / sizeof *named_colors;
            for (k = 0; k < n; k++)
                if (dk_str_ieq(t->s, named_colors[k].name)) break;
            if (k == n) return 0;
            unsigned v = named_colors[k].rgb;
            col = (dk_rgba){(unsigned char)(v >> 16), (unsigned char)(v >> 8), (unsigned char)v, 255};
        }
    } else if (t->type == T_FUNCTION && (dk_str_ieq(t->s, "rgb") || dk_str_ieq(t->s, "rgba"))) {
        if (!p_rgb(c, t, &col)) return 0;
    } else if (t->type == T_FUNCTION && (dk_str_ieq(t->s, "hsl") || dk_str_ieq(t->s, "hsla"))) {
        if (!p_hsl(c, t, &col)) return 0;
    } else {
        return 0;
    }
    take(c);
    *out = (sval){.kind = SV_COLOR, .c = col};
    return 1;
}

static int p_url(vc *c, sval *out) {
    const tok *t = peek(c);
    dk_str u;
    if (t && t->type == T_URL) {
        u = t->s;
    } else if (t && t->type == T_FUNCTION && dk_str_ieq(t->s, "url")) {
        vc a = args(c, t);
        const tok *s = take(&a);
        if (!s || s->type != T_STRING || !at_end(&a)) return 0;
        u = s->s;
    } else {
        return 0;
    }
    take(c);
    char *p = dk_arena_strndup(c->ps->mem, u.p, u.n);
    if (!p) c->ps->oom = 1;
    *out = (sval){.kind = SV_STR, .s = p};
    return 1;
}

/* <image> | none: url(); gradients and image-set() parse but paint nothing. */
static int p_image(vc *c, sval *out) {
    const tok *t = peek(c);
    if (!t) return 0;
    if (t->type == T_IDENT && dk_str_ieq(t->s, "none")) {
        take(c);
        *out = (sval){.kind = SV_STR};
        return 1;
    }
    if (t->type == T_FUNCTION &&
        ((t->s.n > 9 && dk_str_ieq((dk_str){t->s.p + t->s.n - 9, 9}, "-gradient")) ||
         dk_str_ieq(t->s, "image-set"))) {
        take(c);
        *out = (sval){.kind = SV_STR};
        return 1;
    }
    return p_url(c, out);
}

/* font-family: a comma list of strings and ident sequences, serialized "A B, c". */
static int p_family(vc *c, sval *out) {
    dk_buf b = {0};
    int need = 1, ok = 1, words = 0;
    while (!at_end(c)) {
        const tok *t = take(c);
        if (t->type == T_COMMA) {
            if (need) {
                ok = 0;
                break;
            }
            dk_buf_adds(&b, ", ");
            need = 1, words = 0;
        } else if (t->type == T_STRING && need) {
            dk_buf_add(&b, t->s.p, t->s.n);
            need = 0, words = -1;
        } else if (t->type == T_IDENT && words >= 0) {
            if (words++) dk_buf_addc(&b, ' ');
            dk_buf_add(&b, t->s.p, t->s.n);
            need = 0;
        } else {
            ok = 0;
            break;
        }
    }
    if (need) ok = 0;
    if (ok && b.p) {
        char *p = dk_arena_strndup(c->ps->mem, b.p, b.n);
        if (!p) c->ps->oom = 1;
        *out = (sval){.kind = SV_STR, .s = p};
    }
    if (b.oom) c->ps->oom = 1;
    dk_buf_free(&b);
    return ok;
}

static int p_font_size(vc *c, sval *out) {
    return p_len(c, L_PCT, out) || p_kw(c, kw_font_size, out);
}

static int p_font_weight(vc *c, sval *out) {
    const tok *t = peek(c);
    if (t && t->type == T_NUMBER) {
        if (t->num < 1 || t->num > 1000) return 0;
        take(c);
        *out = (sval){.kind = SV_KW, .i = (int)lround(t->num)};
        return 1;
    }
    return p_kw(c, kw_font_weight, out);
}

static int p_line_height(vc *c, sval *out) {
    const tok *t = peek(c);
    if (t && t->type == T_NUMBER && t->num >= 0 && t->num != 0) {
        take(c);
        *out = (sval){.kind = SV_NUM, .v = (float)t->num};
        return 1;
    }
    if (t && t->type == T_IDENT && dk_str_ieq(t->s, "normal")) {
        take(c);
        *out = (sval){.kind = SV_KW, .i = 0};
        return 1;
    }
    return p_len(c, L_PCT, out);
}

/* A track size: <length-percentage> | <flex> | auto | min/max-content | minmax(a, b). */
static int p_track(vc *c, css_track *tr) {
    const tok *t = peek(c);
    sval a, b;
    if (t && t->type == T_FUNCTION && dk_str_ieq(t->s, "minmax")) {
        vc g = args(c, t);
        if (!p_len(&g, L_PCT | L_AUTO | L_CONTENT, &a) || !is_comma(take(&g)) ||
            !p_len(&g, L_PCT | L_AUTO | L_CONTENT | L_FR, &b) || !at_end(&g) || a.unit == U_FR)
            return 0;
        take(c);
    } else if (p_len(c, L_PCT | L_AUTO | L_CONTENT | L_FR, &a)) {
        b = a;
    } else {
        return 0;
    }
    *tr = (css_track){a.v, b.v, a.unit, b.unit};
    return 1;
}

/* grid-template-*: none | [ [names]? <track> | repeat(N, ...) ]+ */
static int p_tracks(vc *c, sval *out) {
    css_track tr[DK_MAX_TRACKS];
    int n = 0;
    const tok *t = peek(c);
    if (t && t->type == T_IDENT && dk_str_ieq(t->s, "none")) {
        take(c);
        *out = (sval){.kind = SV_TRACKS};
        return 1;
    }
    while ((t = peek(c))) {
        if (t->type == T_LBRACKET) { /* line names: accepted, unused */
            take(c);
            continue;
        }
        if (t->type == T_FUNCTION && dk_str_ieq(t->s, "repeat")) {
            vc g = args(c, t);
            const tok *cnt = take(&g);
            if (!cnt || cnt->type != T_NUMBER || !cnt->is_int || cnt->num < 1 || !is_comma(take(&g)))
                return 0;
            css_track one[DK_MAX_TRACKS];
            int k = 0;
            while (!at_end(&g)) {
                if (peek(&g)->type == T_LBRACKET) {
                    take(&g);
                    continue;
                }
                if (k == DK_MAX_TRACKS || !p_track(&g, &one[k])) return 0;
                k++;
            }
            if (!k) return 0;
            for (long r = 0; r < (long)cnt->num; r++)
                for (int j = 0; j < k; j++) {
                    if (n == DK_MAX_TRACKS) return 0;
                    tr[n++] = one[j];
                }
            take(c);
            continue;
        }
        if (n == DK_MAX_TRACKS || !p_track(c, &tr[n])) return 0;
        n++;
    }
    if (!n) return 0;
    css_track *p = dk_arena_alloc(c->ps->mem, (size_t)n * sizeof *p);
    if (!p) return c->ps->oom = 1, 0;
    memcpy(p, tr, (size_t)n * sizeof *p);
    *out = (sval){.kind = SV_TRACKS, .tracks = p, .ntracks = n};
    return 1;
}

/*
 * content (CSS 2.1 §12.2): normal | none | [ <string> | counter() | counters() | attr() |
 * open-quote | close-quote | no-open-quote | no-close-quote | url() ]+. The strings are
 * joined into SV_STR (quotes as the English curly ones); counter(name) becomes the name
 * between two DK_COUNTER_MARKs (its style is taken as decimal); the rest is accepted but
 * adds no text, so the box is still generated. none and normal are SV_KW.
 */
static int p_content(vc *c, sval *out) {
    const tok *t = peek(c);
    if (t && t->type == T_IDENT && (dk_str_ieq(t->s, "none") || dk_str_ieq(t->s, "normal"))) {
        take(c);
        *out = (sval){.kind = SV_KW};
        return 1;
    }
    dk_buf b = {0};
    int n = 0, ok = 1;
    while (ok && (t = peek(c))) {
        if (t->type == T_STRING) dk_buf_add(&b, t->s.p, t->s.n);
        else if (t->type == T_IDENT && dk_str_ieq(t->s, "open-quote")) dk_buf_adds(&b, "\xE2\x80\x9C");
        else if (t->type == T_IDENT && dk_str_ieq(t->s, "close-quote")) dk_buf_adds(&b, "\xE2\x80\x9D");
        else if (t->type == T_IDENT) ok = dk_str_ieq(t->s, "no-open-quote") || dk_str_ieq(t->s, "no-close-quote");
        else if (t->type == T_FUNCTION && dk_str_ieq(t->s, "counter")) {
            vc g = args(c, t);
            const tok *name = take(&g);
            if ((ok = name && name->type == T_IDENT)) {
                dk_buf_addc(&b, DK_COUNTER_MARK);
                dk_buf_add(&b, name->s.p, name->s.n);
                dk_buf_addc(&b, DK_COUNTER_MARK);
            }
        } else if (t->type == T_FUNCTION)
            ok = dk_str_ieq(t->s, "counters") || dk_str_ieq(t->s, "attr");
        else ok = t->type == T_URL;
        take(c);
        n++;
    }
    if (ok && n && !b.oom) {
        *out = (sval){.kind = SV_STR, .s = dk_arena_strndup(c->ps->mem, b.p ? b.p : "", b.n)};
        if (!out->s) c->ps->oom = 1;
    } else {
        ok = 0;
    }
    if (b.oom) c->ps->oom = 1;
    dk_buf_free(&b);
    return ok;
}

/*
 * counter-reset / counter-increment: none | [ <name> <integer>? ]+, written out as
 * "name value" pairs (the value `dflt` when omitted); none is SV_KW.
 */
static int p_counters(vc *c, int dflt, sval *out) {
    const tok *t = peek(c);
    if (t && t->type == T_IDENT && dk_str_ieq(t->s, "none")) {
        take(c);
        *out = (sval){.kind = SV_KW};
        return 1;
    }
    dk_buf b = {0};
    int ok = 1;
    while (ok && (t = take(c))) {
        ok = t->type == T_IDENT && !dk_str_ieq(t->s, "none");
        const tok *v = peek(c);
        int n = dflt;
        if (v && v->type == T_NUMBER && v->is_int) n = (int)take(c)->num;
        dk_buf_printf(&b, "%s%.*s %d", b.n ? " " : "", (int)t->s.n, t->s.p, n);
    }
    ok = ok && b.n && !b.oom;
    if (ok) {
        *out = (sval){.kind = SV_STR, .s = dk_arena_strndup(c->ps->mem, b.p, b.n)};
        if (!out->s) c->ps->oom = 1;
    }
    if (b.oom) c->ps->oom = 1;
    dk_buf_free(&b);
    return ok;
}

/* A grid line: auto | <integer> | span <integer>? | <integer> span (named lines: unsupported). */
static int p_line(vc *c, sval *out) {
    const tok *t = peek(c);
    sval v = {.kind = SV_LINE};
    if (t && t->type == T_IDENT && dk_str_ieq(t->s, "auto")) {
        take(c);
        *out = v;
        return 1;
    }
    if (t && t->type == T_IDENT && !dk_str_ieq(t->s, "span")) {
        /* a named area's line (css-grid-1 §8.3.1); resolved in place() */
        take(c);
        v.s = dk_arena_strndup(c->ps->mem, t->s.p, t->s.n);
        if (!v.s) c->ps->oom = 1;
        *out = v;
        return v.s != NULL;
    }
    int got = 0;
    while ((t = peek(c)) && got < 2) {
        if (t->type == T_IDENT && dk_str_ieq(t->s, "span") && v.v == 0) {
            v.v = 1;
        } else if (t->type == T_NUMBER && t->is_int && t->num != 0 && !v.i) {
            v.i = (int)DK_MAX(-10000, DK_MIN(10000, t->num));
        } else {
            break;
        }
        take(c);
        got++;
    }
    if (!got) return 0;
    if (v.v) { /* span N */
        if (v.i < 0) return 0;
        v.v = (float)(v.i ? v.i : 1);
        v.i = 0;
    }
    *out = v;
    return 1;
}

/*
 * grid-template-areas: none | <string>+ (css-grid-1 §7.3). Each string is a
 * row of cell names; a run of '.' is a null cell. Rows of different lengths
 * make the value invalid. Kept as one string: rows split by '\n', cells by ' '.
 */
static int p_areas(vc *c, sval *out) {
    const tok *t = peek(c);
    if (t && t->type == T_IDENT && dk_str_ieq(t->s, "none")) {
        take(c);
        *out = (sval){.kind = SV_STR};
        return 1;
    }
    dk_buf b = {0};
    int ncols = -1, ok = 1;
    while (ok && (t = peek(c)) && t->type == T_STRING) {
        take(c);
        int n = 0;
        if (b.n) dk_buf_addc(&b, '\n');
        for (size_t i = 0; i < t->s.n;) {
            char ch = t->s.p[i];
            if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f') {
                i++;
                continue;
            }
            if (n++) dk_buf_addc(&b, ' ');
            if (ch == '.') {
                while (i < t->s.n && t->s.p[i] == '.') i++;
                dk_buf_addc(&b, '.');
                continue;
            }
            size_t j = i;
            while (j < t->s.n && !strchr(" \t\n\r\f.", t->s.p[j])) j++;
            dk_buf_add(&b, t->s.p + i, j - i);
            i = j;
        }
        if (!n || (ncols >= 0 && n != ncols)) ok = 0;
        ncols = n;
    }
    if (ok && ncols > 0 && !b.oom) {
        *out = (sval){.kind = SV_STR, .s = dk_arena_strndup(c->ps->mem, b.p, b.n)};
        if (!out->s) c->ps->oom = 1;
    } else {
        ok = 0;
    }
    if (b.oom) c->ps->oom = 1;
    dk_buf_free(&b);
    return ok;
}

static int p_align(vc *c, sval *out) {
    const tok *t = peek(c);
    /* "safe center", "first baseline": the modifier changes nothing we do */
    if (t && t->type == T_IDENT && (dk_str_ieq(t->s, "safe") || dk_str_ieq(t->s, "unsafe") ||
                                    dk_str_ieq(t->s, "first") || dk_str_ieq(t->s, "last")))
        take(c);
    return p_kw(c, kw_align, out);
}

static int p_deco_line(vc *c, sval *out) {
    const tok *t = peek(c);
    if (t && t->type == T_IDENT && dk_str_ieq(t->s, "none")) {
        take(c);
        *out = (sval){.kind = SV_KW, .i = 0};
        return 1;
    }
    int bits = 0, any = 0;
    const kw *k;
    while ((t = peek(c)) && t->type == T_IDENT && (k = kw_find(kw_deco, t->s))) {
        bits |= k->v;
        any = 1;
        take(c);
    }
    *out = (sval){.kind = SV_KW, .i = bits};
    return any;
}

/* Parse one value of longhand `p` from the cursor; 0 if it does not fit. */
static int p_longhand(vc *c, int p, sval *out) {
    switch (p) {
    case P_FONT_SIZE: return p_font_size(c, out);
    case P_COLOR: case P_BORDER_TOP_COLOR: case P_BORDER_RIGHT_COLOR: case P_BORDER_BOTTOM_COLOR:
    case P_BORDER_LEFT_COLOR: case P_BACKGROUND_COLOR: case P_TEXT_DECORATION_COLOR:
        return p_color(c, out);
    case P_DISPLAY: return p_kw(c, kw_display, out);
    case P_BOX_SIZING: return p_kw(c, kw_box_sizing, out);
    case P_WIDTH: case P_HEIGHT: case P_MIN_WIDTH: case P_MIN_HEIGHT:
        return p_len(c, L_PCT | L_AUTO, out);
    case P_MAX_WIDTH: case P_MAX_HEIGHT: return p_len(c, L_PCT | L_NONE, out);
    case P_MARGIN_TOP: case P_MARGIN_RIGHT: case P_MARGIN_BOTTOM: case P_MARGIN_LEFT:
        return p_len(c, L_PCT | L_AUTO | L_NEG, out);
    case P_PADDING_TOP: case P_PADDING_RIGHT: case P_PADDING_BOTTOM: case P_PADDING_LEFT:
        return p_len(c, L_PCT, out);
    case P_BORDER_TOP_WIDTH: case P_BORDER_RIGHT_WIDTH: case P_BORDER_BOTTOM_WIDTH:
    case P_BORDER_LEFT_WIDTH:
        if (p_kw(c, kw_border_width, out)) {
            *out = (sval){.kind = SV_LEN, .unit = U_PX, .v = (float)out->i};
            return 1;
        }
        return p_len(c, 0, out);
    case P_BORDER_TOP_STYLE: case P_BORDER_RIGHT_STYLE: case P_BORDER_BOTTOM_STYLE:
    case P_BORDER_LEFT_STYLE:
        return p_kw(c, kw_border_style, out);
    case P_BORDER_TL_RADIUS: case P_BORDER_TR_RADIUS: case P_BORDER_BR_RADIUS:
    case P_BORDER_BL_RADIUS: {
        if (!p_len(c, L_PCT, out)) return 0;
        sval second; /* elliptical corners: the vertical radius is dropped */
        p_len(c, L_PCT, &second);
        return 1;
    }
    case P_BACKGROUND_IMAGE: return p_image(c, out);
    case P_OPACITY: return p_number(c, 1, out);
    case P_OVERFLOW: {
        if (!p_kw(c, kw_overflow, out)) return 0;
        sval y;
        if (p_kw(c, kw_overflow, &y)) out->i |= y.i;
        return 1;
    }
    case P_FONT_FAMILY: return p_family(c, out);
    case P_FONT_WEIGHT: return p_font_weight(c, out);
    case P_FONT_STYLE: {
        if (!p_kw(c, kw_font_style, out)) return 0;
        const tok *t = peek(c); /* oblique <angle> */
        if (t && t->type == T_DIMENSION && out->i) take(c);
        return 1;
    }
    case P_LINE_HEIGHT: return p_line_height(c, out);
    case P_TEXT_ALIGN: return p_kw(c, kw_text_align, out);
    case P_TEXT_DECORATION_LINE: return p_deco_line(c, out);
    case P_WHITE_SPACE: return p_kw(c, kw_white_space, out);
    case P_TEXT_TRANSFORM: return p_kw(c, kw_text_transform, out);
    case P_VERTICAL_ALIGN:
        if (p_kw(c, kw_valign, out)) return 1;
        {
            const tok *t = peek(c);
            if (!p_len(c, L_PCT | L_NEG, out)) return 0;
            dk_css_note_once(c->ps, "css-value:vertical-align-length", t->off,
                             "vertical-align lengths are not supported; baseline is used");
        }
        *out = (sval){.kind = SV_KW, .i = DK_VALIGN_BASELINE}; /* shifts: unsupported */
        return 1;
    case P_LETTER_SPACING: return p_len(c, L_NEG | L_NORMAL0, out);
    case P_TEXT_INDENT: return p_len(c, L_NEG, out);
    case P_LIST_STYLE_TYPE: {
        if (p_kw(c, kw_list_style, out)) return 1;
        const tok *t = peek(c);
        if (!t || (t->type != T_IDENT && t->type != T_STRING)) return 0;
        take(c); /* other counter styles fall back to decimal, as CSS says */
        *out = (sval){.kind = SV_KW, .i = DK_LIST_DECIMAL};
        return 1;
    }
    case P_DIRECTION: return p_kw(c, kw_direction, out);
    case P_OBJECT_FIT: return p_kw(c, kw_object_fit, out);
    case P_VISIBILITY: return p_kw(c, kw_visibility, out);
    case P_BORDER_COLLAPSE: return p_kw(c, kw_border_collapse, out);
    case P_BORDER_SPACING_H: case P_BORDER_SPACING_V: return p_len(c, 0, out);
    case P_HYPHENS: return p_kw(c, kw_hyphens, out);
    case P_BG_SIZE_X: return p_kw(c, kw_bg_size, out) || p_len(c, L_PCT | L_AUTO, out);
    case P_BG_SIZE_Y: return p_len(c, L_PCT | L_AUTO, out);
    case P_BG_POS_X: case P_BG_POS_Y: {
        if (p_kw(c, p == P_BG_POS_X ? kw_bg_pos_x : kw_bg_pos_y, out)) {
            *out = (sval){.kind = SV_LEN, .unit = U_PCT, .v = (float)out->i};
            return 1;
        }
        return p_len(c, L_PCT | L_NEG, out);
    }
    case P_BG_REPEAT: {
        if (!p_kw(c, kw_bg_repeat, out)) return 0;
        sval y; /* two values: horizontal then vertical */
        if (p_kw(c, kw_bg_repeat, &y)) out->i = (out->i & 1) | (y.i & 2);
        return 1;
    }
    case P_GRID_TEMPLATE_COLUMNS: case P_GRID_TEMPLATE_ROWS: return p_tracks(c, out);
    case P_COLUMN_GAP: case P_ROW_GAP: return p_len(c, L_PCT | L_NORMAL0, out);
    case P_ALIGN_ITEMS: case P_JUSTIFY_ITEMS: case P_ALIGN_SELF: case P_JUSTIFY_SELF:
    case P_JUSTIFY_CONTENT: case P_ALIGN_CONTENT:
        return p_align(c, out);
    case P_FLEX_DIRECTION: return p_kw(c, kw_flex_direction, out);
    case P_FLEX_WRAP: return p_kw(c, kw_flex_wrap, out);
    case P_FLEX_GROW: case P_FLEX_SHRINK: {
        const tok *t = peek(c);
        return t && t->type == T_NUMBER && t->num >= 0 && p_number(c, 0, out);
    }
    case P_FLEX_BASIS: {
        const tok *t = peek(c);
        if (t && t->type == T_IDENT && dk_str_ieq(t->s, "content")) {
            take(c);
            *out = (sval){.kind = SV_LEN, .unit = U_AUTO};
            return 1;
        }
        return p_len(c, L_PCT | L_AUTO, out);
    }
    case P_GRID_COLUMN_START: case P_GRID_COLUMN_END: case P_GRID_ROW_START: case P_GRID_ROW_END:
        return p_line(c, out);
    case P_GRID_TEMPLATE_AREAS: return p_areas(c, out);
    case P_CONTENT: return p_content(c, out);
    case P_COUNTER_RESET: return p_counters(c, 0, out);
    case P_COUNTER_INCREMENT: return p_counters(c, 1, out);
    case P_POSITION: {
        const tok *t = peek(c);
        if (!p_kw(c, kw_position, out)) return 0;
        if (out->i == DK_POS_STICKY)
            dk_css_note_once(c->ps, "css-value:position-sticky", t->off,
                             "position: sticky never sticks on a slide; it stays in place");
        return 1;
    }
    case P_TOP: case P_RIGHT: case P_BOTTOM: case P_LEFT: return p_len(c, L_PCT | L_AUTO | L_NEG, out);
    case P_Z_INDEX: {
        const tok *t = peek(c);
        if (t && t->type == T_NUMBER && t->is_int) return p_number(c, 0, out);
        return p_len(c, L_AUTO, out) && out->unit == U_AUTO;
    }
    }
    return 0;
}

/* ---- declarations -------------------------------------------------------- */

static size_t deck_off(const css_parser *ps, size_t off) {
    return ps->base_off == DK_NOPOS ? DK_NOPOS : ps->base_off + off;
}

static void emit(css_parser *ps, int prop, const sval *v, int important, size_t off) {
    if (ps->nd == ps->capd) {
        int cap = ps->capd ? ps->capd * 2 : 32;
        css_decl *d = realloc(ps->d, (size_t)cap * sizeof *d);
        if (!d) {
            ps->oom = 1;
            return;
        }
        ps->d = d;
        ps->capd = cap;
    }
    ps->d[ps->nd++] = (css_decl){.prop = (unsigned short)prop,
                                 .important = (unsigned char)important,
                                 .seq = ps->seq++,
                                 .off = deck_off(ps, off),
                                 .v = *v};
}

/* Shorthands and the longhands they set (also for inherit/initial/unset). */
enum {
    SH_MARGIN = P_COUNT, SH_PADDING, SH_BORDER, SH_BORDER_TOP, SH_BORDER_RIGHT, SH_BORDER_BOTTOM,
    SH_BORDER_LEFT, SH_BORDER_WIDTH, SH_BORDER_STYLE, SH_BORDER_COLOR, SH_BORDER_RADIUS,
    SH_BACKGROUND, SH_FONT, SH_TEXT_DECORATION, SH_LIST_STYLE, SH_GAP, SH_FLEX, SH_FLEX_FLOW,
    SH_GRID_COLUMN, SH_GRID_ROW, SH_PLACE_ITEMS, SH_PLACE_SELF, SH_PLACE_CONTENT, SH_BORDER_SPACING,
    SH_BG_SIZE, SH_BG_POSITION, SH_INSET, SH_GRID_AREA, SH_END
};

static const struct {
    const char *name;
    int sh;
} shorthand_names[] = {
    {"margin", SH_MARGIN}, {"padding", SH_PADDING}, {"border", SH_BORDER},
    {"border-top", SH_BORDER_TOP}, {"border-right", SH_BORDER_RIGHT},
    {"border-bottom", SH_BORDER_BOTTOM}, {"border-left", SH_BORDER_LEFT},
    {"border-width", SH_BORDER_WIDTH}, {"border-style", SH_BORDER_STYLE},
    {"border-color", SH_BORDER_COLOR}, {"border-radius", SH_BORDER_RADIUS},
    {"background", SH_BACKGROUND}, {"font", SH_FONT}, {"text-decoration", SH_TEXT_DECORATION},
    {"list-style", SH_LIST_STYLE}, {"gap", SH_GAP}, {"grid-gap", SH_GAP}, {"flex", SH_FLEX},
    {"flex-flow", SH_FLEX_FLOW}, {"grid-area", SH_GRID_AREA}, {"grid-column", SH_GRID_COLUMN}, {"grid-row", SH_GRID_ROW},
    {"place-items", SH_PLACE_ITEMS}, {"place-self", SH_PLACE_SELF},
    {"place-content", SH_PLACE_CONTENT}, {"border-spacing", SH_BORDER_SPACING},
    {"background-size", SH_BG_SIZE}, {"background-position", SH_BG_POSITION},
    {"inset", SH_INSET},
};

/* Old names that are plain aliases of a longhand. */
static const struct {
    const char *name;
    int prop;
} aliases[] = {
    {"grid-column-gap", P_COLUMN_GAP}, {"grid-row-gap", P_ROW_GAP},
    {"word-wrap", -1}, {"overflow-x", P_OVERFLOW}, {"overflow-y", P_OVERFLOW},
    /* logical properties, for horizontal-tb ltr (direction: rtl is not mirrored) */
    {"margin-block-start", P_MARGIN_TOP}, {"margin-block-end", P_MARGIN_BOTTOM},
    {"margin-inline-start", P_MARGIN_LEFT}, {"margin-inline-end", P_MARGIN_RIGHT},
    {"padding-block-start", P_PADDING_TOP}, {"padding-block-end", P_PADDING_BOTTOM},
    {"padding-inline-start", P_PADDING_LEFT}, {"padding-inline-end", P_PADDING_RIGHT},
    {"border-start-start-radius", P_BORDER_TL_RADIUS}, {"border-start-end-radius", P_BORDER_TR_RADIUS},
    {"border-end-end-radius", P_BORDER_BR_RADIUS}, {"border-end-start-radius", P_BORDER_BL_RADIUS},
    {"inline-size", P_WIDTH}, {"block-size", P_HEIGHT},
    {"min-inline-size", P_MIN_WIDTH}, {"min-block-size", P_MIN_HEIGHT},
    {"max-inline-size", P_MAX_WIDTH}, {"max-block-size", P_MAX_HEIGHT},
};

/* Longhands of each shorthand. */
static int sh_longhands(int sh, int *out) {
    static const signed char sides[][4] = {
        {P_MARGIN_TOP, P_MARGIN_RIGHT, P_MARGIN_BOTTOM, P_MARGIN_LEFT},
        {P_PADDING_TOP, P_PADDING_RIGHT, P_PADDING_BOTTOM, P_PADDING_LEFT},
        {P_BORDER_TOP_WIDTH, P_BORDER_RIGHT_WIDTH, P_BORDER_BOTTOM_WIDTH, P_BORDER_LEFT_WIDTH},
        {P_BORDER_TOP_STYLE, P_BORDER_RIGHT_STYLE, P_BORDER_BOTTOM_STYLE, P_BORDER_LEFT_STYLE},
        {P_BORDER_TOP_COLOR, P_BORDER_RIGHT_COLOR, P_BORDER_BOTTOM_COLOR, P_BORDER_LEFT_COLOR},
        {P_BORDER_TL_RADIUS, P_BORDER_TR_RADIUS, P_BORDER_BR_RADIUS, P_BORDER_BL_RADIUS},
        {P_TOP, P_RIGHT, P_BOTTOM, P_LEFT},
    };
    int n = 0;
    switch (sh) {
    case SH_MARGIN: case SH_PADDING: case SH_BORDER_WIDTH: case SH_BORDER_STYLE:
    case SH_BORDER_COLOR: case SH_BORDER_RADIUS: case SH_INSET: {
        int row = sh == SH_MARGIN ? 0 : sh == SH_PADDING ? 1 : sh == SH_BORDER_WIDTH ? 2
                  : sh == SH_BORDER_STYLE ? 3 : sh == SH_BORDER_COLOR ? 4 : sh == SH_INSET ? 6 : 5;
        for (int i = 0; i < 4; i++) out[n++] = sides[row][i];
        break;
    }
    case SH_BORDER:
        for (int r = 2; r <= 4; r++)
            for (int i = 0; i < 4; i++) out[n++] = sides[r][i];
        break;
    case SH_BORDER_TOP: case SH_BORDER_RIGHT: case SH_BORDER_BOTTOM: case SH_BORDER_LEFT:
        for (int r = 2; r <= 4; r++) out[n++] = sides[r][sh - SH_BORDER_TOP];
        break;
    case SH_BACKGROUND:
        out[n++] = P_BACKGROUND_COLOR, out[n++] = P_BACKGROUND_IMAGE, out[n++] = P_BG_POS_X;
        out[n++] = P_BG_POS_Y, out[n++] = P_BG_SIZE_X, out[n++] = P_BG_SIZE_Y, out[n++] = P_BG_REPEAT;
        break;
    case SH_BG_SIZE: out[n++] = P_BG_SIZE_X, out[n++] = P_BG_SIZE_Y; break;
    case SH_BG_POSITION: out[n++] = P_BG_POS_X, out[n++] = P_BG_POS_Y; break;
    case SH_FONT:
        out[n++] = P_FONT_STYLE, out[n++] = P_FONT_WEIGHT, out[n++] = P_FONT_SIZE;
        out[n++] = P_LINE_HEIGHT, out[n++] = P_FONT_FAMILY;
        break;
    case SH_TEXT_DECORATION:
        out[n++] = P_TEXT_DECORATION_LINE, out[n++] = P_TEXT_DECORATION_COLOR;
        break;
    case SH_LIST_STYLE: out[n++] = P_LIST_STYLE_TYPE; break;
    case SH_GAP: out[n++] = P_ROW_GAP, out[n++] = P_COLUMN_GAP; break;
    case SH_FLEX: out[n++] = P_FLEX_GROW, out[n++] = P_FLEX_SHRINK, out[n++] = P_FLEX_BASIS; break;
    case SH_FLEX_FLOW: out[n++] = P_FLEX_DIRECTION, out[n++] = P_FLEX_WRAP; break;
    case SH_GRID_COLUMN: out[n++] = P_GRID_COLUMN_START, out[n++] = P_GRID_COLUMN_END; break;
    case SH_GRID_ROW: out[n++] = P_GRID_ROW_START, out[n++] = P_GRID_ROW_END; break;
    case SH_GRID_AREA:
        out[n++] = P_GRID_ROW_START, out[n++] = P_GRID_COLUMN_START;
        out[n++] = P_GRID_ROW_END, out[n++] = P_GRID_COLUMN_END;
        break;
    case SH_PLACE_ITEMS: out[n++] = P_ALIGN_ITEMS, out[n++] = P_JUSTIFY_ITEMS; break;
    case SH_PLACE_SELF: out[n++] = P_ALIGN_SELF, out[n++] = P_JUSTIFY_SELF; break;
    case SH_PLACE_CONTENT: out[n++] = P_ALIGN_CONTENT, out[n++] = P_JUSTIFY_CONTENT; break;
    case SH_BORDER_SPACING: out[n++] = P_BORDER_SPACING_H, out[n++] = P_BORDER_SPACING_V; break;
    }
    return n;
}

/* Valid CSS properties we ignore on purpose (no warning). */
static const char *const ignored_props[] = {
    "animation", "appearance", "backdrop-filter", "backface-visibility", "background-attachment",
    "background-blend-mode", "background-clip", "background-origin",
    "border-image", "box-decoration-break",
    "box-shadow", "break-after", "break-before", "break-inside", "caption-side", "caret-color",
    "clear", "clip", "clip-path", "color-scheme", "column-count", "column-rule", "column-width",
    "columns", "column-span", "column-fill", "column-gap-rule", "contain", "counter-set",
    "cursor", "empty-cells", "fill", "filter", "float", "font-display", "font-feature-settings",
    "font-kerning", "font-optical-sizing", "font-smoothing", "font-stretch", "font-synthesis",
    "font-variant", "font-variant-ligatures", "font-variant-numeric", "font-variation-settings",
    "grid-auto-columns", "grid-auto-flow", "grid-auto-rows", "grid-template",
    "hanging-punctuation", "image-rendering", "isolation",
    "line-break", "list-style-image", "list-style-position", "margin-block",
    "margin-inline", "mask", "mix-blend-mode", "object-position", "order", "orphans",
    "outline", "outline-color", "outline-offset", "outline-style", "outline-width",
    "overflow-wrap", "overscroll-behavior", "padding-block", "padding-inline", "page-break-after",
    "page-break-before", "page-break-inside", "perspective",
    "pointer-events", "print-color-adjust", "quotes", "resize", "rotate",
    "scale", "scroll-behavior", "scroll-margin", "scroll-padding", "scroll-snap-align",
    "scroll-snap-type", "scrollbar-color", "scrollbar-width", "stroke", "stroke-width",
    "tab-size", "table-layout", "text-decoration-skip-ink", "text-decoration-style",
    "text-decoration-thickness", "text-emphasis", "text-overflow", "text-rendering",
    "text-shadow", "text-size-adjust", "text-underline-offset", "text-underline-position",
    "text-wrap", "touch-action", "transform", "transform-origin", "transform-style",
    "transition", "transition-delay", "transition-duration", "transition-property",
    "transition-timing-function", "translate", "unicode-bidi", "user-select", "widows",
    "will-change", "word-break", "word-spacing", "writing-mode", "zoom",
    "aspect-ratio", "accent-color", "all", "font-size-adjust", "text-align-last",
};

static int is_ignored(dk_str name) {
    if (name.n > 1 && name.p[0] == '-') return 1; /* -webkit-*, -moz-*, and --custom */
    for (size_t k = 0; k < sizeof ignored_props / sizeof *ignored_props; k++)
        if (dk_str_ieq(name, ignored_props[k])) return 1;
    return 0;
}

/* Does the value use var() (anywhere, nested functions included)? */
static int uses_var(const css_parser *ps, int b, int e) {
    for (int i = b; i < e; i++)
        if (ps->t[i].type == T_FUNCTION && dk_str_ieq(ps->t[i].s, "var")) return 1;
    return 0;
}

/* Does the value use a function we cannot evaluate at parse time? */
static const tok *uses_unsupported_fn(const css_parser *ps, int b, int e) {
    for (int i = b; i < e; i++) {
        const tok *t = &ps->t[i];
        if (t->type == T_FUNCTION &&
            (dk_str_ieq(t->s, "var") || dk_str_ieq(t->s, "env") ||
             dk_str_ieq(t->s, "min") || dk_str_ieq(t->s, "max") || dk_str_ieq(t->s, "clamp") ||
             dk_str_ieq(t->s, "attr") || dk_str_ieq(t->s, "color-mix") ||
             dk_str_ieq(t->s, "fit-content")))
            return t;
    }
    return NULL;
}

/* 1–4 values for the four sides (margin, padding, border-width/-style/-color, radius). */
static int sh_sides(vc *c, const int *lh, sval *v) {
    int n = 0;
    while (n < 4 && !at_end(c) && p_longhand(c, lh[0], &v[n])) n++;
    if (!n || !at_end(c)) return 0;
    if (n < 2) v[1] = v[0];
    if (n < 3) v[2] = v[0];
    if (n < 4) v[3] = v[1];
    return 1;
}

/* background-size: cover | contain | <size> <size>? into v[0], v[1]. */
static int p_bg_size(vc *c, sval *v) {
    if (!p_longhand(c, P_BG_SIZE_X, &v[0])) return 0;
    if (v[0].kind == SV_KW || !p_longhand(c, P_BG_SIZE_Y, &v[1]))
        v[1] = (sval){.kind = SV_LEN, .unit = U_AUTO};
    return 1;
}

/*
 * background-position, its one- and two-value forms, into v[0] (x) and
 * v[1] (y): a single value leaves the other axis centred; `top left` and
 * friends may come in either order. Three- and four-value forms are
 * dropped as invalid (a browser would take them; slides rarely use them).
 */
static int p_bg_position(vc *c, sval *v) {
    sval a, b;
    const sval centre = {.kind = SV_LEN, .unit = U_PCT, .v = 50};
    const tok *t0 = peek(c);
    int first_y = t0 && t0->type == T_IDENT && (dk_str_ieq(t0->s, "top") || dk_str_ieq(t0->s, "bottom"));
    if (!p_longhand(c, first_y ? P_BG_POS_Y : P_BG_POS_X, &a)) return 0;
    const tok *t1 = peek(c);
    int second_x = t1 && t1->type == T_IDENT && (dk_str_ieq(t1->s, "left") || dk_str_ieq(t1->s, "right"));
    int second_y = !first_y && !second_x;
    if (t1 && (t1->type == T_IDENT || t1->type == T_DIMENSION || t1->type == T_PERCENT || t1->type == T_NUMBER) &&
        p_longhand(c, second_y ? P_BG_POS_Y : P_BG_POS_X, &b)) {
        v[0] = second_y ? a : b;
        v[1] = second_y ? b : a;
    } else {
        v[0] = first_y ? centre : a;
        v[1] = first_y ? a : centre;
    }
    return 1;
}

/* Parse a shorthand into values for its longhands (same order as sh_longhands). */
static int p_shorthand(vc *c, int sh, const int *lh, sval *v) {
    int n = sh_longhands(sh, (int[16]){0});
    for (int i = 0; i < n; i++) v[i] = (sval){.kind = SV_INITIAL};
    switch (sh) {
    case SH_MARGIN: case SH_PADDING: case SH_BORDER_WIDTH: case SH_BORDER_STYLE:
    case SH_BORDER_COLOR: case SH_INSET:
        return sh_sides(c, lh, v);
    case SH_BORDER_RADIUS: {
        int k = 0;
        while (k < 4 && p_len(c, L_PCT, &v[k])) k++;
        if (!k) return 0;
        if (k < 2) v[1] = v[0];
        if (k < 3) v[2] = v[0];
        if (k < 4) v[3] = v[1];
        if (is_delim_c(peek(c), '/')) { /* vertical radii: dropped */
            take(c);
            sval dummy;
            int m = 0;
            while (m < 4 && p_len(c, L_PCT, &dummy)) m++;
            if (!m) return 0;
        }
        return at_end(c);
    }
    case SH_BORDER: case SH_BORDER_TOP: case SH_BORDER_RIGHT: case SH_BORDER_BOTTOM:
    case SH_BORDER_LEFT: {
        sval w = {.kind = SV_INITIAL}, s = w, col = w;
        int gw = 0, gs = 0, gc = 0;
        while (!at_end(c)) {
            if (!gw && p_longhand(c, P_BORDER_TOP_WIDTH, &w)) gw = 1;
            else if (!gs && p_kw(c, kw_border_style, &s)) gs = 1;
            else if (!gc && p_color(c, &col)) gc = 1;
            else return 0;
        }
        int per = sh == SH_BORDER ? 4 : 1;
        for (int i = 0; i < per; i++) v[i] = w, v[per + i] = s, v[2 * per + i] = col;
        return gw || gs || gc;
    }
    case SH_BACKGROUND: {
        int gc = 0, gi = 0, gp = 0, gr = 0;
        while (!at_end(c)) {
            const tok *t = peek(c);
            if (!gc && p_color(c, &v[0])) gc = 1;
            else if (!gi && p_image(c, &v[1])) gi = 1;
            else if (!gr && p_longhand(c, P_BG_REPEAT, &v[6])) gr = 1;
            else if (!gp && p_bg_position(c, &v[2])) {
                gp = 1;
                if (is_delim_c(peek(c), '/')) {
                    take(c);
                    if (!p_bg_size(c, &v[4])) return 0;
                }
            } else if (t->type == T_IDENT || t->type == T_COMMA)
                take(c); /* attachment, box; layers after the first: not painted */
            else return 0;
        }
        return 1;
    }
    case SH_BG_SIZE: return p_bg_size(c, v) && at_end(c);
    case SH_BG_POSITION: return p_bg_position(c, v) && at_end(c);
    case SH_FONT: {
        /* [ style || weight || variant || stretch ]? size [ / line-height ]? family */
        int got_style = 0, got_weight = 0, got_var = 0, pre = 0;
        for (;;) {
            const tok *t = peek(c);
            if (!t || pre == 4) break;
            if (t->type == T_IDENT && dk_str_ieq(t->s, "normal")) take(c);
            else if (!got_style && p_kw(c, kw_font_style, &v[0])) got_style = 1;
            else if (!got_weight && t->type != T_PERCENT && p_font_weight(c, &v[1])) got_weight = 1;
            else if (!got_var && t->type == T_IDENT && dk_str_ieq(t->s, "small-caps")) take(c), got_var = 1;
            else break;
            pre++;
        }
        if (!p_font_size(c, &v[2])) return 0;
        if (is_delim_c(peek(c), '/')) {
            take(c);
            if (!p_line_height(c, &v[3])) return 0;
        } else {
            v[3] = (sval){.kind = SV_KW, .i = 0}; /* normal */
        }
        if (!got_style) v[0] = (sval){.kind = SV_KW, .i = 0};
        if (!got_weight) v[1] = (sval){.kind = SV_KW, .i = 400};
        return p_family(c, &v[4]) && at_end(c);
    }
    case SH_TEXT_DECORATION: {
        int gl = 0, gc = 0;
        v[0] = (sval){.kind = SV_KW, .i = 0};
        v[1] = (sval){.kind = SV_CURRENT};
        while (!at_end(c)) {
            const tok *t = peek(c);
            if (!gl && p_deco_line(c, &v[0])) gl = 1;
            else if (!gc && p_color(c, &v[1])) gc = 1;
            else if (t->type == T_IDENT && (dk_str_ieq(t->s, "solid") || dk_str_ieq(t->s, "double") ||
                                            dk_str_ieq(t->s, "dotted") || dk_str_ieq(t->s, "dashed") ||
                                            dk_str_ieq(t->s, "wavy")))
                take(c); /* style: painted solid */
            else if (t->type == T_DIMENSION || t->type == T_PERCENT ||
                     (t->type == T_IDENT && (dk_str_ieq(t->s, "auto") || dk_str_ieq(t->s, "from-font"))))
                take(c); /* thickness */
            else return 0;
        }
        return gl || gc;
    }
    case SH_LIST_STYLE: {
        int got = 0, none = 0;
        while (!at_end(c)) {
            const tok *t = peek(c);
            if (t->type == T_IDENT && dk_str_ieq(t->s, "none")) take(c), none++;
            else if (t->type == T_IDENT && (dk_str_ieq(t->s, "inside") || dk_str_ieq(t->s, "outside"))) take(c);
            else if (t->type == T_URL || t->type == T_FUNCTION) take(c); /* images: unsupported */
            else if (!got && p_longhand(c, P_LIST_STYLE_TYPE, &v[0])) got = 1;
            else return 0;
        }
        if (!got) v[0] = (sval){.kind = SV_KW, .i = none ? DK_LIST_NONE : DK_LIST_DISC};
        return 1;
    }
    case SH_BORDER_SPACING:
        if (!p_longhand(c, P_BORDER_SPACING_H, &v[0])) return 0;
        if (!p_longhand(c, P_BORDER_SPACING_V, &v[1])) v[1] = v[0];
        return at_end(c);
    case SH_GAP:
        if (!p_longhand(c, P_ROW_GAP, &v[0])) return 0;
        if (!p_longhand(c, P_COLUMN_GAP, &v[1])) v[1] = v[0];
        return at_end(c);
    case SH_FLEX: {
        const tok *t = peek(c);
        if (t && t->type == T_IDENT && (dk_str_ieq(t->s, "none") || dk_str_ieq(t->s, "auto"))) {
            take(c);
            float g = dk_str_ieq(t->s, "auto");
            v[0] = (sval){.kind = SV_NUM, .v = g};
            v[1] = (sval){.kind = SV_NUM, .v = g};
            v[2] = (sval){.kind = SV_LEN, .unit = U_AUTO};
            return at_end(c);
        }
        int gg = 0, gb = 0;
        v[0] = (sval){.kind = SV_NUM, .v = 1};
        v[1] = (sval){.kind = SV_NUM, .v = 1};
        v[2] = (sval){.kind = SV_LEN, .unit = U_PCT, .v = 0};
        while (!at_end(c)) {
            t = peek(c);
            if (!gg && t->type == T_NUMBER && t->num >= 0) {
                p_number(c, 0, &v[0]);
                gg = 1;
                const tok *u = peek(c);
                if (u && u->type == T_NUMBER && u->num >= 0) p_number(c, 0, &v[1]);
            } else if (!gb && p_longhand(c, P_FLEX_BASIS, &v[2])) {
                gb = 1;
            } else {
                return 0;
            }
        }
        return gg || gb;
    }
    case SH_FLEX_FLOW: {
        int gd = 0, gw = 0;
        v[0] = (sval){.kind = SV_KW, .i = 0};
        v[1] = (sval){.kind = SV_KW, .i = 0};
        while (!at_end(c)) {
            if (!gd && p_kw(c, kw_flex_direction, &v[0])) gd = 1;
            else if (!gw && p_kw(c, kw_flex_wrap, &v[1])) gw = 1;
            else return 0;
        }
        return gd || gw;
    }
    case SH_GRID_COLUMN: case SH_GRID_ROW: case SH_GRID_AREA: {
        /* 1 to 2 (4 for grid-area) lines split by '/'; an omitted one copies the
           first when that is a name, else is auto (css-grid-1 §8.4) */
        int max = sh == SH_GRID_AREA ? 4 : 2, k = 0;
        if (!p_line(c, &v[k++])) return 0;
        while (k < max && is_delim_c(peek(c), '/')) {
            take(c);
            if (!p_line(c, &v[k++])) return 0;
        }
        for (int i = k; i < max; i++) {
            const sval *from = &v[i == 3 ? 1 : 0];
            v[i] = from->s ? *from : (sval){.kind = SV_LINE};
        }
        return at_end(c);
    }
    case SH_PLACE_ITEMS: case SH_PLACE_SELF: case SH_PLACE_CONTENT:
        if (!p_align(c, &v[0])) return 0;
        if (!p_align(c, &v[1])) v[1] = v[0];
        return at_end(c);
    }
    return 0;
}

/*
 * Parse the value of property `name` in tokens [b, e) and emit its
 * longhand declarations into ps->d; warn and emit nothing if it is bad.
 */
void dk_css_parse_property(css_parser *ps, dk_str name, size_t name_off, int b, int e, int important) {
    int prop = -1, sh = -1, lh[16], nlh;
    sval v[16];
    if (name.n > 2 && name.p[0] == '-' && name.p[1] == '-') {
        /* a custom property: its value is kept as text (css-variables-1 §2) */
        while (b < e && ps->t[b].type == T_WS) b++;
        size_t vb = b < e ? ps->t[b].off : 0, ve = b < e ? ps->t[e].off : 0;
        sval cv = {.kind = SV_CUSTOM, .s = dk_arena_strndup(ps->mem, name.p, name.n),
                   .raw = dk_arena_strndup(ps->mem, ps->src + vb, ve - vb)};
        if (!cv.s || !cv.raw) ps->oom = 1;
        else emit(ps, P_CUSTOM, &cv, important, name_off);
        return;
    }
    for (int p = 0; p < P_COUNT && prop < 0; p++)
        if (dk_str_ieq(name, props[p].name)) prop = p;
    for (size_t k = 0; k < sizeof aliases / sizeof *aliases && prop < 0; k++)
        if (dk_str_ieq(name, aliases[k].name)) {
            if (aliases[k].prop < 0) return;
            prop = aliases[k].prop;
        }
    for (size_t k = 0; k < sizeof shorthand_names / sizeof *shorthand_names && prop < 0 && sh < 0; k++)
        if (dk_str_ieq(name, shorthand_names[k].name)) sh = shorthand_names[k].sh;
    if (prop < 0 && sh < 0) {
        if (!is_ignored(name)) {
            dk_css_warn(ps, "css-unknown-property", name_off, "unknown property '%.*s'; ignored",
                        (int)name.n, name.p);
        } else if (name.p[0] != '-') {
            /* valid CSS that a static slide renderer does without: said once per deck
               (vendor-prefixed and custom properties go silently) */
            char key[96];
            snprintf(key, sizeof key, "css-prop:%.*s", (int)DK_MIN(name.n, 80), name.p);
            for (char *q = key; *q; q++)
                if (*q >= 'A' && *q <= 'Z') *q = (char)(*q + 32);
            dk_css_note_once(ps, key, name_off, "property '%.*s' is not supported; ignored",
                             (int)name.n, name.p);
        }
        return;
    }
    if (prop >= 0) lh[0] = prop, nlh = 1;
    else nlh = sh_longhands(sh, lh);

    while (b < e && ps->t[b].type == T_WS) b++;
    size_t voff = b < e ? ps->t[b].off : name_off;
    size_t vend = ps->t[e].off;
    if (b >= e) {
        dk_css_warn(ps, "css-invalid-value", name_off, "empty value for '%.*s'; declaration dropped",
                    (int)name.n, name.p);
        return;
    }
    if (uses_var(ps, b, e)) {
        /* parsed per element once var() is substituted; every longhand of a
           shorthand waits for it (css-variables-1 §3.1, pending-substitution) */
        char *text = dk_arena_alloc(ps->mem, name.n + 1 + (vend - voff) + 1);
        if (!text) {
            ps->oom = 1;
            return;
        }
        memcpy(text, name.p, name.n);
        text[name.n] = ':';
        memcpy(text + name.n + 1, ps->src + voff, vend - voff);
        sval pv = {.kind = SV_VAR, .s = text};
        for (int i = 0; i < nlh; i++) emit(ps, lh[i], &pv, important, name_off);
        return;
    }
    const tok *fn = uses_unsupported_fn(ps, b, e);
    if (fn && !(prop == P_CONTENT && dk_str_ieq(fn->s, "attr"))) { /* content: attr() adds no text */
        char key[64];
        snprintf(key, sizeof key, "css-fn:%.*s", (int)DK_MIN(fn->s.n, 40), fn->s.p);
        for (char *q = key; *q; q++)
            if (*q >= 'A' && *q <= 'Z') *q = (char)(*q + 32);
        dk_css_note_once(ps, key, fn->off, "%.*s() is not supported; declarations using it are ignored",
                         (int)fn->s.n, fn->s.p);
        return;
    }
    vc c = {ps, b, e};
    const tok *t = peek(&c);
    int ok;
    if (t->type == T_IDENT && t->match < 0 &&
        (dk_str_ieq(t->s, "inherit") || dk_str_ieq(t->s, "initial") || dk_str_ieq(t->s, "unset") ||
         dk_str_ieq(t->s, "revert") || dk_str_ieq(t->s, "revert-layer"))) {
        take(&c);
        int kind = dk_str_ieq(t->s, "inherit") ? SV_INHERIT : dk_str_ieq(t->s, "initial") ? SV_INITIAL
                                                                                        : SV_UNSET;
        for (int i = 0; i < nlh; i++) v[i] = (sval){.kind = (unsigned char)kind};
        ok = at_end(&c);
    } else if (prop >= 0) {
        ok = p_longhand(&c, prop, &v[0]) && at_end(&c);
    } else {
        ok = p_shorthand(&c, sh, lh, v);
    }
    if (ps->oom) return;
    if (!ok) {
        for (int i = b; i < e; i++)
            if (ps->t[i].type == T_FUNCTION && dk_str_ieq(ps->t[i].s, "calc")) {
                /* not one we reduce (calc(100% - 20px)): we are incomplete, the deck is fine */
                dk_css_note_once(ps, "css-fn:calc", ps->t[i].off,
                                 "calc() is not supported here; declarations using it are ignored");
                return;
            }
        /* text-align: -webkit-center and friends are Chromium-internal: quietly ignored */
        if (!(prop == P_TEXT_ALIGN && t->type == T_IDENT && t->s.n && t->s.p[0] == '-') &&
            !(prop == P_TEXT_ALIGN && dk_str_ieq(t->s, "match-parent")))
            dk_css_warn(ps, "css-invalid-value", voff, "invalid value '%.*s' for '%.*s'; declaration dropped",
                     (int)DK_MIN(vend - voff, 60), ps->src + voff, (int)name.n, name.p);
        return;
    }
    for (int i = 0; i < nlh; i++) emit(ps, lh[i], &v[i], important, name_off);
}

/* ---- computing ---------------------------------------------------------- */

static const dk_style *initial_style(void);

/* px of a length in unit u; em is the font size em/ex/ch refer to. */
/* The fit factor for text (dk_media.text_scale; 0 means 1). */
static float text_scale(const css_compute *cx) {
    return cx->media && cx->media->text_scale > 0 ? (float)cx->media->text_scale : 1.0f;
}

static float to_px(const css_compute *cx, float v, int u, float em) {
    switch (u) {
    case U_EM: return v * em;
    case U_REM: return v * cx->root_fs;
    case U_EX: case U_CH: return v * em * 0.5f;
    case U_VW: return (float)(v * cx->media->width / 100);
    case U_VH: return (float)(v * cx->media->height / 100);
    case U_VMIN: return (float)(v * DK_MIN(cx->media->width, cx->media->height) / 100);
    case U_VMAX: return (float)(v * DK_MAX(cx->media->width, cx->media->height) / 100);
    default: return v;
    }
}

static dk_len to_len(const css_compute *cx, float v, int u) {
    if (u <= U_MAXC) return (dk_len){u == U_PX || u == U_PCT || u == U_FR ? v : 0, (unsigned char)u};
    return (dk_len){to_px(cx, v, u, cx->s->font_size), DK_LEN_PX};
}

static dk_rgba color_of(const css_compute *cx, const sval *v) {
    return v->kind == SV_CURRENT ? cx->s->color : v->c;
}

static int bolder(int w) { return w < 350 ? 400 : w < 550 ? 700 : 900; }
static int lighter(int w) { return w < 100 ? w : w < 550 ? 100 : w < 750 ? 400 : 700; }

static void copy_tracks(dk_track *dst, int *n, const css_compute *cx, const sval *v) {
    *n = DK_MIN(v->ntracks, DK_MAX_TRACKS);
    for (int i = 0; i < *n; i++) {
        dst[i].min = to_len(cx, v->tracks[i].minv, v->tracks[i].minu);
        dst[i].max = to_len(cx, v->tracks[i].maxv, v->tracks[i].maxu);
    }
}

/*
 * Resolve grid placement (start line, end line) into the style's
 * (start, span) pair; negative lines count from the parent's explicit end.
 */
/*
 * The line where the area `name` of `areas` starts (end = 0) or ends, as a
 * column (col = 1) or row line number; 0 when there is no such area.
 */
static int area_line(const char *areas, const char *name, int col, int end) {
    int row = 0, cell = 0, lo = -1, hi = -1;
    size_t nl = strlen(name);
    for (const char *p = areas; p && *p;) {
        size_t k = strcspn(p, " \n");
        if (k == nl && memcmp(p, name, nl) == 0) {
            int at = col ? cell : row;
            if (lo < 0 || at < lo) lo = at;
            if (at > hi) hi = at;
        }
        p += k;
        if (*p == '\n') row++, cell = 0;
        else if (*p == ' ') cell++;
        if (*p) p++;
    }
    return lo < 0 ? 0 : end ? hi + 2 : lo + 1;
}

static void place(const sval *st, const sval *en, int ntracks, const char *areas, int col, int *start,
                  int *span) {
    int lines = ntracks + 1;
    int s = st && st->kind == SV_LINE ? st->i : 0, e = en && en->kind == SV_LINE ? en->i : 0;
    if (st && st->kind == SV_LINE && st->s) s = area_line(areas, st->s, col, 0);
    if (en && en->kind == SV_LINE && en->s) e = area_line(areas, en->s, col, 1);
    int ss = st && st->kind == SV_LINE ? (int)st->v : 0, es = en && en->kind == SV_LINE ? (int)en->v : 0;
    if (s < 0) s = DK_MAX(1, lines + 1 + s);
    if (e < 0) e = DK_MAX(1, lines + 1 + e);
    *start = 0, *span = 0;
    if (s > 0 && e > 0) {
        if (e < s) {
            int tmp = s;
            s = e, e = tmp;
        }
        *start = s, *span = e > s ? e - s : 1;
    } else if (s > 0) {
        *start = s, *span = es ? es : 0;
    } else if (e > 0) {
        int n = ss ? ss : 1;
        *start = DK_MAX(1, e - n), *span = e - *start > 0 ? e - *start : 1;
        if (!ss && *span == 1) *span = 0;
    } else {
        *span = ss ? ss : es;
    }
}

/* Apply one specified value (not a global keyword) of longhand p to cx->s. */
static void apply(css_compute *cx, int p, const sval *v) {
    dk_style *s = cx->s;
    const dk_style *par = cx->parent;
    switch (p) {
    case P_FONT_SIZE:
        if (v->kind == SV_KW) {
            s->font_size = v->i == FS_LARGER    ? par->font_size * 1.2f
                           : v->i == FS_SMALLER ? par->font_size / 1.2f
                                                : (float)v->i;
        } else if (v->unit == U_PCT) {
            s->font_size = par->font_size * v->v / 100;
        } else {
            s->font_size = to_px(cx, v->v, v->unit, par->font_size);
        }
        /* fit: scale sizes that do not follow the parent's (which is scaled already) */
        if ((v->kind == SV_KW && v->i != FS_LARGER && v->i != FS_SMALLER) ||
            (v->kind != SV_KW && v->unit != U_PCT && v->unit != U_EM && v->unit != U_EX &&
             v->unit != U_CH && v->unit != U_REM))
            s->font_size *= text_scale(cx);
        /* as browsers do (Chromium: 10000px); pango's sizes are ints of 1/1024 px */
        if (!(s->font_size <= 10000)) s->font_size = 10000;
        if (!(s->font_size >= 0)) s->font_size = 0;
        break;
    case P_COLOR: s->color = v->kind == SV_CURRENT ? par->color : v->c; break;
    case P_DISPLAY: s->display = (unsigned char)v->i; break;
    case P_BOX_SIZING: s->box_sizing = (unsigned char)v->i; break;
    case P_WIDTH: s->width = to_len(cx, v->v, v->unit); break;
    case P_HEIGHT: s->height = to_len(cx, v->v, v->unit); break;
    case P_MIN_WIDTH: s->min_width = to_len(cx, v->v, v->unit); break;
    case P_MIN_HEIGHT: s->min_height = to_len(cx, v->v, v->unit); break;
    case P_MAX_WIDTH: s->max_width = to_len(cx, v->v, v->unit); break;
    case P_MAX_HEIGHT: s->max_height = to_len(cx, v->v, v->unit); break;
    case P_MARGIN_TOP: case P_MARGIN_RIGHT: case P_MARGIN_BOTTOM: case P_MARGIN_LEFT:
        s->margin[p - P_MARGIN_TOP] = to_len(cx, v->v, v->unit);
        break;
    case P_PADDING_TOP: case P_PADDING_RIGHT: case P_PADDING_BOTTOM: case P_PADDING_LEFT:
        s->padding[p - P_PADDING_TOP] = to_len(cx, v->v, v->unit);
        break;
    case P_BORDER_TOP_WIDTH: case P_BORDER_RIGHT_WIDTH: case P_BORDER_BOTTOM_WIDTH:
    case P_BORDER_LEFT_WIDTH:
        s->border_width[p - P_BORDER_TOP_WIDTH] = to_px(cx, v->v, v->unit, s->font_size);
        break;
    case P_BORDER_TOP_STYLE: case P_BORDER_RIGHT_STYLE: case P_BORDER_BOTTOM_STYLE:
    case P_BORDER_LEFT_STYLE:
        s->border_style[p - P_BORDER_TOP_STYLE] = (unsigned char)v->i;
        break;
    case P_BORDER_TOP_COLOR: case P_BORDER_RIGHT_COLOR: case P_BORDER_BOTTOM_COLOR:
    case P_BORDER_LEFT_COLOR:
        s->border_color[p - P_BORDER_TOP_COLOR] = color_of(cx, v);
        break;
    case P_BORDER_TL_RADIUS: case P_BORDER_TR_RADIUS: case P_BORDER_BR_RADIUS:
    case P_BORDER_BL_RADIUS: {
        int k = p - P_BORDER_TL_RADIUS;
        if (v->unit == U_PCT) {
            s->border_radius[k] = v->v;
            s->border_radius_pct |= (unsigned char)(1u << k);
        } else {
            s->border_radius[k] = to_px(cx, v->v, v->unit, s->font_size);
            s->border_radius_pct &= (unsigned char)~(1u << k);
        }
        break;
    }
    case P_BACKGROUND_COLOR: s->background_color = color_of(cx, v); break;
    case P_BACKGROUND_IMAGE: s->background_image = v->s; break;
    case P_OPACITY: s->opacity = v->v < 0 ? 0 : v->v > 1 ? 1 : v->v; break;
    case P_OVERFLOW: s->overflow_hidden = (unsigned char)v->i; break;
    case P_FONT_FAMILY: s->font_family = v->s; break;
    case P_FONT_WEIGHT:
        s->font_weight = (unsigned short)(v->i == FW_BOLDER    ? bolder(par->font_weight)
                                          : v->i == FW_LIGHTER ? lighter(par->font_weight)
                                                               : v->i);
        break;
    case P_FONT_STYLE: s->font_italic = (unsigned char)v->i; break;
    case P_LINE_HEIGHT:
        s->line_height_factor = 0;
        if (v->kind == SV_KW) {
            s->line_height = -1;
        } else if (v->kind == SV_NUM) {
            s->line_height_factor = v->v; /* line_height is set in the fix-up */
        } else if (v->unit == U_PCT) {
            s->line_height = s->font_size * v->v / 100;
        } else {
            s->line_height = to_px(cx, v->v, v->unit, s->font_size);
            if (v->unit != U_EM && v->unit != U_EX && v->unit != U_CH && v->unit != U_REM)
                s->line_height *= text_scale(cx);
        }
        break;
    case P_TEXT_ALIGN: s->text_align = (unsigned char)v->i; break;
    case P_TOP: case P_RIGHT: case P_BOTTOM: case P_LEFT:
        s->inset[p - P_TOP] = to_len(cx, v->v, v->unit);
        break;
    case P_GRID_TEMPLATE_AREAS: s->grid_areas = v->s; break;
    case P_CONTENT: s->content = v->kind == SV_STR ? v->s : NULL; break;
    case P_COUNTER_RESET: s->counter_reset = v->kind == SV_STR ? v->s : NULL; break;
    case P_COUNTER_INCREMENT: s->counter_increment = v->kind == SV_STR ? v->s : NULL; break;
    case P_Z_INDEX:
        s->z_auto = v->kind != SV_NUM;
        s->z_index = v->kind == SV_NUM ? (int)v->v : 0;
        break;
    case P_TEXT_DECORATION_LINE: s->text_decoration = (unsigned char)v->i; break;
    case P_TEXT_DECORATION_COLOR: s->text_decoration_color = color_of(cx, v); break;
    case P_WHITE_SPACE: s->white_space = (unsigned char)v->i; break;
    case P_TEXT_TRANSFORM: s->text_transform = (unsigned char)v->i; break;
    case P_VERTICAL_ALIGN: s->vertical_align = (unsigned char)v->i; break;
    case P_LETTER_SPACING:
        s->letter_spacing = to_px(cx, v->v, v->unit, s->font_size);
        if (!(fabs(s->letter_spacing) <= 10000)) s->letter_spacing = 0; /* pango: int 1/1024 px */
        break;
    case P_TEXT_INDENT: s->text_indent = to_px(cx, v->v, v->unit, s->font_size); break;
    case P_LIST_STYLE_TYPE: s->list_style = (unsigned char)v->i; break;
    case P_DIRECTION: s->direction_rtl = (unsigned char)v->i; break;
    case P_OBJECT_FIT: s->object_fit = (unsigned char)v->i; break;
    case P_VISIBILITY: s->visibility_hidden = (unsigned char)v->i; break;
    case P_BORDER_COLLAPSE: s->border_collapse = (unsigned char)v->i; break;
    case P_BORDER_SPACING_H: case P_BORDER_SPACING_V:
        s->border_spacing[p - P_BORDER_SPACING_H] = to_px(cx, v->v, v->unit, s->font_size);
        break;
    case P_HYPHENS: s->hyphens = (unsigned char)v->i; break;
    case P_BG_SIZE_X:
        if (v->kind == SV_KW) {
            s->bg_size = (unsigned char)v->i;
        } else {
            s->bg_size = v->unit == U_AUTO ? DK_BG_AUTO : DK_BG_LENGTHS;
            s->bg_size_len[0] = to_len(cx, v->v, v->unit);
        }
        break;
    case P_BG_SIZE_Y: s->bg_size_len[1] = to_len(cx, v->v, v->unit); break;
    case P_BG_POS_X: s->bg_pos[0] = to_len(cx, v->v, v->unit); break;
    case P_BG_POS_Y: s->bg_pos[1] = to_len(cx, v->v, v->unit); break;
    case P_BG_REPEAT: s->bg_repeat = (unsigned char)v->i; break;
    case P_GRID_TEMPLATE_COLUMNS: copy_tracks(s->grid_cols, &s->ngrid_cols, cx, v); break;
    case P_GRID_TEMPLATE_ROWS: copy_tracks(s->grid_rows, &s->ngrid_rows, cx, v); break;
    case P_COLUMN_GAP: case P_ROW_GAP: {
        unsigned char bit = p == P_COLUMN_GAP ? 1 : 2;
        float g = v->unit == U_PCT ? v->v : to_px(cx, v->v, v->unit, s->font_size);
        *(p == P_COLUMN_GAP ? &s->column_gap : &s->row_gap) = g;
        s->gap_pct = (unsigned char)(v->unit == U_PCT ? s->gap_pct | bit : s->gap_pct & ~bit);
        break;
    }
    case P_ALIGN_ITEMS: s->align_items = (unsigned char)v->i; break;
    case P_JUSTIFY_ITEMS: s->justify_items = (unsigned char)v->i; break;
    case P_ALIGN_SELF: s->align_self = (unsigned char)v->i; break;
    case P_JUSTIFY_SELF: s->justify_self = (unsigned char)v->i; break;
    case P_JUSTIFY_CONTENT: s->justify_content = (unsigned char)v->i; break;
    case P_ALIGN_CONTENT: s->align_content = (unsigned char)v->i; break;
    case P_FLEX_DIRECTION:
        s->flex_direction_column = (unsigned char)(v->i & 1);
        s->flex_direction_reverse = (unsigned char)(v->i >> 1 & 1);
        break;
    case P_FLEX_WRAP: s->flex_wrap = (unsigned char)v->i; break;
    case P_FLEX_GROW: s->flex_grow = v->v; break;
    case P_FLEX_SHRINK: s->flex_shrink = v->v; break;
    case P_FLEX_BASIS: s->flex_basis = to_len(cx, v->v, v->unit); break;
    case P_POSITION: s->position = (unsigned char)v->i; break;
    default: break; /* grid lines: resolved in the fix-up */
    }
}

/* Copy longhand p's computed value from `from` (inherit / initial). */
static void copy_prop(dk_style *s, const dk_style *from, int p) {
    const propinfo *pi = &props[p];
    if (pi->size) {
        memcpy((char *)s + pi->off, (const char *)from + pi->off, pi->size);
        return;
    }
    switch (p) {
    case P_BORDER_TL_RADIUS: case P_BORDER_TR_RADIUS: case P_BORDER_BR_RADIUS:
    case P_BORDER_BL_RADIUS: {
        int k = p - P_BORDER_TL_RADIUS;
        unsigned bit = 1u << k;
        s->border_radius[k] = from->border_radius[k];
        s->border_radius_pct = (unsigned char)((s->border_radius_pct & ~bit) | (from->border_radius_pct & bit));
        break;
    }
    case P_LINE_HEIGHT:
        s->line_height = from->line_height;
        s->line_height_factor = from->line_height_factor;
        break;
    case P_BG_SIZE_X:
        s->bg_size = from->bg_size;
        s->bg_size_len[0] = from->bg_size_len[0];
        break;
    case P_TEXT_DECORATION_LINE: s->text_decoration = from->text_decoration; break;
    case P_TEXT_DECORATION_COLOR: s->text_decoration_color = from->text_decoration_color; break;
    case P_FLEX_DIRECTION:
        s->flex_direction_column = from->flex_direction_column;
        s->flex_direction_reverse = from->flex_direction_reverse;
        break;
    case P_GRID_TEMPLATE_COLUMNS:
        memcpy(s->grid_cols, from->grid_cols, sizeof s->grid_cols);
        s->ngrid_cols = from->ngrid_cols;
        break;
    case P_GRID_TEMPLATE_ROWS:
        memcpy(s->grid_rows, from->grid_rows, sizeof s->grid_rows);
        s->ngrid_rows = from->ngrid_rows;
        break;
    case P_COLUMN_GAP: case P_ROW_GAP: {
        unsigned char bit = p == P_COLUMN_GAP ? 1 : 2;
        *(p == P_COLUMN_GAP ? &s->column_gap : &s->row_gap) = p == P_COLUMN_GAP ? from->column_gap : from->row_gap;
        s->gap_pct = (unsigned char)((s->gap_pct & ~bit) | (from->gap_pct & bit));
        break;
    }
    case P_Z_INDEX:
        s->z_auto = from->z_auto;
        s->z_index = from->z_index;
        break;
    default: break;
    }
}

static int is_atomic_inline(int d) {
    return d == DK_DISPLAY_INLINE_BLOCK || d == DK_DISPLAY_INLINE_GRID || d == DK_DISPLAY_INLINE_FLEX;
}

static unsigned char blockify(unsigned char d) {
    switch (d) {
    case DK_DISPLAY_INLINE: case DK_DISPLAY_INLINE_BLOCK: case DK_DISPLAY_TABLE_ROW_GROUP:
    case DK_DISPLAY_TABLE_HEADER_GROUP: case DK_DISPLAY_TABLE_FOOTER_GROUP:
    case DK_DISPLAY_TABLE_ROW: case DK_DISPLAY_TABLE_CELL: case DK_DISPLAY_TABLE_CAPTION:
        return DK_DISPLAY_BLOCK;
    case DK_DISPLAY_INLINE_GRID: return DK_DISPLAY_GRID;
    case DK_DISPLAY_INLINE_FLEX: return DK_DISPLAY_FLEX;
    default: return d;
    }
}

/*
 * Compute cx->s from cx->win (see css-internal.h): inherited properties
 * start from the parent, the others from their initial values.
 */
void dk_css_compute_style(css_compute *cx) {
    dk_style *s = cx->s;
    const dk_style *par = cx->parent, *init = initial_style();
    memcpy(s, init, sizeof *s);
    for (int p = 0; p < P_COUNT; p++) {
        const sval *v = cx->win[p];
        int kind = v ? v->kind : props[p].inherited ? SV_INHERIT : SV_INITIAL;
        if (kind == SV_VAR || kind == SV_CUSTOM) kind = SV_UNSET; /* not substituted: invalid */
        if (kind == SV_UNSET) kind = props[p].inherited ? SV_INHERIT : SV_INITIAL;
        if (kind == SV_INHERIT) copy_prop(s, par, p);
        else if (kind == SV_INITIAL) copy_prop(s, init, p);
        else apply(cx, p, v);
    }
    /* fix-ups: what depends on more than one property */
    if (cx->is_root && (!cx->win[P_FONT_SIZE] || cx->win[P_FONT_SIZE]->kind == SV_INITIAL ||
                        cx->win[P_FONT_SIZE]->kind == SV_UNSET || cx->win[P_FONT_SIZE]->kind == SV_INHERIT))
        s->font_size *= text_scale(cx); /* the initial 16px of the root, for fit */
    if (s->line_height_factor > 0) s->line_height = s->line_height_factor * s->font_size;
    for (int k = 0; k < 4; k++) {
        const sval *bc = cx->win[P_BORDER_TOP_COLOR + k];
        int kind = bc ? bc->kind : SV_INITIAL;
        if (kind == SV_INITIAL || kind == SV_UNSET) s->border_color[k] = s->color; /* currentcolor */
        const sval *bw = cx->win[P_BORDER_TOP_WIDTH + k];
        kind = bw ? bw->kind : SV_INITIAL;
        if (kind == SV_INITIAL || kind == SV_UNSET) s->border_width[k] = 3; /* medium */
        if (s->border_style[k] == DK_BORDER_NONE) s->border_width[k] = 0;
    }
    {
        const sval *dc = cx->win[P_TEXT_DECORATION_COLOR];
        int kind = dc ? dc->kind : SV_INITIAL;
        if (kind == SV_INITIAL || kind == SV_UNSET) s->text_decoration_color = s->color;
    }
    /* decorations propagate to descendants, except into atomic inlines */
    if (!cx->is_root && !is_atomic_inline(s->display) && par->text_decoration) {
        if (!s->text_decoration) s->text_decoration_color = par->text_decoration_color;
        s->text_decoration |= par->text_decoration;
    }
    place(cx->win[P_GRID_COLUMN_START], cx->win[P_GRID_COLUMN_END], par->ngrid_cols, par->grid_areas,
          1, &s->grid_col_start, &s->grid_col_span);
    place(cx->win[P_GRID_ROW_START], cx->win[P_GRID_ROW_END], par->ngrid_rows, par->grid_areas, 0,
          &s->grid_row_start, &s->grid_row_span);
    int pd = par->display;
    /* the root is never out of flow; absolutely positioned boxes are blockified (§9.7) */
    if (cx->is_root && dk_style_out_of_flow(s)) s->position = DK_POS_STATIC;
    if (dk_style_out_of_flow(s)) s->display = blockify(s->display);
    if (cx->is_root || (pd == DK_DISPLAY_GRID || pd == DK_DISPLAY_INLINE_GRID ||
                        pd == DK_DISPLAY_FLEX || pd == DK_DISPLAY_INLINE_FLEX))
        s->display = blockify(s->display);
}

/* ---- initial values ------------------------------------------------------ */

#define BLACK {0, 0, 0, 255}
static const dk_style initial = {
    .display = DK_DISPLAY_INLINE,
    .width = {0, DK_LEN_AUTO}, .height = {0, DK_LEN_AUTO},
    .min_width = {0, DK_LEN_AUTO}, .min_height = {0, DK_LEN_AUTO},
    .max_width = {0, DK_LEN_NONE}, .max_height = {0, DK_LEN_NONE},
    .border_color = {BLACK, BLACK, BLACK, BLACK}, /* really currentcolor: see the fix-up */
    .color = BLACK,
    .opacity = 1,
    .font_family = "serif",
    .font_size = 16,
    .font_weight = 400,
    .line_height = -1,
    .text_align = DK_ALIGN_START,
    .list_style = DK_LIST_DISC,
    .align_self = DK_AL_AUTO, .justify_self = DK_AL_AUTO,
    .flex_shrink = 1,
    .flex_basis = {0, DK_LEN_AUTO},
    .text_decoration_color = BLACK,
    .bg_size_len = {{0, DK_LEN_AUTO}, {0, DK_LEN_AUTO}},
    .bg_repeat = 3,
    .z_auto = 1,
    .inset = {{0, DK_LEN_AUTO}, {0, DK_LEN_AUTO}, {0, DK_LEN_AUTO}, {0, DK_LEN_AUTO}},
};

static const dk_style *initial_style(void) { return &initial; }

/* The initial values (see css.h). */
const dk_style *dk_style_initial(void) { return &initial; }

/* An anonymous box's style (see css.h): the cascade with no declarations, then its display. */
const dk_style *dk_style_anonymous(dk_arena *a, const dk_style *parent, int display) {
    dk_style *s = dk_arena_alloc(a, sizeof *s);
    if (!s) return NULL;
    css_compute comp = {.s = s, .parent = parent};
    dk_css_compute_style(&comp);
    s->cvars = parent->cvars;
    s->display = (unsigned char)display;
    return s;
}

/* ---- serializing specified values (sheet dumps in tests) ----------------- */

static const kw *kw_table(int p) {
    switch (p) {
    case P_DISPLAY: return kw_display;
    case P_BOX_SIZING: return kw_box_sizing;
    case P_BORDER_TOP_STYLE: case P_BORDER_RIGHT_STYLE: case P_BORDER_BOTTOM_STYLE:
    case P_BORDER_LEFT_STYLE: return kw_border_style;
    case P_OVERFLOW: return kw_overflow;
    case P_FONT_STYLE: return kw_font_style;
    case P_FONT_WEIGHT: return kw_font_weight;
    case P_FONT_SIZE: return kw_font_size;
    case P_TEXT_ALIGN: return kw_text_align;
    case P_WHITE_SPACE: return kw_white_space;
    case P_TEXT_TRANSFORM: return kw_text_transform;
    case P_VERTICAL_ALIGN: return kw_valign;
    case P_LIST_STYLE_TYPE: return kw_list_style;
    case P_DIRECTION: return kw_direction;
    case P_OBJECT_FIT: return kw_object_fit;
    case P_VISIBILITY: return kw_visibility;
    case P_BORDER_COLLAPSE: return kw_border_collapse;
    case P_HYPHENS: return kw_hyphens;
    case P_BG_REPEAT: return kw_bg_repeat;
    case P_BG_SIZE_X: return kw_bg_size;
    case P_ALIGN_ITEMS: case P_JUSTIFY_ITEMS: case P_ALIGN_SELF: case P_JUSTIFY_SELF:
    case P_JUSTIFY_CONTENT: case P_ALIGN_CONTENT: return kw_align;
    case P_FLEX_DIRECTION: return kw_flex_direction;
    case P_FLEX_WRAP: return kw_flex_wrap;
    case P_POSITION: return kw_position;
    }
    return NULL;
}

/* content's strings quoted and its counters as counter(name), space-separated. */
static void dump_content(dk_buf *out, const char *s) {
    int any = 0;
    for (int name = 0; *s; name = !name) {
        size_t n = strcspn(s, (char[]){DK_COUNTER_MARK, 0});
        if (name || n) {
            dk_buf_printf(out, name ? "%scounter(%.*s)" : "%s\"%.*s\"", any ? " " : "", (int)n, s);
            any = 1;
        }
        s += n;
        if (*s) s++;
    }
    if (!any) dk_buf_adds(out, "\"\"");
}

static void dump_unit(dk_buf *out, float v, int u) {
    static const char *const names[] = {"px", "%", "auto", "none", "fr", "min-content", "max-content",
                                        "em", "rem", "ex", "ch", "vw", "vh", "vmin", "vmax"};
    if (u == U_AUTO || u == U_NONE || u == U_MINC || u == U_MAXC) {
        dk_buf_adds(out, names[u]);
        return;
    }
    dk_css_dump_float(out, v);
    dk_buf_adds(out, names[u]);
}

/* Append a specified value the way tests expect it ("1.5em", "#ff0000", "bold"). */
void dk_css_dump_sval(int p, const sval *v, dk_buf *out) {
    static const char *const global[] = {"", "inherit", "initial", "unset"};
    switch (v->kind) {
    case SV_INHERIT: case SV_INITIAL: case SV_UNSET: dk_buf_adds(out, global[v->kind]); break;
    case SV_VAR: dk_buf_printf(out, "pending(%s)", v->s); break;
    case SV_CUSTOM: dk_buf_printf(out, "%s", v->raw); break;
    case SV_LEN: dump_unit(out, v->v, v->unit); break;
    case SV_NUM: dk_css_dump_float(out, v->v); break;
    case SV_COLOR:
        dk_buf_printf(out, "#%02x%02x%02x", v->c.r, v->c.g, v->c.b);
        if (v->c.a != 255) dk_buf_printf(out, "%02x", v->c.a);
        break;
    case SV_CURRENT: dk_buf_adds(out, "currentcolor"); break;
    case SV_STR:
        if (!v->s) dk_buf_adds(out, "none");
        else if (p == P_COUNTER_RESET || p == P_COUNTER_INCREMENT) dk_buf_adds(out, v->s);
        else if (p == P_CONTENT) dump_content(out, v->s);
        else dk_buf_printf(out, "\"%s\"", v->s);
        break;
    case SV_TRACKS:
        if (!v->ntracks) dk_buf_adds(out, "none");
        for (int i = 0; i < v->ntracks; i++) {
            const css_track *t = &v->tracks[i];
            if (i) dk_buf_addc(out, ' ');
            if (t->minu == t->maxu && t->minv == t->maxv) {
                dump_unit(out, t->minv, t->minu);
            } else {
                dk_buf_adds(out, "minmax(");
                dump_unit(out, t->minv, t->minu);
                dk_buf_adds(out, ", ");
                dump_unit(out, t->maxv, t->maxu);
                dk_buf_addc(out, ')');
            }
        }
        break;
    case SV_LINE:
        if (v->s) dk_buf_adds(out, v->s);
        else if (v->v) dk_buf_printf(out, "span %d", (int)v->v);
        else if (v->i) dk_buf_printf(out, "%d", v->i);
        else dk_buf_adds(out, "auto");
        break;
    case SV_KW: {
        if (p == P_TEXT_DECORATION_LINE) {
            if (!v->i) dk_buf_adds(out, "none");
            const char *sep = "";
            for (const kw *k = kw_deco; k->name; k++)
                if (v->i & k->v) dk_buf_printf(out, "%s%s", sep, k->name), sep = " ";
            break;
        }
        if (p == P_LINE_HEIGHT || p == P_CONTENT || p == P_COUNTER_RESET || p == P_COUNTER_INCREMENT) {
            dk_buf_adds(out, p == P_LINE_HEIGHT ? "normal" : "none"); /* content: normal == none here */
            break;
        }
        for (const kw *k = kw_table(p); k && k->name; k++)
            if (k->v == v->i) {
                dk_buf_adds(out, k->name);
                return;
            }
        dk_buf_printf(out, "%d", v->i);
        break;
    }
    }
}
