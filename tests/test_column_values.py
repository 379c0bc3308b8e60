"""model.column_values, which derivations and downloads zip into rows and keys, gives the
cells pandas' to_dict("records") gives, equal in value and type: the downloads stay the same
bytes whichever way a table's rows are read."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

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


def test_column_values_are_the_cells_of_to_dict_records(synthetic):
    for name, frame in _frames(synthetic).items():
        columns = frame.columns.tolist()
        rows = [dict(zip(columns, cells)) for cells in zip(*model.column_values(frame))]
        assert _typed(rows) == _typed(frame.to_dict("records")), name
