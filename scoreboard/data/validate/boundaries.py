"""The province boundaries (data/boundaries): the TopoJSON is the file its datapackage.json
describes (its size and sha256, which the published package states), and it has the shape
the maps read: a Topology with a transform, arcs of integer points and one GeometryCollection
of Polygons and MultiPolygons, each naming a province or municipality of agencies.csv."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from scoreboard.data import layout
from scoreboard.data.model import LOCAL_KINDS
from scoreboard.data.problems import Problem
from scoreboard.data.validate.files import is_plain_file
from scoreboard.data.validate.schema_files import read_json
from scoreboard.data.validate.table import Table

FOLDER = "data/boundaries"
DESCRIPTOR, TOPOLOGY = layout.BOUNDARY_FILES
REGENERATE = (
    "regenerate both files with `python tools/make_boundaries.py` (a code maintainer's task), "
    "or restore both from the main branch"
)


def check_boundaries(root: Path, agencies: Table) -> list[Problem]:
    folder = root / FOLDER
    present = [name for name in layout.BOUNDARY_FILES if (folder / name).exists() or (folder / name).is_symlink()]
    if not present:
        return []  # no boundaries: the site simply has no maps

    def problem(name: str, message: str, value: str = "", hint: str = REGENERATE) -> list[Problem]:
        return [Problem(f"{FOLDER}/{name}", 0, "", message, value, hint, kind="boundaries")]

    for name in layout.BOUNDARY_FILES:
        if name not in present:
            return problem(name, "the file is missing (the boundaries are two files)")
        if not is_plain_file(folder / name, root):
            return []  # a link or a folder: check_layout names it
    try:
        descriptor = read_json(folder / DESCRIPTOR)
    except (ValueError, OSError) as exc:
        return problem(DESCRIPTOR, f"the descriptor cannot be read: {exc}")
    resource = _resource(descriptor)
    if resource is None:
        return problem(DESCRIPTOR, f"the descriptor does not give the bytes and sha256 hash of {TOPOLOGY}")
    raw = (folder / TOPOLOGY).read_bytes()
    digest = "sha256:" + hashlib.sha256(raw).hexdigest()
    if len(raw) != resource["bytes"] or digest != resource["hash"]:
        return problem(
            TOPOLOGY,
            f"the file is not the one its descriptor describes ({len(raw)} bytes, {digest[:19]}…; the descriptor "
            f"gives {resource['bytes']} bytes, {resource['hash'][:19]}…): an edited file would be published with "
            "the old size and hash",
        )
    try:
        topology = read_json(folder / TOPOLOGY)
    except (ValueError, OSError) as exc:
        return problem(TOPOLOGY, f"the boundaries cannot be read: {exc}")
    kinds = {r.get("id", ""): r.get("kind", "") for r in agencies.rows} if agencies.record_lines else None
    fault = topology_fault(topology, kinds)
    return problem(TOPOLOGY, f"the boundaries are not a TopoJSON the maps can read: {fault}") if fault else []


def _resource(descriptor) -> dict | None:
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    for resource in resources if isinstance(resources, list) else []:
        if isinstance(resource, dict) and resource.get("path") == TOPOLOGY:
            size, digest = resource.get("bytes"), resource.get("hash")
            if isinstance(size, int) and isinstance(digest, str) and re.fullmatch(r"sha256:[0-9a-f]{64}", digest):
                return resource
    return None


def _numbers(value, count: int, kind=(int, float)) -> bool:
    return (
        isinstance(value, list)
        and len(value) == count
        and all(isinstance(v, kind) and not isinstance(v, bool) for v in value)
    )


def topology_fault(topology, agency_kinds: dict[str, str] | None) -> str | None:
    """What keeps the maps from reading a topology, in plain words, or None; agency_kinds
    None when agencies.csv cannot be read (its own error says so)."""
    if not isinstance(topology, dict) or topology.get("type") != "Topology":
        return "it is not a Topology"
    transform = topology.get("transform")
    if not isinstance(transform, dict) or not (
        _numbers(transform.get("scale"), 2) and _numbers(transform.get("translate"), 2)
    ):
        return "its transform (scale and translate, two numbers each) is missing or malformed"
    arcs = topology.get("arcs")
    if not isinstance(arcs, list) or not all(
        isinstance(arc, list) and arc and all(_numbers(point, 2, int) for point in arc) for arc in arcs
    ):
        return "its arcs are not lists of whole-number points"
    objects = topology.get("objects")
    collection = next(iter(objects.values()), None) if isinstance(objects, dict) else None
    if not isinstance(collection, dict) or collection.get("type") != "GeometryCollection":
        return "its first object is not a GeometryCollection"
    geometries = collection.get("geometries")
    if not isinstance(geometries, list) or not geometries:
        return "its GeometryCollection has no features"
    seen = set()
    for number, geometry in enumerate(geometries, 1):
        if not isinstance(geometry, dict):
            return f"feature {number} is not an object"
        properties = geometry.get("properties")
        agency = properties.get("agency_id") if isinstance(properties, dict) else None
        if not isinstance(agency, str) or (agency_kinds is not None and agency_kinds.get(agency) not in LOCAL_KINDS):
            return f"feature {number} does not name a province or municipality of data/reference/agencies.csv"
        if agency in seen:
            return f"two features name {agency}"
        seen.add(agency)
        rings = _rings(geometry)
        if rings is None or not all(
            isinstance(ring, list) and ring and all(_arc_index(i, len(arcs)) for i in ring) for ring in rings
        ):
            return f"the shape of {agency} is not a Polygon or MultiPolygon of the topology's arcs"
    return None


def _rings(geometry: dict) -> list | None:
    arcs = geometry.get("arcs")
    if not isinstance(arcs, list):
        return None
    if geometry.get("type") == "Polygon":
        return arcs
    if geometry.get("type") == "MultiPolygon" and all(isinstance(polygon, list) for polygon in arcs):
        return [ring for polygon in arcs for ring in polygon]
    return None


def _arc_index(i, count: int) -> bool:
    """An arc's index, or ~index for the arc reversed (TopoJSON's convention)."""
    return isinstance(i, int) and not isinstance(i, bool) and -count <= i < count
