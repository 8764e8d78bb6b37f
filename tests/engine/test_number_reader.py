"""The centre's marks (parse_mark) and the exam grades (parse_grade) read numbers with one reader
(engine.marks.read_hundredths): the same numbers are accepted and refused by both, each keeps
its own words (ABS / DISP for a mark, ABS / NV for a grade) and its own French messages."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from livret.engine import marks as m
from livret.engine.jury import InputError, parse_grade

# (typed, hundredths or the reason it is refused)
TABLE = [
    ("12", 1200),
    ("12,5", 1250),
    ("12.5", 1250),
    ("12,75", 1275),
    ("12.50", 1250),
    ("12.500", 1250),  # trailing zeros say nothing more
    ("0", 0),
    ("00.5", 50),
    ("20", 2000),
    (" 7,5 ", 750),
    ("20,01", m.OUT_OF_RANGE),
    ("21", m.OUT_OF_RANGE),
    ("-1", m.OUT_OF_RANGE),
    ("12,345", m.TOO_PRECISE),
    ("douze", m.UNREADABLE),
    ("12,5,1", m.UNREADABLE),
    ("NaN", m.NOT_FINITE),
    ("inf", m.NOT_FINITE),
]


@pytest.mark.parametrize("typed, expected", TABLE)
def test_the_reader(typed, expected):
    if isinstance(expected, int):
        assert m.read_hundredths(typed) == expected
    else:
        with pytest.raises(m.NumberError) as caught:
            m.read_hundredths(typed)
        assert caught.value.reason == expected


MARK_SAYS = {
    m.OUT_OF_RANGE: "la note va de 0 à 20",
    m.TOO_PRECISE: "deux décimales au plus",
    m.UNREADABLE: "n'est pas une note",
    m.NOT_FINITE: "n'est pas une note",
}
GRADE_SAYS = {
    m.OUT_OF_RANGE: "hors de 0–20",
    m.TOO_PRECISE: "avec plus de deux décimales",
    m.UNREADABLE: "illisible",
    m.NOT_FINITE: "hors de 0–20",
}


@pytest.mark.parametrize("typed, expected", TABLE)
def test_both_callers_read_the_same_numbers_in_their_own_words(typed, expected):
    if isinstance(expected, int):
        assert m.parse_mark(typed) == parse_grade(typed, "candidat A", "U1") == expected
        return
    with pytest.raises(m.MarkError, match=MARK_SAYS[expected]):
        m.parse_mark(typed)
    with pytest.raises(InputError, match=f"candidat A : note de U1 {GRADE_SAYS[expected]}"):
        parse_grade(typed, "candidat A", "U1")


@pytest.mark.parametrize(
    "typed, mark, grade",
    [
        ("abs", m.ABS, "ABS"),
        ("Absent", m.ABS, None),
        ("disp", m.DISP, None),
        ("dispensé", m.DISP, None),
        ("nv", None, "NV"),
    ],
)
def test_each_keeps_its_words(typed, mark, grade):
    if mark:
        assert m.parse_mark(typed) == mark
    else:
        with pytest.raises(m.MarkError):
            m.parse_mark(typed)
    if grade:
        assert parse_grade(typed, "a", "U1") == grade
    else:
        with pytest.raises(InputError):
            parse_grade(typed, "a", "U1")


def test_numbers_from_json_and_the_empty_mark():
    assert m.read_hundredths(12) == 1200 and m.read_hundredths(12.5) == 1250
    assert parse_grade(12.25, "a", "U1") == 1225
    assert m.parse_mark("") is None and m.parse_mark(None) is None
    for bad in (True, None, [12]):
        with pytest.raises(m.NumberError):
            m.read_hundredths(bad)


@given(st.text(alphabet="0123456789,.- abinfsvdpNA", max_size=7))
def test_the_two_callers_never_disagree_on_a_number(text):
    """Whatever is typed, a mark and a grade read the same number, or both refuse it (their own
    words apart)."""
    words = {"ABS", "ABSENT", "NV", "DISP", "DISPENSE"}
    if not text.strip() or text.strip().upper() in words:
        return
    try:
        mark = m.parse_mark(text)
    except m.MarkError:
        mark = "refused"
    try:
        grade = parse_grade(text, "a", "U1")
    except InputError:
        grade = "refused"
    assert mark == grade
