"""Province geometry for a date: the committed 63-province topology, dissolved into the units
that existed on that date by following agency_successions.csv.

The topology stores each border once (as an arc shared by the two provinces it separates),
so dissolving a group of provinces is exact: drop the arcs two members share, and join the
remaining arcs end to end into rings. Islands are rings of their own and stay.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from scoreboard.data import layout
from scoreboard.data.text import fold

GEOMETRY_DATE = "2024-12-31"  # the committed polygons are the provinces as they were then (2016 boundaries)
BOUNDARIES = Path("data") / "boundaries"
TOPOLOGY_FILE = layout.BOUNDARY_FILES[1]
# Names in the boundary file that differ from agencies.csv by more than tone-mark placement.
NAME_ALIASES = {"hcm": "ho chi minh", "hue": "thua thien hue"}
ENDING = ("merged_into", "became")  # changes after which the predecessor no longer exists


def fold_name(name: str) -> str:
    """'TP Hồ Chí Minh', 'Thành phố Hồ Chí Minh' and 'ho chi minh' all give 'ho chi minh';
    'Thanh Hoá' and 'Thanh Hóa' both give 'thanh hoa'."""
    text = " ".join(fold(name).replace("-", " ").split())
    for prefix in ("thanh pho ", "tp "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return NAME_ALIASES.get(text, text)


def match_name(name: str, agencies: list[dict]) -> str:
    """The id of the one agency whose Vietnamese name matches a boundary feature's name."""
    found = [a["id"] for a in agencies if fold_name(a["name_vi"]) == fold_name(name)]
    if len(found) != 1:
        raise ValueError(f"boundary name {name!r} matches {len(found)} agencies: {found}")
    return found[0]


def decode_arcs(topology: dict, quantised: bool = False) -> list[list[tuple]]:
    """Absolute coordinates of every arc: grid integers if quantised, else longitude/latitude."""
    t = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points, x, y = [], 0, 0
        for p in arc:
            if t:
                x, y = x + p[0], y + p[1]
            else:
                x, y = p[0], p[1]
            points.append((x, y))
        if t and not quantised:
            (sx, sy), (tx, ty) = t["scale"], t["translate"]
            points = [(x * sx + tx, y * sy + ty) for x, y in points]
        arcs.append(points)
    return arcs


@dataclass
class Feature:
    """One unit's shape: rings of (longitude, latitude), islands and holes alike
    (drawn with the even-odd rule, so a hole needs no special case)."""

    agency_id: str
    rings: list[list[tuple[float, float]]]


def _rings_of(geometry: dict) -> list[list[int]]:
    if geometry["type"] == "Polygon":
        return list(geometry["arcs"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["arcs"] for ring in polygon]
    return []


class Boundaries:
    """The committed topology and the succession data needed to redraw it for any date."""

    def __init__(self, topology: dict, agencies: list[dict], successions: list[dict]):
        self.topology = topology
        self.grid_arcs = decode_arcs(topology, quantised=True)
        (self.sx, self.sy), (self.tx, self.ty) = topology["transform"]["scale"], topology["transform"]["translate"]
        self.geometries = next(iter(topology["objects"].values()))["geometries"]
        self.agencies = {a["id"]: a for a in agencies}
        self.successors: dict[str, list[dict]] = {}
        for s in successions:
            if s["change"] in ENDING:
                self.successors.setdefault(s["predecessor_id"], []).append(s)
        self._cache: dict[tuple, list[Feature]] = {}
        self.drawn: dict[tuple, object] = {}  # base maps drawn from a layout (see draw.Basemap)
        # the date after which nothing recorded changes: the map of the present
        self.latest = max(
            [s["date"] for s in successions] + [a["valid_from"] for a in agencies if a["valid_from"]] + [GEOMETRY_DATE]
        )

    @classmethod
    def load(cls, root: Path, dataset) -> Boundaries | None:
        """The boundaries under root/data/boundaries, or None where there are none
        (then pages simply have no maps)."""
        path = root / BOUNDARIES / TOPOLOGY_FILE
        if not path.exists():
            return None
        topology = json.loads(path.read_text(encoding="utf-8"))
        agencies = dataset.agencies[["id", "valid_from", "valid_to"]].to_dict("records")
        successions = dataset.agency_successions[["predecessor_id", "successor_id", "change", "date"]]
        return cls(topology, agencies, successions.to_dict("records"))

    def valid_on(self, agency_id: str, date: str) -> bool:
        a = self.agencies.get(agency_id)
        if a is None:
            return False
        return (not a["valid_from"] or a["valid_from"] <= date) and (not a["valid_to"] or a["valid_to"] >= date)

    def unit_on(self, agency_id: str, date: str) -> str | None:
        """The agency that a province's territory belonged to on date, following
        mergers and changes of status up to that date; None if there was none."""
        seen = set()
        while agency_id not in seen:
            if self.valid_on(agency_id, date):
                return agency_id
            seen.add(agency_id)
            nexts = [s for s in self.successors.get(agency_id, []) if s["date"] <= date]
            if len(nexts) != 1:
                return None
            agency_id = nexts[0]["successor_id"]
        return None

    def features(self, date: str) -> list[Feature]:
        """One feature per unit that existed on date (ISO), sorted by agency id."""
        return self._features(self.layout(date))

    def layout(self, date: str) -> tuple:
        """Which unit each province belonged to on date: dates with the same layout share
        one geometry (and one drawn base map)."""
        units = (self.unit_on(g["properties"]["agency_id"], date) for g in self.geometries)
        return tuple((g["properties"]["agency_id"], u) for g, u in zip(self.geometries, units))

    def _features(self, layout: tuple) -> list[Feature]:
        if layout not in self._cache:
            groups: dict[str, list[list[int]]] = {}
            for g, (_, unit) in zip(self.geometries, layout):
                if unit is not None:
                    groups.setdefault(unit, []).extend(_rings_of(g))
            self._cache[layout] = [Feature(unit, self._dissolve(rings)) for unit, rings in sorted(groups.items())]
        return self._cache[layout]

    def _dissolve(self, rings: list[list[int]]) -> list[list[tuple[float, float]]]:
        """The rings around the union of the given rings: shared arcs dropped, the rest joined."""
        uses: dict[int, int] = {}
        for ring in rings:
            for a in ring:
                uses[a if a >= 0 else ~a] = uses.get(a if a >= 0 else ~a, 0) + 1
        pieces = []
        for ring in rings:
            for a in ring:
                if uses[a if a >= 0 else ~a] == 1:
                    pieces.append(self.grid_arcs[a] if a >= 0 else self.grid_arcs[~a][::-1])
        starts: dict[tuple, list[int]] = {}
        for i, piece in enumerate(pieces):
            starts.setdefault(piece[0], []).append(i)
        used = [False] * len(pieces)
        out = []
        for i in range(len(pieces)):
            if used[i]:
                continue
            used[i] = True
            ring = list(pieces[i])
            while ring[-1] != ring[0]:
                nexts = [j for j in starts.get(ring[-1], []) if not used[j]]
                if not nexts:
                    break
                used[nexts[0]] = True
                ring.extend(pieces[nexts[0]][1:])
            out.append([(x * self.sx + self.tx, y * self.sy + self.ty) for x, y in ring])
        return out


def ring_area(ring: list[tuple[float, float]]) -> float:
    """Absolute planar area (shoelace), in the ring's own units."""
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))) / 2


def label_point(rings: list[list[tuple[float, float]]]) -> tuple[float, float]:
    """A point inside the largest ring, where a symbol can stand: the middle of the widest
    horizontal run inside it, among several horizontal lines (a centroid can fall outside)."""
    ring = max(rings, key=ring_area)
    ys = [y for _, y in ring]
    best, point = -1.0, ring[0]
    for k in range(1, 10):
        y = min(ys) + (max(ys) - min(ys)) * k / 10
        crossings = sorted(
            x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1])
            if (y1 <= y < y2) or (y2 <= y < y1)
        )
        for left, right in zip(crossings[::2], crossings[1::2]):
            # prefer runs near the middle of the shape: a run's width, less a little for distance from centre
            score = (right - left) - abs(k - 5) * (max(ys) - min(ys)) / 40
            if score > best:
                best, point = score, ((left + right) / 2, y)
    return point
