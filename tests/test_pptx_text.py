"""The deck's text measuring (outputs/pptx_text), on its own: widths, wrapping, heights, fitting, with numbers worked
out by hand."""
from pathlib import Path

import pytest

from analytics.outputs import pptx_text as text

LIBERATION = Path("/usr/share/fonts/truetype/liberation2")


# --- widths -------------------------------------------------------------------------------------------------------

def test_vietnamese_letters_are_as_wide_as_their_base_letter_but_the_horned_ones():
    for marked, base in [("ạ", "a"), ("ấ", "a"), ("ệ", "e"), ("ộ", "o"), ("ỹ", "y"), ("Ả", "A"), ("Đ", "D")]:
        assert text.char_em(marked) == text.char_em(base), marked
    assert text.char_em("ơ") > text.char_em("o") and text.char_em("ư") > text.char_em("u")
    assert text.char_em("\u0301") == 0  # a combining mark takes no room
    assert text.char_em("中") == text.UNKNOWN_EM


def test_bold_is_wider_and_widths_carry_the_safety_margin():
    assert text.text_em("Phòng Tư pháp", bold=True) > text.text_em("Phòng Tư pháp")
    # "ab": 0.556 + 0.556 em, 4% more.
    assert text.text_em("ab") == pytest.approx(1.112 * text.WIDTH_MARGIN)


@pytest.mark.skipif(not (LIBERATION / "LiberationSans-Regular.ttf").exists(), reason="Liberation Sans 2 not installed")
def test_the_width_table_is_the_fonts():
    from PIL import ImageFont
    sample = ("Lĩnh vực Đất đai có nhiều hồ sơ trễ hạn nhất: 25 hồ sơ, 4,2% (25/601) – ƯỚC TÍNH ơư "
              "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ")
    sample += sample.upper()
    for bold, name in ((False, "Regular"), (True, "Bold")):
        font = ImageFont.truetype(str(LIBERATION / f"LiberationSans-{name}.ttf"), 2048)
        for ch in set(sample):
            assert text.char_em(ch, bold) == pytest.approx(font.getlength(ch) / 2048, abs=0.002), (name, ch)


# --- wrapping -----------------------------------------------------------------------------------------------------

def test_a_line_that_fits_stays_one_line_and_one_word_more_wraps():
    # "aaaa bbbb": (8 × 0.556 + 0.278) em × 1.04 = 4.915 em; at 10 pt: 49.2 pt.
    assert text.wrap("aaaa bbbb", 10, 49.2) == ["aaaa bbbb"]
    assert text.wrap("aaaa bbbb", 10, 49.0) == ["aaaa", "bbbb"]


def test_wrapping_keeps_every_word_in_order():
    sentence = "Thủ tục Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền"
    lines = text.wrap(sentence, 20, 200)
    assert len(lines) > 1 and " ".join(lines).split() == sentence.split()
    assert all(text.text_em(line) * 20 <= 200 for line in lines)


def test_a_word_longer_than_a_line_breaks_inside():
    digest = "60b25df0e0771c1f6b1215b6894ddee7952eb42980f3e2f3d9fe2a2f86ec981e"
    lines = text.wrap(digest, 16, 150)
    assert "".join(lines) == digest and len(lines) > 1
    assert all(text.text_em(line) * 16 <= 150 for line in lines)


def test_an_empty_paragraph_is_one_line():
    assert text.wrap("", 18, 100) == [""]
    assert text.rows("", 18, 3) == 1


# --- heights ------------------------------------------------------------------------------------------------------

def test_a_box_height_by_hand():
    # Two one-line paragraphs at 20 pt, 0.4 em after each: 2 × (20 × 1.2 + 8) = 64 pt = 0.889 in, + 2 × 0.1 in.
    assert text.height(["Một", "Hai"], 20, 5) == pytest.approx(64 / 72 + 0.2)
    # A bullet hangs 0.9 em: the same words need more lines when the box is just wide enough without it.
    words = "Cấp huyện: nhận 1.305, đã giải quyết 1.241"
    width = text.text_em(words) * 20 / 72 + 2 * text.INSET + 0.01
    assert text.rows(words, 20, width) == 1
    assert text.paragraph_rows(text.paragraphs([words], 20)[0], width) == 2


def test_paragraph_spacing_and_line_spacing_count():
    one = text.Paragraph("Một dòng", 24)
    spaced = text.Paragraph("Một dòng", 24, space_after_pt=12, line_spacing=1.5)
    assert text.box_height([spaced], 4) - text.box_height([one], 4) == pytest.approx((24 * 1.2 * 0.5 + 12) / 72)


# --- fitting ------------------------------------------------------------------------------------------------------

LINES = [f"Dòng số {n}: nhận 1.305, đã giải quyết 1.241, đúng hạn 96,6% (1.199/1.241)" for n in range(6)]


def test_fit_takes_the_largest_size_that_fits():
    box = text.height(LINES, 20, 12) + 0.001
    fitted = text.fit(LINES, 12, box, (24, 22, 20, 18))
    assert fitted.pt == 20 and fitted.columns == [LINES]
    assert text.fit(LINES, 12, 0.5, (24, 18)) is None


def test_two_columns_only_when_allowed_and_in_reading_order():
    box = text.height(LINES[:3], 20, (12 - text.COLUMN_GAP) / 2) + 0.001
    assert text.fits(LINES, 20, 12, box) is None
    fitted = text.fits(LINES, 20, 12, box, two_columns=True)
    assert fitted.columns == [LINES[:3], LINES[3:]] and fitted.count == 6


def test_take_keeps_the_first_lines_that_fit_and_leaves_the_rest():
    box = text.height(LINES[:4], 18, 12) + 0.001
    part = text.take(LINES, 18, 12, box)
    assert part.columns == [LINES[:4]] and part.count == 4
    assert text.take(LINES, 18, 12, 0.2).count == 0  # not even the first: nothing, the caller cuts it in pieces


def test_a_paragraph_too_tall_for_a_box_comes_in_pieces_that_each_fit():
    long = " ".join(f"tệp-{n:02d}.xlsx" for n in range(200))
    pieces = text.pieces(long, 16, 6, 2)
    assert len(pieces) > 2
    assert all(text.height([p], 16, 6) <= 2 for p in pieces)
    assert " ".join(p.removesuffix(" …") for p in pieces).split() == long.split()
    assert text.pieces("ngắn", 16, 6, 2) == ["ngắn"]


def test_a_boxs_own_margins_count():
    paragraph = [text.Paragraph("Nguồn: 5 tệp xuất hồ sơ", 12)]
    tight = text.box_height(paragraph, 4, (0.1, 0.1, 0.02, 0.02))
    assert tight == pytest.approx(12 * 1.2 / 72 + 0.04)
    assert text.box_height(paragraph, 4) == pytest.approx(tight + 0.16)
