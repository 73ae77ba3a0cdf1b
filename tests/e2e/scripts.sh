#!/bin/sh
# End to end, issue 4: tests/data/scripts/deck.md (Arabic, Hebrew, Hindi,
# Thai, Chinese, Japanese, Korean, emoji sequences, a long URL, hyphens,
# justification) renders with no warning at all (so no missing glyph), its
# fonts are embedded as subsets, and pdftotext gives every paragraph back in
# logical order; a character no font has (U+10FFFD) is a warning naming it.
#
# usage: sh tests/e2e/scripts.sh PATH/TO/deckle SOURCE_DIR      (ctest runs it so)
# Skips (77) when the fallback fonts or pdftotext are not installed.
set -u
. "$(dirname "$0")/lib/tap.sh"
e2e_init scripts "$@"
data=$src/tests/data/scripts
for f in /usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf \
    /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
    /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf; do
    [ -f "$f" ] || { echo "# skip: $f not installed (sh scripts/install-deps.sh)"; exit 77; }
done
command -v pdftotext >/dev/null 2>&1 || { echo "# skip: no pdftotext"; exit 77; }

if SOURCE_DATE_EPOCH=0 "$deckle" "$data/deck.md" -o "$tmp/deck.pdf" 2>"$tmp/err"; then
    ok "the scripts deck renders"
else
    not_ok "the scripts deck renders"
fi
if [ -s "$tmp/err" ]; then not_ok "no warnings (no missing glyphs)"; show "$tmp/err"; else ok "no warnings (no missing glyphs)"; fi

# every embedded font is a subset (ABCDEF+Name) and embedded; Type 3 fonts have no name
if command -v pdffonts >/dev/null 2>&1; then
    pdffonts "$tmp/deck.pdf" | tail -n +3 >"$tmp/fonts"
    if [ -s "$tmp/fonts" ] && ! awk '$1 !~ /^[A-Z][A-Z][A-Z][A-Z][A-Z][A-Z]\+/ || $(NF-4) != "yes" { bad=1 } END { exit !bad }' "$tmp/fonts"; then
        ok "fonts embedded as subsets"
    else
        not_ok "fonts embedded as subsets"; show "$tmp/fonts"
    fi
fi

# logical order: compare with all white space and bidi marks removed (pdftotext wraps
# lines where the slide does and wraps RTL lines in U+202A..U+202E embeddings); a
# hyphenation point comes back as the U+00AD it was made from
pdftotext -enc UTF-8 "$tmp/deck.pdf" - | tr -d ' \n\f' |
    LC_ALL=C sed 's/\xe2\x80[\xaa-\xae]//g; s/\xe2\x80[\x8e\x8f]//g; s/\xc2\xad//g' >"$tmp/text"
has() {
    want=$(printf '%s' "$2" | tr -d ' ')
    if grep -qF -- "$want" "$tmp/text"; then ok "pdftotext: $1"; else not_ok "pdftotext: $1 ($2)"; fi
}
has Arabic "مرحبا بالعالم، هذه شريحة باللغة العربية."
has Hebrew "שלום עולם, זוהי שקופית בעברית."
# "السلام" holds the lam-alef ligature: one glyph for two letters, written by cairo as
# /ActualText in logical order, which poppler reverses with the rest of the RTL line
# (it does the same to Chromium's PDF); the words without a ligature are checked
has "Arabic (dir=auto, no ligature)" "نص عربي مع كلمة English في الوسط."
has "Arabic (no dir)" "عليكم ورحمة"
has Hindi "नमस्ते दुनिया, यह हिंदी में एक स्लाइड है।"
has Thai "ภาษาไทยเป็นภาษาที่ไม่มีการเว้นวรรคระหว่างคำ การตัดคำจึงต้องใช้พจนานุกรมเพื่อหาขอบเขตของคำแต่ละคำในประโยคที่ยาวมาก"
has Chinese "你好，世界。这是一张中文幻灯片。"
has Japanese "こんにちは世界。これは日本語のスライドです。"
has Korean "안녕하세요 세계. 이것은 한국어 슬라이드입니다."
has "emoji ZWJ sequence" "Family 👨‍👩‍👧‍👦"
has "flags" "🇫🇷 🇯🇵"
has "skin tones" "👋🏽 👍🏿"
has "rainbow flag" "🏳️‍🌈"
has "combining marks" "$(printf 'e\314\201 n\314\203 a\314\210'), Vietnamese Tiếng Việt."
has "long URL" "https://example.com/a/very/long/path/that/does/not/break/anywhere/because/it/has/no/spaces/at/all/and/goes/on/and/on/index.html?query=string&more=parameters"
has "hyphenated, justified" "Internationalization considerations notwithstanding, extraordinarily"
has "soft hyphens" "Soft hyphens: extraordinarily incomprehensible"

# PNG renders too (colour emoji are drawn in both)
if "$deckle" "$data/deck.md" -f png -o "$tmp/png/" 2>"$tmp/err2" && [ -f "$tmp/png/deck.005.png" ]; then
    ok "PNG renders"
else
    not_ok "PNG renders"; show "$tmp/err2"
fi

# a character no font has: a warning with U+XXXX, and the render goes on
if "$deckle" "$data/missing.md" -o "$tmp/missing.pdf" 2>"$tmp/err3" && [ -f "$tmp/missing.pdf" ]; then
    ok "a missing glyph does not stop the render"
else
    not_ok "a missing glyph does not stop the render"
fi
if grep -q "warning: .*U+10FFFD" "$tmp/err3" && [ "$(grep -c warning "$tmp/err3")" -eq 1 ]; then
    ok "one missing-glyph warning naming U+10FFFD"
else
    not_ok "one missing-glyph warning naming U+10FFFD"; show "$tmp/err3"
fi
if "$deckle" "$data/missing.md" --strict -o "$tmp/strict.pdf" 2>/dev/null; then
    not_ok "--strict fails on a missing glyph"
else
    ok "--strict fails on a missing glyph"
fi

# The machine's fonts must not matter: the same deck rendered with another
# fontconfig set-up (a user config adding a different font folder, another
# HOME and font cache) gives the same PDF bytes.
mkdir -p "$tmp/other/fonts" "$tmp/other/home/.config/fontconfig" "$tmp/other/cache"
cp "$2/fonts/DejaVuSansMono.ttf" "$tmp/other/fonts/Intruder.ttf"
cat >"$tmp/other/fonts.conf" <<EOF2
<?xml version="1.0"?>
<fontconfig><dir>$tmp/other/fonts</dir><dir>/usr/share/fonts</dir>
<alias><family>sans-serif</family><prefer><family>DejaVu Sans Mono</family></prefer></alias>
</fontconfig>
EOF2
cp "$tmp/other/fonts.conf" "$tmp/other/home/.config/fontconfig/fonts.conf"
SOURCE_DATE_EPOCH=0 "$deckle" -q "$data/deck.md" -o "$tmp/same1.pdf" 2>/dev/null
SOURCE_DATE_EPOCH=0 FONTCONFIG_FILE="$tmp/other/fonts.conf" HOME="$tmp/other/home" \
    XDG_CONFIG_HOME="$tmp/other/home/.config" XDG_CACHE_HOME="$tmp/other/cache" \
    "$deckle" -q "$data/deck.md" -o "$tmp/same2.pdf" 2>/dev/null
if [ -s "$tmp/same1.pdf" ] && cmp -s "$tmp/same1.pdf" "$tmp/same2.pdf"; then
    ok "another machine's font set-up gives the same PDF bytes"
else
    not_ok "another machine's font set-up gives the same PDF bytes"
fi

e2e_done
