"""Targets judged at their deadline (issue 11), as readers see them: a sentence per target at
the top of its indicator page, and counts per deadline year on the home page with the list
one link away, in both languages (synthetic fixture); and, on whatever data/ holds, exactly
one verdict on its indicator page for every target that is due."""

from __future__ import annotations

import html as html_mod
import re

from scoreboard.data import periods
from scoreboard.derive import series, verdicts


def _verdict_paragraphs(page: str) -> list[tuple[str, str, str]]:
    found = re.findall(r'<p class="sb-verdict[^"]*" data-target="([^"]+)" data-verdict="([^"]+)">(.*?)</p>', page, re.S)
    return [
        (t, v, re.sub(r"[ \t\r\n]+", " ", html_mod.unescape(re.sub(r"<[^>]+>", "", body))).strip())
        for t, v, body in found
    ]


def test_indicator_page_states_each_verdict_in_both_languages(synthetic_built):
    vi = _verdict_paragraphs((synthetic_built / "indicators/verdict-not-met/index.html").read_text(encoding="utf-8"))
    en = _verdict_paragraphs((synthetic_built / "en/indicators/verdict-not-met/index.html").read_text(encoding="utf-8"))
    assert [(t, v) for t, v, _ in vi] == [(t, v) for t, v, _ in en] == [("2023/nationwide", "not_met")]
    assert vi[0][2].endswith("Mục tiêu đến cuối năm 2023: 85\u00a0% — chưa đạt: 73,5\u00a0% (tính đến cuối năm 2023).")
    assert en[0][2].endswith("Target for end of 2023: 85% — not met: 73.5% at end of 2023.")


def test_indicator_page_says_which_figures_do_not_count(synthetic_built):
    en = _verdict_paragraphs((synthetic_built / "en/indicators/verdict-year-before/index.html").read_text("utf-8"))
    assert [v for _, v, _ in en] == ["no_figure"]
    sentence = en[0][2]
    assert "no figure at the deadline" in sentence
    assert "last figure before it: 60% at end of 2022" in sentence
    assert "after the deadline (the first: 70% at end of June 2024) do not count" in sentence
    vi = _verdict_paragraphs((synthetic_built / "indicators/share-stale/index.html").read_text("utf-8"))
    assert [(t, v) for t, v, _ in vi] == [("2022/nationwide", "met"), ("2025/nationwide", "not_due")]
    assert "đạt: 90\u00a0% (tính đến hết 6 tháng đầu năm 2022), số liệu cuối cùng trước thời hạn" in vi[0][2]
    assert vi[1][2].endswith("chưa đến hạn.")


def test_home_page_counts_verdicts_per_year_and_lists_them(synthetic_built):
    for page, words in (
        ("index.html", ("1 đạt, 2 chưa đạt, 3 không có số liệu đúng hạn", "Mục tiêu đến cuối năm 2023: 85")),
        ("en/index.html", ("1 met, 2 not met, 3 with no figure at the deadline", "Target for end of 2023: 85%")),
    ):
        home = (synthetic_built / page).read_text(encoding="utf-8")
        row = re.search(r'<tr data-year="2023">.*?</tr>', home, re.S).group(0)
        counts = dict(re.findall(r'data-count="(\w+)"[^>]*>(\d+)<', row))
        assert counts == {"total": "6", "met": "1", "not_met": "2", "no_figure": "3", "not_due": "0"}
        assert 'href="#targets-2023"' in row and 'id="targets-2023"' in home  # one step to the list
        section = home[home.index('id="targets-2023"') : home.index('id="targets-2024"')]
        text = re.sub(r"[ \t\r\n]+", " ", html_mod.unescape(re.sub(r"<[^>]+>", "", section)))
        assert words[0] in text and words[1] in text
        assert section.count("<li data-verdict=") == 6
        assert 'href="indicators/verdict-not-met/"' in section


def test_home_page_shows_the_verdict_where_every_target_is_due(synthetic_built):
    home = (synthetic_built / "en/index.html").read_text(encoding="utf-8")
    row = re.search(r"<tr><th scope=\"row\"><a href=\"indicators/verdict-not-met/\">.*?</tr>", home, re.S).group(0)
    assert "sb-status--past_deadline" in row and "sb-verdict-label--not_met" in row
    assert 'href="#targets-2023"' in row


def test_every_due_target_has_exactly_one_verdict_on_its_page(built, dataset):
    """Property of whatever data/ holds (no figure pinned)."""
    as_of_end = periods.parse(series.latest_period(dataset)).end
    for t in series.shown_targets(dataset).to_dict("records"):
        if periods.parse(t["target_period"]).end > as_of_end:
            continue
        for prefix in ("", "en/"):
            page = (built / f"{prefix}indicators/{t['indicator_id']}/index.html").read_text(encoding="utf-8")
            shown = [v for key, v, _ in _verdict_paragraphs(page) if key == f"{t['target_period']}/{t['breakdown']}"]
            assert len(shown) == 1 and shown[0] in verdicts.VERDICTS[:3], (prefix, t["indicator_id"], shown)
