"""Everything a reader sees in one language: translated interface text, and numbers,
periods and dates in that language's conventions (vi: 71,79 %, 1.418; en: 71.79%, 1,418).

Interface text lives in translations/<lang>.yml, one table per language.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import yaml
from babel.dates import format_date

from scoreboard.data import periods as periods_mod
from scoreboard.data.model import is_missing
from scoreboard.data.text import number_text
from scoreboard.derive.series import why_not_comparable

LANGUAGES = ("vi", "en")
NBSP = "\u00a0"
TRANSLATIONS = Path(__file__).parent / "translations"


# libyaml's safe loader where PyYAML was built with it (the wheels are): the same tables,
# read in a fraction of the time that every language's process spends on them otherwise
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def translations(lang: str) -> dict:
    return yaml.load((TRANSLATIONS / f"{lang}.yml").read_text(encoding="utf-8"), Loader=_SAFE_LOADER)


@cache
def _month_name(month: int, lang: str) -> str:
    return format_date(dt.date(2000, month, 1), format="LLLL", locale=lang)


class Locale:
    """Formatting for one language; templates receive one as `loc`."""

    def __init__(self, lang: str):
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang}")
        self.lang = lang
        self.table = translations(lang)

    # --- text -----------------------------------------------------------------------------

    def t(self, key: str, **values) -> str:
        node = self.table
        for part in key.split("."):
            node = node[part]
        return node.format(**values) if values else node

    def describe(self, resource: str, field: dict, *fallbacks: str) -> str:
        """A schema field's description: the schema's own (English), or the translation table's:
        the resource's own entry, else the first of `fallbacks` (other entries) that has one,
        else the shared one."""
        table = self.table.get("dictionary")
        if table is None:
            return field.get("description", "")
        for entry in (resource, *fallbacks):
            own = table.get(entry, {}).get(field["name"])
            if own:
                return own
        return table["_"][field["name"]]

    def field(self, row, name: str) -> str:
        """The `name_vi` / `name_en` style column of a data row in this language."""
        return row[f"{name}_{self.lang}"]

    def agency_name(self, agency, qualifier: tuple[str, str] | None = None) -> str:
        """An agency's name, with the date that tells it from another of the same name."""
        name = self.field(agency, "name")
        if not qualifier:
            return name
        return self.t(f"agency_name.{qualifier[0]}", name=name, date=self.date(qualifier[1]))

    # --- numbers --------------------------------------------------------------------------

    def number(self, x) -> str:
        if is_missing(x):
            return ""
        return number_text(float(x), self.lang)

    def signed(self, x) -> str:
        if is_missing(x):
            return ""
        text = self.number(abs(x))
        return ("+" if x > 0 else "−" if x < 0 else "±") + text

    def with_unit(self, text: str, unit) -> str:
        unit_id = unit["id"]
        if unit_id in ("percent", "percent_change"):
            return f"{text}{NBSP}%" if self.lang == "vi" else f"{text}%"
        symbol = unit[f"symbol_{self.lang}"]
        if not symbol or unit_id == "agencies":
            return text
        if unit_id == "vnd_billion" and self.lang == "en":
            return f"VND{NBSP}{text}{NBSP}billion"
        return f"{text}{NBSP}{symbol}"

    def value(self, obs, unit) -> str:
        """A figure as the report states it: bounds, estimates, and x/y where given."""
        kind = obs["value_kind"]
        has_ratio = not is_missing(obs.get("denominator")) and unit["id"] in ("agencies", "count")
        core = (
            f"{self.number(obs['value'])}/{self.number(obs['denominator'])}"
            if has_ratio
            else self.with_unit(self.number(obs["value"]), unit)
        )
        prefix = self.table["value_prefix"].get(kind, "")
        suffix = self.table["value_suffix"].get(kind, "")
        return f"{prefix}{core}{suffix}"

    def target(self, target, unit) -> str:
        if target is None:
            return ""
        if is_missing(target["value"]):
            core = self.with_unit(f"{self.number(target['low'])}–{self.number(target['high'])}", unit)
        else:
            core = self.with_unit(self.number(target["value"]), unit)
        if target["comparison"] == "more_than":
            return f"{self.t('comparison.more_than')} {core}"
        return core

    def figure(self, obs, unit, measure: str) -> str:
        """A figure and when it holds: "71,79 % vào giữa năm 2022" for a level (a position at
        the period's end), "1.418 tỷ đồng trong 6 tháng đầu năm 2022" for a flow."""
        when = self.period(obs["period"], "in" if measure == "flow" else "at")
        return self.t("verdict_text.figure", value=self.value(obs, unit), when=when)

    def verdict(self, v, unit, measure: str) -> str:
        """A target's verdict (derive.verdicts.Verdict) with its evidence, as one sentence
        without the verdict's name: the text every page, alt text and chart says."""
        by = self.period(v.target_period, "by")
        target = self.t("verdict_text.target", target=self.target(v.target, unit), by=by)
        figure = self.figure(v.figure, unit, measure) if v.figure else ""
        if v.verdict in ("met", "missed"):
            return self.t(
                "verdict_text.decided" if v.at_deadline else "verdict_text.decided_before", figure=figure, target=target
            )
        if v.verdict == "met_early":
            return self.t("verdict_text.decided", figure=figure, target=target)
        if v.verdict in ("on_track", "off_track"):
            projected = self.with_unit(self.number(round(v.projected, 1)), unit)
            previous = self.figure(v.previous, unit, measure)
            return self.t(
                "verdict_text.trend", figure=figure, previous=previous, projected=projected, by=by, target=target
            )
        notes = []
        if v.verdict == "no_figure":
            if v.last_before:
                notes.append(self.t("verdict_text.last_before", figure=self.figure(v.last_before, unit, measure)))
            elif not v.other_length:
                notes.append(self.t("verdict_text.none_before"))
            if v.first_after:
                notes.append(self.t("verdict_text.after", figure=self.figure(v.first_after, unit, measure)))
            text = self.t("verdict_text.no_figure", target=target, evidence="; ".join(notes) if notes else "")
            notes = []
        elif v.reason == "no_figure":
            text = self.t("verdict_text.no_figures", target=target)
        elif v.reason == "not_comparable":
            why = self.t(f"change.{why_not_comparable(v.figure, v.previous, measure)}")
            previous = self.figure(v.previous, unit, measure)
            text = self.t("verdict_text.not_comparable", figure=figure, previous=previous, why=why, target=target)
        else:  # one_figure, not_recent
            text = self.t(f"verdict_text.{v.reason}", figure=figure, target=target)
        if v.other_length:
            notes.append(self.t("verdict_text.other_length", figure=self.figure(v.other_length, unit, measure)))
        return "; ".join([text.rstrip("; "), *notes])

    def change(self, delta, unit) -> str:
        if is_missing(delta):
            return ""
        if unit["id"] in ("percent", "percent_change"):
            return f"{self.signed(delta)}{NBSP}{self.t('words.percentage_points')}"
        return self.with_unit(self.signed(delta), unit)

    # --- periods and dates ----------------------------------------------------------------

    def period(self, period_id: str, style: str = "period") -> str:
        """style: 'period' (long), 'period_short' (charts) or 'deadline' (targets)."""
        p = periods_mod.parse(period_id)
        part = p.part
        templates = self.table[style]
        if part is None:
            return templates["year"].format(year=p.year)
        if part.startswith("Q"):
            return templates["Q"].format(year=p.year, quarter=part[1])
        return templates[part].format(year=p.year)

    def date(self, text: str) -> str:
        """Dates as precise as the source gives them: 2022, 2022-08 or 2022-12-25."""
        if is_missing(text):
            return self.t("words.not_stated")
        parts = [int(x) for x in text.split("-")] + [1, 1]
        day = dt.date(*parts[:3])
        values = {
            "year": day.year,
            "month": day.month,
            "day": day.day,
            "month_name": _month_name(day.month, self.lang),
        }
        precision = {1: "year", 2: "month", 3: "day"}[text.count("-") + 1]
        return self.t(f"date.{precision}", **values)
