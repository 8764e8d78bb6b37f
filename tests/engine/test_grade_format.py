"""One writing of numbers kept in hundredths (grades, averages, coefficients): every page, PDF,
CSV and the CLI go through engine.marks.show_hundredths; each style is pinned here."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from livret.engine import jury
from livret.engine import marks as m
from livret.exams import graded
from livret.exams.models import grade_display
from livret.exams.templatetags import exam_tags
from livret.jury_cli import average_text


@pytest.mark.parametrize(
    "value, fixed, whole, short",
    [
        (None, "", "", ""),
        (0, "0,00", "0", "0"),
        (5, "0,05", "0,05", "0,05"),
        (50, "0,50", "0,50", "0,5"),
        (999, "9,99", "9,99", "9,99"),
        (1000, "10,00", "10", "10"),
        (1250, "12,50", "12,50", "12,5"),
        (1205, "12,05", "12,05", "12,05"),
        (2000, "20,00", "20", "20"),
        (12345, "123,45", "123,45", "123,45"),  # a total of points or a coefficient sum
    ],
)
def test_each_style(value, fixed, whole, short):
    assert m.show_hundredths(value) == fixed
    assert m.show_hundredths(value, m.WHOLE) == whole
    assert m.show_hundredths(value, m.SHORT) == short


def test_for_a_machine_the_point():
    assert m.show_hundredths(1250, sep=".") == "12.50"
    assert average_text(1005) == "10.05"


def test_an_unknown_style_is_a_programming_error():
    with pytest.raises(ValueError):
        m.show_hundredths(1, "pretty")


def test_every_caller_writes_the_same():
    # Averages (jury, PV, CSV rows), the exam filters, the marks of the bulletins.
    assert jury._fmt(1250) == graded.fmt(1250) == exam_tags.hundredths(1250) == "12,50"
    assert graded.fmt(None) == exam_tags.hundredths(None) == exam_tags.hundredths("") == ""
    assert exam_tags.coef(150) == "1,5" and exam_tags.coef(400) == "4"
    # An exam grade as stored: whole points without decimals, else both digits; or its word.
    assert grade_display(1250, "") == "12,50" and grade_display(1200, "") == "12"
    assert grade_display(None, "ABS") == "ABS"
    assert m.show_mark(1250) == "12,5" and m.show_mark(m.ABS) == "ABS" and m.show_mark(None) == ""


@given(st.integers(min_value=0, max_value=10**6))
def test_every_style_reads_back_as_the_same_number(value):
    for style in (m.FIXED, m.WHOLE, m.SHORT):
        text = m.show_hundredths(value, style)
        whole, _, cents = text.partition(",")
        assert int(whole) * 100 + int((cents or "0").ljust(2, "0")) == value
