"""The fast paths that replace pandas' and json's slow ones give exactly what those give:
the downloads must stay byte-identical, and derived rows equal in value and type."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from scoreboard.data import model
from scoreboard.derive import agencies
from scoreboard.pages import downloads


def _typed(rows: list[dict]) -> list[list[tuple]]:
    return [[(k, type(v).__name__, repr(v)) for k, v in row.items()] for row in rows]


def _frames(dataset) -> dict[str, pd.DataFrame]:
    frames = {
        f.name: getattr(dataset, f.name)
        for f in dataclasses.fields(dataset)
        if isinstance(getattr(dataset, f.name), pd.DataFrame)
    }
    frames["statuses"] = agencies.agency_statuses(dataset)[0]
    frames["observations download"] = downloads.observations_table(dataset)
    frames["empty"] = dataset.observations.iloc[:0]
    frames["mixed"] = pd.DataFrame(
        {
            "float": [1.0, None, 2.5],
            "Int64": pd.array([1, None, 3], dtype="Int64"),
            "str": pd.array(["a", None, "é"], dtype="str"),
            "object": pd.Series([np.int64(4), None, "x"], dtype=object),
            "bool": [True, False, True],
        }
    )
    return frames


def test_records_equal_to_dict_records(synthetic):
    for name, frame in _frames(synthetic).items():
        assert _typed(model.records(frame)) == _typed(frame.to_dict("records")), name


ROWS = [
    [{"a": 1, "b": 'x, "y": 2', "c": None, "d": True, "e": False, "f": 1.5, "g": -0.0, "h": 10**20}],
    [{"quote": 'dòng "một"\n\\ \u2028 \x07'}, {"quote": "", "n": 1e-7, "m": 123456789.123}],
    [{"nan": float("nan"), "inf": float("-inf")}],
    [{"nested": [1, {"x": 2}]}],  # not plain: json.dumps decides
    [{"a": 1}, {}],
    [{1: "not a text key"}],
    [],
]


@pytest.mark.parametrize("rows", ROWS)
def test_json_text_is_json_dumps_indent_1(rows):
    assert downloads.json_text(rows) == json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


def test_json_text_of_the_downloads(synthetic):
    rows = downloads.json_records(downloads.observations_table(synthetic), downloads.OBSERVATION_COLUMNS)
    assert rows and downloads.json_text(rows) == json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
