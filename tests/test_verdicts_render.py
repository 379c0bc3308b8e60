"""One verdict per target, told the same way everywhere (issue 25): every page that names a
target shows its verdict and no other, the indicator page leads with the verdict and its
evidence, the home page answers in its first lines, period pages never judge a past deadline
with a later figure, and charts label each target with its verdict. On the synthetic fixture
(sentences checked word for word) and on whatever data/ holds (properties only)."""

from __future__ import annotations

import html as html_mod
import re
from pathlib import Path

import pytest

from scoreboard.derive import derive_all
from scoreboard.pages.formatting import Locale

MENTION = re.compile(r'data-target="([^"]+)" data-verdict="([^"]+)"')


def _text(fragment: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", html_mod.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


def _pages(site: Path):
    for path in sorted(site.rglob("*.html")):
        if "pagefind" not in path.parts:
            yield path, path.read_text(encoding="utf-8")


def _every_mention_agrees(site: Path, derived) -> int:
    expected = {v.key: v.verdict for v in derived.verdicts}
    mentions = 0
    for path, page in _pages(site):
        for key, verdict in MENTION.findall(page):
            assert key in expected, (path, key)
            assert verdict == expected[key], (path, key, verdict, expected[key])
            mentions += 1
    return mentions


def test_every_page_naming_a_target_shows_its_one_verdict(built, dataset):
    """Whatever data/ holds: every mention of a target (data-target) on every page, in both
    languages, carries the verdict the derive stage gave it, and each target is named, with
    its sentence, on its indicator page."""
    derived = derive_all(dataset)
    assert _every_mention_agrees(built, derived) >= len(derived.verdicts)
    for v in derived.verdicts:
        for prefix in ("", "en/"):
            page = (built / f"{prefix}indicators/{v.indicator_id}/index.html").read_text(encoding="utf-8")
            sentences = re.findall(rf'<span class="sb-verdict [^"]*" data-target="{re.escape(v.key)}"', page)
            assert len(sentences) >= 1, (prefix, v.key)


def test_the_fixture_pages_agree_with_the_fixture_verdicts(synthetic_built, synthetic):
    assert _every_mention_agrees(synthetic_built, derive_all(synthetic)) > 0


def _lead(site: Path, page: str) -> str:
    html = (site / page).read_text(encoding="utf-8")
    return _text(re.search(r'<p class="sb-lead-verdict">(.*?)</p>', html, re.S).group(1))


def test_the_indicator_page_leads_with_the_verdict_and_its_evidence(synthetic_built):
    assert _lead(synthetic_built, "en/indicators/verdict-not-met/index.html") == (
        "✖ Missed: 73.5% at the end of 2023; target 85% by the end of 2023"
    )
    assert _lead(synthetic_built, "indicators/verdict-not-met/index.html") == (
        "✖ Không đạt: 73,5\u00a0% vào cuối năm 2023; mục tiêu 85\u00a0% đến cuối năm 2023"
    )
    assert _lead(synthetic_built, "en/indicators/share-single/index.html") == (
        "… Too little data: only one figure so far, 30% at mid-2024, and one figure makes no trend; "
        "target 50% by the end of 2025"
    )
    assert _lead(synthetic_built, "en/indicators/share-met/index.html") == (
        "✔ Met: 80% at mid-2024, the last figure before the deadline; target 75% by the end of 2024"
    )
    assert (
        _lead(synthetic_built, "en/indicators/share-none/index.html") == "The reports set no target for this indicator."
    )


def test_no_figure_says_which_figures_do_not_count(synthetic_built):
    html = (synthetic_built / "en/indicators/verdict-year-before/index.html").read_text(encoding="utf-8")
    sentence = _text(re.search(r'<p class="sb-lead-verdict">(.*?)</p>', html, re.S).group(1))
    assert sentence == (
        "? No figure at the deadline: target 50% by the end of 2023; the last figure before it, 60% at the end "
        "of 2022, is more than six months older; a later figure (70% at mid-2024) does not count"
    )
    flow = _lead(synthetic_built, "en/indicators/flow-revenue/index.html")
    assert (
        "VND\u00a0160\u00a0billion in the first half of 2024 is for a period of another length and does not count"
        in flow
    )


def test_the_same_sentence_wherever_it_is_spelled_out(synthetic_built):
    """The lead, the indicator's list of targets and the home page's list say the same words."""
    for prefix in ("", "en/"):
        page = (synthetic_built / f"{prefix}indicators/verdict-not-met/index.html").read_text(encoding="utf-8")
        home = (synthetic_built / f"{prefix}index.html").read_text(encoding="utf-8")
        pattern = r'<span class="sb-verdict sb-v--missed" data-target="verdict-not-met/nationwide/2023"[^>]*>(.*?)</span>\s*</'
        spelled = {_text(s) for s in re.findall(pattern, page + home, re.S)}
        assert len(spelled) == 1, spelled


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_home_answers_first_due_apart_from_open_with_words_and_no_zero(synthetic_built, synthetic, lang):
    derived = derive_all(synthetic)
    loc = Locale(lang)
    home = (synthetic_built / ("en/" if lang == "en" else "") / "index.html").read_text(encoding="utf-8")
    answer = home[home.index('<div class="sb-answer">') : home.index("</div>", home.index('<div class="sb-answer">'))]
    assert home.index('<div class="sb-answer">') < home.index('id="targets-by-year"')  # before everything else
    tallies = re.findall(r'<ul class="sb-tally">(.*?)</ul>', answer, re.S)
    due, open_ = tallies
    for tally, verdict_list in ((due, derived.due()), (open_, derived.open())):
        shown = dict(
            re.findall(r'data-verdict="(\w+)"><span aria-hidden="true">[^<]+</span> <strong>(\d+)</strong>', tally)
        )
        counted = {}
        for v in verdict_list:
            counted[v.verdict] = counted.get(v.verdict, 0) + 1
        assert shown == {k: str(n) for k, n in counted.items()}  # every verdict with a count, no zero
        for code in shown:
            assert loc.t(f"verdict.{code}").lower() in _text(tally)
    assert set(re.findall(r'data-verdict="(\w+)"', due)) <= {"met", "missed", "no_figure"}
    assert 'href="#no-target"' in answer and "sb-card" not in home


def test_indicators_without_a_target_are_one_list_not_table_rows(synthetic_built, synthetic):
    derived = derive_all(synthetic)
    without = [i for i, h in derived.headlines.items() if h.verdict is None]
    home = (synthetic_built / "en/index.html").read_text(encoding="utf-8")
    listed = home[home.index('id="no-target"') :]
    for indicator_id in without:
        assert f'href="indicators/{indicator_id}/"' in listed
        row = re.search(rf'<tr><th scope="row"><a href="indicators/{re.escape(indicator_id)}/"', home)
        assert row is None, indicator_id


def test_a_period_page_shows_no_verdict_for_a_deadline_before_its_figures(synthetic_built):
    """verdict-not-met reached 90 in 2024-H1, after its 2023 deadline (missed): the 2024-H1 page
    shows no target for that figure, never "met"; the 2023 page shows the verdict, missed."""
    for prefix in ("", "en/"):
        page = (synthetic_built / f"{prefix}periods/2024-H1/index.html").read_text(encoding="utf-8")
        row = re.search(r'<tr><th scope="row"><a href="../../indicators/verdict-not-met/".*?</tr>', page, re.S).group(0)
        assert "data-verdict" not in row
        earlier = (synthetic_built / f"{prefix}periods/2023/index.html").read_text(encoding="utf-8")
        row = re.search(
            r'<tr><th scope="row"><a href="../../indicators/verdict-not-met/".*?</tr>', earlier, re.S
        ).group(0)
        assert 'data-verdict="missed"' in row


def test_a_change_that_cannot_be_computed_says_why(synthetic_built):
    for prefix, words in (("en/", "periods of different length"), ("", "kỳ cùng độ dài")):
        page = (synthetic_built / f"{prefix}periods/2022/index.html").read_text(encoding="utf-8")
        row = re.search(r'<tr><th scope="row"><a href="../../indicators/flow-revenue/".*?</tr>', page, re.S).group(0)
        assert 'data-reason="different_lengths"' in row and words.split()[-1] in _text(row)
    page = (synthetic_built / "en/periods/2024-H1/index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr><th scope="row"><a href="../../indicators/series-break/".*?</tr>', page, re.S).group(0)
    assert 'data-reason="series_break"' in row


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_charts_label_each_target_with_its_verdict(synthetic_built, synthetic, lang):
    derived = derive_all(synthetic)
    loc = Locale(lang)
    folder = synthetic_built / ("en" if lang == "en" else "")
    for indicator_id, own in derived.verdicts_by_indicator.items():
        chart = folder / "indicators" / f"{indicator_id}.svg"
        if not chart.exists():
            continue
        text = html_mod.unescape(
            " ".join(re.findall(r"<text[^>]*>(.*?)</text>", chart.read_text(encoding="utf-8"), re.S))
        )
        for v in own:
            assert f"· {loc.t('verdict.' + v.verdict)}" in text, (indicator_id, v.key)
