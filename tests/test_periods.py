import datetime as dt

import pytest

from scoreboard.data import periods


@pytest.mark.parametrize(
    "period_id, start, end",
    [
        ("2022", dt.date(2022, 1, 1), dt.date(2022, 12, 31)),
        ("2024-H1", dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
        ("2024-H2", dt.date(2024, 7, 1), dt.date(2024, 12, 31)),
        ("2023-Q2", dt.date(2023, 4, 1), dt.date(2023, 6, 30)),
        ("2023-Q4", dt.date(2023, 10, 1), dt.date(2023, 12, 31)),
    ],
)
def test_parse_gives_the_span(period_id, start, end):
    p = periods.parse(period_id)
    assert (p.start, p.end) == (start, end)


@pytest.mark.parametrize("bad", ["2024-H3", "2024H1", "24", "2024-Q5", "2024-h1", "", "2024-06"])
def test_malformed_ids_are_refused_with_the_accepted_forms(bad):
    assert not periods.is_period_id(bad)
    with pytest.raises(ValueError, match="YYYY-H1"):
        periods.parse(bad)


def test_sorting_is_chronological_with_the_year_after_its_first_half():
    assert periods.sorted_ids(["2024-H1", "2022", "2021", "2022-H1", "2023-Q2", "2023"]) == [
        "2021",
        "2022-H1",
        "2022",
        "2023-Q2",
        "2023",
        "2024-H1",
    ]
