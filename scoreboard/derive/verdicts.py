"""One verdict per target, computed here and read by every page, download and feed.

A target that is due (its deadline is no later than the end of the scoreboard's latest
period) is judged at its deadline:

- met / missed: the last figure for a period ending on or before the deadline, if it ends
  within WINDOW_DAYS of it, reaches the target or not;
- no_figure: there is no such figure. A figure after the deadline never decides it.

A target not yet due is judged on the figures so far:

- met_early: the latest figure already reaches it;
- on_track / off_track: the yearly rate between the two latest figures that compare,
  carried on to the deadline, reaches it or falls short;
- too_little_data: no figure, one figure (one figure makes no trend), no two that compare,
  or no recent one.

For an indicator that is a flow, only figures for periods as long as the target's period
count (a half year's revenue says nothing about a yearly target). The methodology page
states these rules for readers (site_src/pages/*/methodology.md); keep them in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoreboard.data.model import is_missing
from scoreboard.derive.series import end, is_recent, months, why_not_comparable

DUE = ("met", "missed", "no_figure")
OPEN = ("met_early", "on_track", "off_track", "too_little_data")
VERDICTS = DUE + OPEN
# Why a target not yet due has too little data (the words are in the translation tables).
TOO_LITTLE = ("no_figure", "one_figure", "not_comparable", "not_recent")
# A figure counts for a deadline if its period ends on the deadline or at most this many days
# before it: half a year at its longest (30 June to 31 December is 184 days), so a mid-year
# figure answers for a year-end target and a year-end figure for a mid-year one, but a figure
# a whole year old does not.
WINDOW_DAYS = 184


@dataclass(frozen=True)
class Verdict:
    """A target's verdict with its evidence.

    figure: the figure that decides it (met, missed, met_early), or the latest one (a trend,
    too little data); previous: the earlier figure of a trend; projected: the trend's value
    at the deadline; last_before / first_after: for no_figure, the newest figure older than
    the window and the first figure after the deadline, shown, never counted; other_length:
    for a flow with no figure of the target's length, the latest of another length."""

    target: dict
    verdict: str
    figure: dict | None = None
    previous: dict | None = None
    projected: float | None = None
    last_before: dict | None = None
    first_after: dict | None = None
    reason: str | None = None  # for too_little_data: one of TOO_LITTLE
    other_length: dict | None = None  # a flow's latest figure for a period of another length: shown, not counted

    @property
    def indicator_id(self) -> str:
        return self.target["indicator_id"]

    @property
    def breakdown(self) -> str:
        return self.target["breakdown"]

    @property
    def target_period(self) -> str:
        return self.target["target_period"]

    @property
    def year(self) -> int:
        return end(self.target_period).year

    @property
    def key(self) -> str:
        """The target's name in pages (data-target) and downloads: indicator/breakdown/deadline."""
        return f"{self.indicator_id}/{self.breakdown}/{self.target_period}"

    @property
    def is_due(self) -> bool:
        return self.verdict in DUE

    @property
    def at_deadline(self) -> bool:
        """Whether the deciding figure is for the deadline's own period end."""
        return self.figure is not None and end(self.figure["period"]) == end(self.target_period)


def threshold(target) -> float:
    return target["low"] if is_missing(target["value"]) else target["value"]


def meets(value: float, value_kind: str, target, higher_is_better: bool = True) -> bool:
    """Does a value reach the target? A range counts from its low end.

    'more_than' targets need a value strictly beyond the threshold (above it, or below it
    where lower is better). A bound counts only when the true value is surely on the good
    side: 'nearly x' lies below x and 'more than x' above it, so x itself must be strictly
    beyond the threshold when the bound points the wrong way.
    """
    limit = threshold(target)
    wrong_way = "nearly" if higher_is_better else "more_than"
    strict = target["comparison"] == "more_than" or value_kind == wrong_way
    if higher_is_better:
        return value > limit if strict else value >= limit
    return value < limit if strict else value <= limit


def judge(
    target: dict, series: list[dict], indicator: dict, as_of: str, reported: list[str], bounds: tuple = (None, None)
) -> Verdict:
    """One target's verdict as of a period, from its indicator's shown figures for the same
    breakdown (in time order, with their series `segment`). bounds: the unit's range (a
    share lies in 0-100), which a projection never leaves."""
    deadline = end(target["target_period"])
    higher = bool(indicator["higher_is_better"])
    known = [o for o in series if end(o["period"]) <= end(as_of)]
    usable = known
    if indicator["measure"] == "flow":
        usable = [o for o in known if months(o["period"]) == months(target["target_period"])]
    if deadline <= end(as_of):
        before = [o for o in usable if end(o["period"]) <= deadline]
        last = before[-1] if before else None
        if last is not None and (deadline - end(last["period"])).days <= WINDOW_DAYS:
            reached = meets(last["value"], last["value_kind"], target, higher)
            return Verdict(target, "met" if reached else "missed", figure=last)
        after = [o for o in usable if end(o["period"]) > deadline]
        other = [o for o in known if o not in usable and end(o["period"]) <= deadline]
        return Verdict(
            target,
            "no_figure",
            last_before=last,
            first_after=after[0] if after else None,
            other_length=other[-1] if other else None,
        )
    other = [o for o in known if o not in usable]  # a flow's figures for periods of other lengths
    other_length = other[-1] if other else None
    if not usable:
        return Verdict(target, "too_little_data", reason="no_figure", other_length=other_length)
    latest = usable[-1]
    if meets(latest["value"], latest["value_kind"], target, higher):
        return Verdict(target, "met_early", figure=latest)
    if other_length is not None and end(other_length["period"]) <= end(latest["period"]):
        other_length = None  # shown only when newer than the figures that count
    if not is_recent(latest["period"], reported, as_of):
        return Verdict(target, "too_little_data", figure=latest, reason="not_recent", other_length=other_length)
    earlier = [o for o in usable[:-1] if end(o["period"]) < end(latest["period"])]
    if not earlier:
        return Verdict(target, "too_little_data", figure=latest, reason="one_figure", other_length=other_length)
    previous = earlier[-1]
    if why_not_comparable(latest, previous, indicator["measure"]) is not None:
        return Verdict(target, "too_little_data", figure=latest, previous=previous, reason="not_comparable")
    years = (end(latest["period"]) - end(previous["period"])).days / 365.25
    rate = (float(latest["value"]) - float(previous["value"])) / years
    projected = float(latest["value"]) + rate * (deadline - end(latest["period"])).days / 365.25
    low, high = bounds
    projected = min(projected, high) if high is not None else projected
    projected = max(projected, low) if low is not None else projected
    on_track = meets(projected, "reported", target, higher)
    return Verdict(target, "on_track" if on_track else "off_track", latest, previous, projected)


def target_verdicts(
    indicators: dict[str, dict], observations: dict, targets: dict, as_of: str, reported: list[str], bounds: dict
) -> list[Verdict]:
    """Every shown target's verdict as of a period, in indicator then deadline order. bounds:
    indicator id -> its unit's (minimum, maximum)."""
    out = []
    for indicator_id, rows in targets.items():
        series = observations.get(indicator_id, [])
        for t in rows:
            own = [o for o in series if o["breakdown"] == t["breakdown"]]
            out.append(judge(t, own, indicators[indicator_id], as_of, reported, bounds[indicator_id]))
    return out


def headline(verdicts: list[Verdict], breakdown: str) -> Verdict | None:
    """The verdict an indicator is summed up by: its next target not yet due (for the
    breakdown it is summed up by), else its latest due target."""
    own = [v for v in verdicts if v.breakdown == breakdown] or verdicts
    upcoming = sorted((v for v in own if not v.is_due), key=lambda v: end(v.target_period))
    if upcoming:
        return upcoming[0]
    due = sorted(own, key=lambda v: end(v.target_period))
    return due[-1] if due else None


def target_for(figure: dict, verdicts: list[Verdict], measure: str) -> Verdict | None:
    """The target a figure is read against on its period's page: the first (same breakdown)
    whose deadline is no earlier than the figure's period end; for a flow, of the same
    length. A period page never judges a past deadline with a later figure: a target whose
    deadline came before the figure is not this figure's target."""
    for v in sorted(verdicts, key=lambda v: end(v.target_period)):
        if v.breakdown != figure["breakdown"] or end(v.target_period) < end(figure["period"]):
            continue
        if measure == "flow" and months(v.target_period) != months(figure["period"]):
            continue
        return v
    return None


def counts(verdicts: list[Verdict]) -> dict[str, int]:
    """How many targets have each verdict (every verdict listed, zeros included)."""
    out = dict.fromkeys(VERDICTS, 0)
    for v in verdicts:
        out[v.verdict] += 1
    return out


def by_year(verdicts: list[Verdict]) -> list[dict]:
    """Per deadline year: the targets and how many have each verdict."""
    years: dict[int, dict] = {}
    for v in verdicts:
        row = years.setdefault(v.year, {"year": v.year, "total": 0, "verdicts": [], **dict.fromkeys(VERDICTS, 0)})
        row["total"] += 1
        row[v.verdict] += 1
        row["verdicts"].append(v)
    return [years[y] for y in sorted(years)]
