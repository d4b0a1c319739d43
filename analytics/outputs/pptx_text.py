"""How much room a text takes in a slide's text box, estimated the same way on every machine.

The deck never lets PowerPoint or LibreOffice shrink or cut a text (`noAutofit`), so it must know beforehand how many
lines a paragraph wraps to and how tall a box its paragraphs need. It estimates that from the advance widths of Arial
(here those of Liberation Sans 2, its metric twin, which LibreOffice draws Arial with; a Vietnamese letter with its
marks is as wide as its base letter with its horn: ợ as ơ, ạ as a), wrapped word by word as both programs wrap,
every width taken WIDTH_MARGIN wider than the font's so that hinting and kerning never push a last word onto a new
line unforeseen. A line is LINE_HEIGHT em high at single spacing (PowerPoint's Arial line; LibreOffice's is lower).

Nothing here knows python-pptx: paragraphs in (text, size, weight, indent), lines and inches out. The deck
(slides_pptx) lays its boxes out with these functions, and its tests measure every box of a finished deck with them.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

INSET = 0.1                    # a text box's inner margin, inches, each side
LINE_HEIGHT = 1.2              # em a line takes at single spacing
SPACE_AFTER = 0.4              # em left after each paragraph of a list
BULLET_INDENT = 0.9            # em: a bullet hangs in this margin
WIDTH_MARGIN = 1.04            # a text is taken 4% wider than its advances add up to
COLUMN_GAP = 0.3               # inches between two columns of text


def _table(groups: dict[str, float]) -> dict[str, float]:
    return {ch: em for chars, em in groups.items() for ch in chars}


# Advance widths in em (units per em / 2048), Liberation Sans 2 Regular and Bold.
_REGULAR = _table({"'": 0.191, "ijl’‘": 0.222, "|": 0.26, " !,./:;I[\\]ftìíĩ": 0.278, "()-`r›·“”": 0.333,
                   "{}": 0.334, "•": 0.35, '"': 0.355, "*": 0.389, "°": 0.4, "^": 0.469, "Jcksvxyz": 0.5,
                   "≥≤": 0.549, "#$0123456789?L_abdeghnopqu–đ": 0.556, "+<=>~−×": 0.584, "FTZ": 0.611,
                   "ơ": 0.656, "&ABEKPSVXY": 0.667, "ư": 0.669, "CDHNRUwĐ": 0.722, "GOQ": 0.778, "Mm": 0.833,
                   "Ư": 0.854, "Ơ": 0.857, "%": 0.889, "W": 0.944, "—…": 1.0, "@": 1.015})
_BOLD = _table({"'": 0.238, " ,./I\\ijl’‘": 0.278, "|": 0.28, "!()-:;[]`ft›·": 0.333, "•": 0.35, "*r{}": 0.389,
                "°": 0.4, '"': 0.474, "z“”": 0.5, "≥≤": 0.549, "#$0123456789J_aceksvxy–": 0.556,
                "+<=>^~−×": 0.584, "?FLTZbdghnopquđ": 0.611, "EPSVXY": 0.667, "ơ": 0.711, "&ABCDHKNRUĐ": 0.722,
                "ư": 0.724, "GOQw": 0.778, "Ư": 0.83, "M": 0.833, "Ơ": 0.853, "%m": 0.889, "W": 0.944, "@": 0.975,
                "—…": 1.0})
UNKNOWN_EM = 1.0               # a character outside the table (another script, a symbol): as wide as an em


HORN = "\u031b"                # the mark that makes o, u into ơ, ư: it widens the letter, the others do not


def char_em(ch: str, bold: bool = False) -> float:
    """The advance of one character, in em: from the table, else its base letter's with its horn (ạ as a, ợ as ơ),
    else UNKNOWN_EM; combining marks take no room."""
    table = _BOLD if bold else _REGULAR
    if ch in table:
        return table[ch]
    if unicodedata.combining(ch):
        return 0.0
    decomposed = unicodedata.normalize("NFD", ch)
    base = unicodedata.normalize("NFC", decomposed[0] + (HORN if HORN in decomposed else ""))
    if base != ch and base in table:
        return table[base]
    return UNKNOWN_EM


def text_em(text: str, bold: bool = False) -> float:
    """The width of a text on one line, in em, with the safety margin."""
    return sum(char_em(ch, bold) for ch in text) * WIDTH_MARGIN


def _break_word(word: str, room_em: float, bold: bool) -> list[str]:
    """A word longer than a line, in pieces that each fit (a renderer breaks it the same way)."""
    pieces, piece = [], ""
    for ch in word:
        if piece and text_em(piece + ch, bold) > room_em:
            pieces.append(piece)
            piece = ""
        piece += ch
    return pieces + [piece]


def wrap(text: str, pt: float, width_pt: float, bold: bool = False) -> list[str]:
    """The lines a paragraph wraps to on a line `width_pt` points long at `pt` points: word by word, greedy, a word
    longer than a line broken inside. An empty paragraph is one empty line."""
    room = width_pt / pt  # em
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_em(candidate, bold) <= room:
            line = candidate
            continue
        if line:
            lines.append(line)
        pieces = _break_word(word, room, bold) if text_em(word, bold) > room else [word]
        lines += pieces[:-1]
        line = pieces[-1]
    return lines + [line] if line or not lines else lines


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a text box as the deck sets it."""
    text: str
    pt: float
    bold: bool = False
    indent_pt: float = 0.0      # its left margin (a bullet's hanging indent)
    space_after_pt: float = 0.0
    line_spacing: float = 1.0   # a multiple of single spacing


Margins = tuple[float, float, float, float]  # a box's inner margins, inches: left, right, top, bottom
DEFAULT_MARGINS: Margins = (INSET, INSET, INSET, INSET)


def line_room(width: float, indent_pt: float = 0.0, margins: Margins = DEFAULT_MARGINS) -> float:
    """Points of a line in a box `width` inches wide (its side margins and the paragraph's indent taken off)."""
    return (width - margins[0] - margins[1]) * 72 - indent_pt


def paragraph_rows(paragraph: Paragraph, width: float, margins: Margins = DEFAULT_MARGINS) -> int:
    return len(wrap(paragraph.text, paragraph.pt, line_room(width, paragraph.indent_pt, margins), paragraph.bold))


def box_height(paragraphs: list[Paragraph], width: float, margins: Margins = DEFAULT_MARGINS) -> float:
    """Inches a box `width` inches wide needs for `paragraphs`, its top and bottom margins included (the last
    paragraph's space after too: a box ends where its text could go on)."""
    points = sum(paragraph_rows(p, width, margins) * p.pt * LINE_HEIGHT * p.line_spacing + p.space_after_pt
                 for p in paragraphs)
    return points / 72 + margins[2] + margins[3]


def paragraphs(texts, pt: float, bold: bool = False, bullets: bool = True,
               space_after: float = SPACE_AFTER) -> list[Paragraph]:
    """The deck's list paragraphs: `pt` points, bulleted (a hanging indent of BULLET_INDENT em) or not, a gap of
    `space_after` em after each."""
    indent = BULLET_INDENT * pt if bullets else 0.0
    return [Paragraph(str(t), pt, bold, indent, space_after * pt) for t in texts]


def rows(text: str, pt: float, width: float, bold: bool = False) -> int:
    """The lines one unindented paragraph takes in a box `width` inches wide."""
    return paragraph_rows(Paragraph(text, pt, bold), width)


def height(texts, pt: float, width: float, bold: bool = False, bullets: bool = True,
           space_after: float = SPACE_AFTER) -> float:
    """Inches the texts take as the deck's list paragraphs in a box `width` inches wide."""
    return box_height(paragraphs(texts, pt, bold, bullets, space_after), width)


def split_in_two(texts, pt: float, width: float) -> list[list[str]]:
    """Two columns of about equal height, in order (the first column reads first)."""
    texts = list(texts)
    heights = [height([t], pt, width) - 2 * INSET for t in texts]
    total, before, best, best_cut = sum(heights), 0.0, float("inf"), len(texts)
    for cut in range(1, len(texts)):
        before += heights[cut - 1]
        if max(before, total - before) < best:
            best, best_cut = max(before, total - before), cut
    return [texts[:best_cut], texts[best_cut:]]


def column_width(width: float, columns: int) -> float:
    return width if columns == 1 else (width - COLUMN_GAP) / 2


@dataclass(frozen=True)
class Fitted:
    """Texts laid out in a box: the size and the columns (one or two lists of texts, in reading order)."""
    pt: float
    columns: list[list[str]]

    @property
    def count(self) -> int:
        return sum(len(c) for c in self.columns)


def fits(texts, pt: float, width: float, box: float, two_columns: bool = False) -> Fitted | None:
    """The texts at `pt` in one column, else (when allowed) in two, if they fit in `box` inches of height."""
    texts = list(texts)
    if height(texts, pt, width) <= box:
        return Fitted(pt, [texts])
    if two_columns and len(texts) > 1:
        half = column_width(width, 2)
        columns = split_in_two(texts, pt, half)
        if max(height(c, pt, half) for c in columns) <= box:
            return Fitted(pt, columns)
    return None


def fit(texts, width: float, box: float, sizes, two_columns: bool = False) -> Fitted | None:
    """The largest of `sizes` at which all the texts fit (one column first, then two when allowed); None when they
    fit at none: see `take`."""
    for pt in sizes:
        fitted = fits(texts, pt, width, box, two_columns)
        if fitted is not None:
            return fitted
    return None


def take(texts, pt: float, width: float, box: float, two_columns: bool = False) -> Fitted:
    """The longest run of the first texts that fits at `pt`: what a slide holds, the rest going on to the next
    (none, `count` 0, when the first text alone is too tall: cut it with `pieces`)."""
    texts = list(texts)
    best = None
    for n in range(1, len(texts) + 1):
        fitted = fits(texts[:n], pt, width, box, two_columns)
        if fitted is None:
            break
        best = fitted
    return best if best is not None else Fitted(pt, [[]])


def pieces(text: str, pt: float, width: float, box: float) -> list[str]:
    """A paragraph too tall for a box, in pieces that each fit it, cut between words (a piece that goes on says
    so with "…")."""
    if height([text], pt, width) <= box:
        return [text]
    out, current = [], []
    for word in text.split():
        trial = " ".join(current + [word]) + " …"
        if current and height([trial], pt, width) > box:
            out.append(" ".join(current) + " …")
            current = []
        current.append(word)
    return out + [" ".join(current)] if current else out
