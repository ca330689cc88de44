"""The block capitals keep French names and titles whole: every accented capital is drawn with its mark."""

import pytest

from atelier_timer.ui.widgets.blockfont import GLYPH_ROWS, best_scale, bitmap, block_capitals, render_lines

ACCENTED = {
    "É": "E", "È": "E", "Ê": "E", "Ë": "E", "À": "A", "Â": "A", "Ç": "C", "Ô": "O", "Î": "I", "Ï": "I",
    "Û": "U", "Ù": "U", "Ü": "U", "Ÿ": "Y", "Ñ": "N",
}  # fmt: skip


@pytest.mark.parametrize("accented, plain", ACCENTED.items())
def test_each_accented_capital_is_drawn_with_its_mark_over_the_whole_letter(accented, plain):
    assert block_capitals(accented.lower()) == accented  # the lower-case form is drawn as its capital
    drawn, letter = bitmap(accented), bitmap(plain)
    assert drawn != letter and len(drawn) == GLYPH_ROWS + 2
    # the letter itself is intact, the mark in the two rows above it (the cedilla, below)
    body = drawn[2:] if accented != "Ç" else drawn[:-2]
    marks = drawn[:2] if accented != "Ç" else drawn[-2:]
    assert body == letter
    assert any("#" in row for row in marks)


def test_the_marks_differ_from_one_another():
    """É and È, Ê and Ë are not the same picture: a name stays spelt right."""
    for group in ("ÉÈÊË", "ÀÂ", "ÛÙÜ", "ÎÏ"):
        pictures = {tuple(bitmap(c)) for c in group}
        assert len(pictures) == len(group), group


@pytest.mark.parametrize("ligature", ["Œ", "Æ"])
def test_ligatures_are_one_glyph_of_their_own(ligature):
    assert block_capitals(ligature.lower()) == ligature
    assert bitmap(ligature) not in (bitmap("OE"), bitmap("AE"), bitmap("O"), bitmap("E"))


def test_names_and_titles_keep_their_letters():
    assert block_capitals("Léa") == "LÉA"
    assert block_capitals("François-Xavier") == "FRANÇOIS-XAVIER"
    assert block_capitals("Témoignages") == "TÉMOIGNAGES"
    assert block_capitals("Exposé du problème — cœur") == "EXPOSÉ DU PROBLÈME - CŒUR"
    assert block_capitals("Ångström") == "ANGSTRÖM"  # a mark the font cannot draw (Å's ring) leaves its letter


def test_only_lines_with_a_mark_grow():
    """Digits and plain capitals keep their five rows: an accent elsewhere never shrinks the countdown."""
    assert len(bitmap("12:34")) == len(bitmap("LEA")) == GLYPH_ROWS
    assert len(render_lines("LÉA", 2)) == (GLYPH_ROWS + 2) * 2 // 2
    # the taller line asks for more rows: at 4 rows it fits only at the scale the plain one gets at 3
    assert best_scale("LÉA", 200, 4) == best_scale("LEA", 200, 3) == 1
