"""Regenerate data/boundaries/vn-provinces-63.topojson from the full-detail source geometry.

A one-off maintenance step, not part of the build (the build reads only the committed file):

    python tools/make_boundaries.py [SOURCE.topojson]

SOURCE defaults to ../shared/boundaries/vn-provinces-63.topojson (see its README for origin
and licence). The script

- simplifies every arc of the topology once (Douglas-Peucker), so borders shared by two
  provinces stay identical and the 2025 units can be dissolved from them exactly;
- keeps every ring, however small: a closed arc keeps at least four points, so islands
  such as Hoàng Sa, Trường Sa, Côn Đảo and Phú Quốc survive;
- records each feature's agency id from data/reference/agencies.csv, matched by name
  (scoreboard.maps.geometry.match_name), so the build never matches names itself.

The output is CC BY-SA 4.0 like its source (data/boundaries/datapackage.json says so).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoreboard.figures.maps.geometry import GEOMETRY_DATE, decode_arcs, match_name  # noqa: E402

DEFAULT_SOURCE = ROOT.parent / "shared" / "boundaries" / "vn-provinces-63.topojson"
OUTPUT = ROOT / "data" / "boundaries" / "vn-provinces-63.topojson"
OBJECT = "diaphantinh_63_fixednames"
TOLERANCE = 0.006  # degrees (about 650 m): well under a pixel on a 600-pixel-wide map of Viet Nam
QUANTISATION = 40_000  # grid steps across the larger side of the bounding box


def _distance(p, a, b) -> float:
    """Distance from p to the segment a-b (degrees, planar: fine at this scale)."""
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return math.hypot(x - x1, y - y1)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - x1 - t * dx, y - y1 - t * dy)


def douglas_peucker(points: list, tolerance: float) -> list:
    """Indices of the points kept, first and last always."""
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep.add(index)
            stack += [(first, index), (index, last)]
    return sorted(keep)


def simplify_arc(points: list, tolerance: float) -> list:
    """A simplified arc. A closed arc (an island, or a province ringed by one neighbour)
    is split at its farthest point so that it keeps an area: at least four points."""
    if points[0] == points[-1] and len(points) > 3:
        far = max(range(len(points)), key=lambda i: math.dist(points[0], points[i]))
        head = [points[i] for i in douglas_peucker(points[: far + 1], tolerance)]
        tail = [points[far + i] for i in douglas_peucker(points[far:], tolerance)]
        result = head + tail[1:]
        if len(result) < 4:
            third = max(
                (i for i in range(1, len(points) - 1) if i != far),
                key=lambda i: _distance(points[i], points[0], points[far]),
            )
            result = [points[i] for i in sorted({0, far, third, len(points) - 1})]
        return result
    return [points[i] for i in douglas_peucker(points, tolerance)]


def quantise(arcs: list[list], steps: int) -> tuple[dict, list[list]]:
    xs = [p[0] for arc in arcs for p in arc]
    ys = [p[1] for arc in arcs for p in arc]
    x0, y0 = min(xs), min(ys)
    scale = max(max(xs) - x0, max(ys) - y0) / (steps - 1)
    out = []
    for arc in arcs:
        q = [(round((x - x0) / scale), round((y - y0) / scale)) for x, y in arc]
        dedup = [q[0]] + [p for prev, p in zip(q, q[1:]) if p != prev]
        if len(dedup) < 2:
            dedup = [q[0], q[-1]]
        delta = [list(dedup[0])] + [[b[0] - a[0], b[1] - a[1]] for a, b in zip(dedup, dedup[1:])]
        out.append(delta)
    return {"scale": [scale, scale], "translate": [x0, y0]}, out


def agencies(root: Path) -> list[dict]:
    import csv

    with (root / "data" / "reference" / "agencies.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [
        r
        for r in rows
        if r["kind"] in ("province", "municipality")
        and (not r["valid_from"] or r["valid_from"] <= GEOMETRY_DATE)
        and (not r["valid_to"] or r["valid_to"] >= GEOMETRY_DATE)
    ]


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else DEFAULT_SOURCE
    topology = json.loads(source.read_text(encoding="utf-8"))
    arcs = [simplify_arc(arc, TOLERANCE) for arc in decode_arcs(topology)]
    transform, encoded = quantise(arcs, QUANTISATION)
    candidates = agencies(ROOT)
    geometries = []
    for g in topology["objects"][OBJECT]["geometries"]:
        agency_id = match_name(g["properties"]["ten_tinh"], candidates)
        geometries.append(
            {
                "type": g["type"],
                "arcs": g["arcs"],
                "properties": {"agency_id": agency_id, "name": g["properties"]["ten_tinh"]},
            }
        )
    ids = [g["properties"]["agency_id"] for g in geometries]
    if len(set(ids)) != len(ids) or set(ids) != {a["id"] for a in candidates}:
        raise SystemExit(f"features and agencies do not match one to one: {sorted(ids)}")
    geometries.sort(key=lambda g: g["properties"]["agency_id"])
    out = {
        "type": "Topology",
        "transform": transform,
        "objects": {"provinces": {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": encoded,
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    descriptor_path = OUTPUT.parent / "datapackage.json"
    if descriptor_path.exists():  # keep the package's size and hash of the file true
        import hashlib

        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        resource = descriptor["resources"][0]
        resource["bytes"] = OUTPUT.stat().st_size
        resource["hash"] = "sha256:" + hashlib.sha256(OUTPUT.read_bytes()).hexdigest()
        descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    points = sum(len(a) for a in encoded)
    print(f"{OUTPUT.relative_to(ROOT)}: {len(geometries)} features, {points} points, {OUTPUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
