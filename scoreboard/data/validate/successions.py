"""The agencies' history and the sources behind it: who succeeded whom agrees with the
agencies' dates, every ended agency says who took over, and each source carries what lets a
reader find it (a report's archived text, a legal document's number)."""

from __future__ import annotations

import datetime as dt

from scoreboard.data.problems import Problem
from scoreboard.data.validate.table import Table


def check_successions(table: Table, agency_table: Table, sources: dict) -> list[Problem]:
    """Who succeeded whom agrees with the agencies' dates; every ended agency says who took over.

    A merger or change of status ends the predecessor the day before the successor begins;
    a transfer of some functions ends nothing.
    """
    problems = []
    taken_over = set()
    agencies = {row.get("id", ""): row for row in agency_table.rows}
    where = agency_table.rel
    for line, row in table.records():
        before, after = agencies.get(row.get("predecessor_id", "")), agencies.get(row.get("successor_id", ""))
        date, change = row.get("date", ""), row.get("change", "")
        if not before or not after or not _is_iso_date(date):
            continue  # unknown ids and bad dates have their own messages
        if before["id"] == after["id"]:
            problems.append(
                Problem(
                    table.rel,
                    line,
                    "successor_id",
                    "an agency cannot succeed itself",
                    after["id"],
                    "name the agency that took over",
                    kind="succession",
                )
            )
            continue
        if change in ("merged_into", "became"):
            taken_over.add(before["id"])
            if before.get("valid_to") != _day_before(date):
                problems.append(
                    Problem(
                        table.rel,
                        line,
                        "date",
                        f"{before['id']} must end the day before the change: its valid_to in {where} is "
                        f"'{before.get('valid_to', '')}'",
                        date,
                        f"set valid_to of {before['id']} to {_day_before(date)} in {where}, or correct the date",
                        kind="succession",
                    )
                )
            if after.get("valid_from") != date:
                problems.append(
                    Problem(
                        table.rel,
                        line,
                        "date",
                        f"{after['id']} must begin on the day of the change: its valid_from in {where} is "
                        f"'{after.get('valid_from', '')}'",
                        date,
                        f"set valid_from of {after['id']} to {date} in {where}, or correct the date",
                        kind="succession",
                    )
                )
        source = sources.get(row.get("source_id", ""))
        if source and source.get("kind") != "legal_document":
            problems.append(
                Problem(
                    table.rel,
                    line,
                    "source_id",
                    "a change of agencies must cite the legal document that made it",
                    row["source_id"],
                    "add the document to data/reference/sources.csv with kind legal_document",
                    kind="succession",
                )
            )
    problems += _cycles(table)
    for line, agency in agency_table.records():
        start, end = agency.get("valid_from", ""), agency.get("valid_to", "")
        if _is_iso_date(start) and _is_iso_date(end) and end < start:
            problems.append(
                Problem(
                    where,
                    line,
                    "valid_to",
                    f"{agency['id']} ends before it begins: valid_to is before valid_from ({start})",
                    end,
                    "swap the two dates, or correct the one that is wrong (valid_from: the first day the agency "
                    "existed; valid_to: its last day)",
                    kind="validity-dates",
                )
            )
        if agency.get("valid_to") and agency["id"] not in taken_over:
            problems.append(
                Problem(
                    where,
                    line,
                    "valid_to",
                    f"{agency['id']} ends but no row of data/reference/agency_successions.csv says who took over",
                    agency["valid_to"],
                    "add a row (predecessor_id, successor_id, change merged_into or became, date, source_id)",
                    kind="succession",
                )
            )
    return problems


def _cycles(table: Table) -> list[Problem]:
    """Successions that lead back to where they started (A merged into B, B into A): one
    message per circle, on the row that closes it. One depth-first walk, without recursion."""
    edges: dict[str, list[tuple[str, int]]] = {}
    for line, row in table.records():
        if row.get("change") in ("merged_into", "became") and row.get("predecessor_id") != row.get("successor_id"):
            edges.setdefault(row.get("predecessor_id", ""), []).append((row.get("successor_id", ""), line))
    problems, done = [], set()
    for start in sorted(edges):
        if start in done:
            continue
        path, on_path, stack = [start], {start: 0}, [iter(edges[start])]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                node = path.pop()
                del on_path[node]
                done.add(node)
                continue
            successor, line = step
            if successor in on_path:
                circle = path[on_path[successor] :] + [successor]
                problems.append(
                    Problem(
                        table.rel,
                        line,
                        "successor_id",
                        "who succeeded whom goes round in a circle: " + " -> ".join(circle),
                        successor,
                        "an agency that ended cannot take over from its own successor: correct the predecessor_id "
                        "or successor_id of one of these rows",
                        kind="succession",
                    )
                )
            elif successor not in done and successor in edges:
                on_path[successor] = len(path)
                path.append(successor)
                stack.append(iter(edges[successor]))
    return problems


def check_sources(table: Table) -> list[Problem]:
    """A report is kept in the archive (seed_file); a legal document is cited by its number."""
    problems = []
    needs = {
        "report": ("seed_file", "the report's file name in the archive of reports"),
        "legal_document": ("document_number", "the document's official number, e.g. 202/2025/QH15"),
    }
    for line, row in table.records():
        column, what = needs.get(row.get("kind", ""), ("", ""))
        if column and not row.get(column, "").strip():
            problems.append(
                Problem(
                    table.rel,
                    line,
                    column,
                    f"a source of kind {row['kind']} needs {column}",
                    "",
                    f"write {what}",
                    kind="source",
                )
            )
    return problems


def _day_before(iso: str) -> str:
    return (dt.date.fromisoformat(iso) - dt.timedelta(days=1)).isoformat()


def _is_iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return False
    return True
