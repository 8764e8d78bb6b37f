from hypothesis import given
from hypothesis import strategies as st

from livret.engine.charts import cumulative_share, percent_series


def test_cumulative_share_table():
    assert cumulative_share([2, 0, 3], 10) == [20.0, 20.0, 50.0]
    assert cumulative_share([1, 1], 0) == [0.0, 0.0]


def test_points_span_the_box():
    s = percent_series("B1", [0, 50, 100], width=600, height=200)
    assert s.points == "0.0,200.0 300.0,100.0 600.0,0.0" and s.last == 100


@given(
    st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=30), st.integers(1, 2000)
)
def test_cumulative_share_never_decreases_and_stays_a_percentage(steps, total):
    total = max(total, sum(steps))
    shares = cumulative_share(steps, total)
    assert all(a <= b for a, b in zip(shares, shares[1:], strict=False))
    assert all(0 <= v <= 100 for v in shares)
