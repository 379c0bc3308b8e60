#!/usr/bin/env python3
"""Generate a project whose data/ has the scale the programme will reach, for the benchmark.

    python benchmarks/generate.py DEST --indicators 250 --periods 20 --agencies 100

DEST receives a copy of what a build reads (hand-written pages, configs, schemas, units,
boundaries) with invented reference and period packages in the project's own format; the
result passes `python build_site.py validate` without errors. Figures are random but
seeded, so the same arguments always give the same bytes. Nothing here is real data.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

COPIED = ("data", "site_src/pages", "site_src/partials", "site_src/assets", "site_src/overrides")
CONFIGS = ("mkdocs.yml", "mkdocs.en.yml")
PILLARS = ("infrastructure", "government", "economy", "society", "data", "security", "governance")
UNITS = ("percent", "count", "mbps")
CRITERIA_EVERY = 25  # one agency criterion (and its count indicator) per 25 indicators
GRADES = "ABCDE"


def period_ids(count: int) -> list[str]:
    """Half-years, ending with the second half of 2025."""
    first_year = 2026 - (count + 1) // 2
    ids = [f"{year}-H{half}" for year in range(first_year, 2026) for half in (1, 2)]
    return ids[-count:]


def period_span(period_id: str) -> tuple[str, str]:
    year, half = period_id[:4], period_id[-1]
    return (f"{year}-01-01", f"{year}-06-30") if half == "1" else (f"{year}-07-01", f"{year}-12-31")


def vi_number(text: str) -> str:
    """How a report writes a CSV number: 71.79 -> 71,79 (no grouping below 1000 here)."""
    return text.replace(".", ",")


def write(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def agencies(count: int) -> list[list]:
    """The real provinces (so that maps are drawn at scale), then invented ministries."""
    real = [
        r
        for r in read(ROOT / "data" / "reference" / "agencies.csv")
        if r["kind"] in ("province", "municipality") and not r["valid_from"] and not r["valid_to"]
    ]
    provinces = real[: min(len(real), count * 2 // 3 or 1)]
    rows = [[r["id"], r["kind"], r["statistical_code"], r["name_vi"], r["name_en"], "", "", "", ""] for r in provinces]
    for i in range(count - len(rows)):
        rows.append(
            [f"bo-sinh-{i + 1}", "ministry", "", f"Bộ sinh số {i + 1}", f"Generated ministry {i + 1}"] + [""] * 4
        )
    return rows


def generate(dest: Path, indicators: int, periods: int, agency_count: int, seed: int = 13) -> Path:
    rng = random.Random(seed)
    for name in COPIED:
        shutil.copytree(ROOT / name, dest / name, dirs_exist_ok=True)
    for name in CONFIGS:
        shutil.copy2(ROOT / name, dest / name)
    data = dest / "data"
    shutil.rmtree(data / "periods")
    ref = data / "reference"
    for path in ref.glob("*.csv"):
        if path.name != "units.csv":
            path.unlink()
    pids = period_ids(periods)

    # indicators: every CRITERIA_EVERY-th counts agencies meeting a criterion
    ind_rows, criteria, units = [], [], {}
    for i in range(indicators):
        iid = f"chi-tieu-{i + 1:03d}"
        unit = "agencies" if i % CRITERIA_EVERY == 0 else UNITS[i % len(UNITS)]
        units[iid] = unit
        ind_rows.append(
            [
                iid,
                PILLARS[i % len(PILLARS)],
                unit,
                "true",
                "flow" if i % 7 == 3 else "level",  # some indicators are flows (see series.py)
                f"Chỉ tiêu sinh số {i + 1}",
                f"Generated indicator {i + 1}",
                "Chỉ tiêu tổng hợp cho đo hiệu năng.",
                "An invented indicator for the benchmark.",
            ]
        )
        if unit == "agencies":
            n = len(criteria) + 1
            criteria.append(
                [f"tieu-chi-{n}", iid, f"TC {n}", f"Crit. {n}", f"Tiêu chí sinh {n}", f"Generated criterion {n}"]
            )
    write(
        ref / "indicators.csv",
        ["id", "pillar", "unit", "higher_is_better", "measure", *_names("name"), *_names("definition")],
        ind_rows,
    )
    write(ref / "criteria.csv", ["id", "indicator_id", *_names("short_name"), *_names("name")], criteria)
    agency_rows = agencies(agency_count)
    write(
        ref / "agencies.csv",
        ["id", "kind", "statistical_code", *_names("name"), "valid_from", "valid_to", *_names("note")],
        agency_rows,
    )
    write(
        ref / "agency_successions.csv",
        ["predecessor_id", "successor_id", "change", "date", "source_id", *_names("note")],
        [],
    )
    write(ref / "periods.csv", ["id", "start", "end"], [[p, *period_span(p)] for p in pids])
    write(
        ref / "sources.csv",
        ["id", "kind", *_names("title"), "title_is_descriptive", *_names("publisher"), "document_type",
         "document_number", "author", "date", "url", "seed_file", *_names("note")],
        [
            [f"bao-cao-{p.lower()}", "report", f"Báo cáo sinh kỳ {p}", f"Generated report {p}", "true", "", "", "", "",
             "", f"{period_span(p)[1][:7]}", "", "generated.txt", "", ""]
            for p in pids
        ],
    )  # fmt: skip
    last = pids[-1]
    target_year = str(int(last[:4]) + 1)
    write(
        ref / "targets.csv",
        ["indicator_id", "target_period", "breakdown", "value", "low", "high", "comparison", "source_id", "shown",
         "quote", *_names("note")],
        [
            [iid, target_year, "nationwide", "80", "", "", "at_least", f"bao-cao-{pids[0].lower()}", "true",
             "mục tiêu 80", "", ""]
            for iid, unit in units.items() if unit == "percent"
        ],
    )  # fmt: skip
    write(ref / "series_breaks.csv", ["indicator_id", "breakdown", "period", *_names("note")], [])
    write(ref / "releases.csv", ["version", "date", *_names("title")], [[last, f"{int(last[:4]) + 1}-02-01",
          "Bản phát hành sinh", "Generated release"]])  # fmt: skip
    write(
        ref / "release_changes.csv",
        ["version", "change", "subject", "old_value", "new_value", *_names("note")],
        [[last, "added_period", p, "", "", "", ""] for p in pids],
    )

    provinces = [a[0] for a in agency_rows if a[1] in ("province", "municipality")]
    ministries = [a[0] for a in agency_rows if a[1] == "ministry"]
    for p in pids:
        source = f"bao-cao-{p.lower()}"
        folder = data / "periods" / p
        obs, checks = [], []
        for crit in criteria:
            for group, members in (("provinces", provinces), ("ministries", ministries)):
                met = [a for a in members if rng.random() < 0.6]
                for a in members:
                    status = "met" if a in met else "not_met"
                    checks.append([p, a, crit[0], status, source, f"{a} {status}", "", ""])
                if members:
                    x, y = str(len(met)), str(len(members))
                    obs.append([crit[1], p, group, x, x, y, "reported", source, "true", f"{x}/{y}", "", ""])
        for iid, unit in units.items():
            if unit == "agencies":
                continue
            value = f"{rng.uniform(5, 95):.2f}" if unit == "percent" else str(rng.randint(1, 999))
            obs.append(
                [iid, p, "nationwide", value, "", "", "reported", source, "true", f"đạt {vi_number(value)}", "", ""]
            )
        write(
            folder / "observations.csv",
            ["indicator_id", "period", "breakdown", "value", "numerator", "denominator", "value_kind", "source_id",
             "shown", "quote", *_names("note")],
            obs,
        )  # fmt: skip
        write(folder / "agency_checks.csv", ["period", "agency_id", "criterion_id", "status", "source_id", "quote",
              *_names("note")], checks)  # fmt: skip
        grades = []
        counts = [0] * len(GRADES)
        for _ in provinces:
            counts[rng.randrange(len(GRADES))] += 1
        for grade, n in zip(GRADES, counts):
            grades.append([p, "provinces", grade, str(n), str(len(provinces)), source, f"{n} tỉnh xếp loại {grade}"])
        write(folder / "grade_distribution.csv", ["period", "agency_group", "grade", "count", "total", "source_id",
              "quote", *_names("note")], [g + ["", ""] for g in grades] if provinces else [])  # fmt: skip
        write(folder / "agency_grades.csv", ["period", "agency_id", "grade", "source_id", "quote"], [])

    keep_boundaries_of(dest, {a[0] for a in agency_rows})

    from scoreboard.maintain import scaffold as maintain

    maintain.refresh_descriptors(dest)
    return dest


def keep_boundaries_of(dest: Path, agency_ids: set[str]) -> None:
    """The copied boundaries with only the features of the agencies generated (every feature
    names an agency of agencies.csv), and their descriptor's size and hash kept true, as
    tools/make_boundaries.py keeps them. The maps drawn are the same: a feature that names no
    agency was never drawn."""
    folder = dest / "data" / "boundaries"
    path = folder / "vn-provinces-63.topojson"
    if not path.exists():
        return
    topology = json.loads(path.read_text(encoding="utf-8"))
    for collection in topology["objects"].values():
        collection["geometries"] = [g for g in collection["geometries"] if g["properties"]["agency_id"] in agency_ids]
    path.write_text(json.dumps(topology, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    descriptor_path = folder / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    raw = path.read_bytes()
    descriptor["resources"][0].update(bytes=len(raw), hash="sha256:" + hashlib.sha256(raw).hexdigest())
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _names(column: str) -> list[str]:
    return [f"{column}_vi", f"{column}_en"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path, help="an empty or new folder")
    parser.add_argument("--indicators", type=int, default=250)
    parser.add_argument("--periods", type=int, default=20)
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    if args.dest.exists() and any(args.dest.iterdir()):
        parser.error(f"{args.dest} is not empty: give a new folder")
    generate(args.dest, args.indicators, args.periods, args.agencies, args.seed)
    print(f"generated {args.dest}: {args.indicators} indicators, {args.periods} periods, {args.agencies} agencies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
