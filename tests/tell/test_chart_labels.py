"""Chart category labels break between words onto a second line; only a label too long for two is cut."""

from narrator.tell.exhibits import _short


def test_a_long_label_breaks_between_words_instead_of_being_cut():
    assert _short("Calls contained by a conversational IVR") == "Calls contained by a\nconversational IVR"
    assert (
        _short("Repeat calls avoided by an agent knowledge base") == "Repeat calls avoided by\nan agent knowledge base"
    )
    assert _short("Discount rate") == "Discount rate"


def test_only_a_label_longer_than_two_lines_is_cut_with_an_ellipsis():
    label = "Hiring and training cost avoided by lower agent attrition in the second year"
    short = _short(label)
    assert short.count("\n") == 1
    assert short.endswith("\u2026")
    assert all(len(line) <= 24 for line in short.split("\n"))
