"""Search: in the reader's language, with or without tone marks, light on the network, exact
names first."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from .conftest import LANGS, _open_search


def test_search_dialog_is_named_and_escape_returns_focus(page, server):
    page.goto(f"{server}/")
    opener = page.locator(".sb-search-open")
    opener.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Tìm kiếm trên trang")
    assert dialog.is_visible()
    field = page.get_by_label("Từ cần tìm (gõ có dấu hay không dấu đều được)")
    assert field.evaluate("el => el === document.activeElement")
    field.press_sequentially("dien thoai", delay=20)
    page.locator("#sb-search-results a").first.wait_for(timeout=15000)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.closest('#sb-search-results') !== null")
    page.keyboard.press("Escape")  # from the results: back to the field, dialog still open
    assert field.evaluate("el => el === document.activeElement")
    assert dialog.is_visible()
    assert field.evaluate("el => getComputedStyle(el).outlineStyle") != "none"  # the field shows focus
    page.keyboard.press("Escape")  # from the field: closed, focus back on the button
    assert not dialog.is_visible()
    assert opener.evaluate("el => el === document.activeElement")


@pytest.mark.parametrize("query", ["dien thoai", "điện thoại", "dien thoai thong minh"])
def test_vietnamese_search_finds_an_indicator_with_or_without_tone_marks(page, server, query):
    page.goto(f"{server}/")
    hrefs = _open_search(page, query)
    assert hrefs[0] == "/indicators/share-none/", hrefs  # its title: "... điện thoại thông minh ..."
    first = page.locator("#sb-search-results li").first
    text = first.inner_text()
    assert "điện thoại thông minh" in text and "dien thoai" not in text  # the page's own text
    assert "Trụ cột Kinh tế số" in text  # a term and its value are two words, not "Trụ cộtKinh"


# "dien" alone also matches "diễn", which may outrank every "điện" page in the first ten
# results; "dien thoai" ranks a page with "điện thoại" first (the test above).
@pytest.mark.parametrize("query, expected", [("dien thoai", "điện"), ("dat", "đạt")])
def test_typing_d_finds_words_with_dj(page, server, query, expected):
    """Readers type "d" for "đ" (Pagefind folds tone marks but not "đ"): the words found are
    marked in the pages' own text."""
    page.goto(f"{server}/")
    _open_search(page, query)
    marked = [w.lower().strip("(*.,:;") for w in page.locator("#sb-search-results mark").all_inner_texts()]
    assert expected in marked, marked


def test_search_loads_only_its_own_language_and_nothing_before_a_search(page, server):
    page.goto(f"{server}/en/indicators/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in page.requests if "/pagefind/" in url]  # a first visit: no index
    hrefs = _open_search(page, "smartphone")
    assert hrefs and all(h.startswith("/en/") for h in hrefs), hrefs
    assert hrefs[0] == "/en/indicators/share-none/", hrefs
    pieces = [urlparse(url).path.rsplit("/", 1)[-1] for url in page.requests if "/pagefind/" in url]
    assert any(p.startswith("en_") for p in pieces) and not any(p.startswith("vi_") for p in pieces), pieces
    hosts = {urlparse(url).hostname for url in page.requests}
    assert hosts == {"127.0.0.1"}, hosts


SEARCH_BUDGET = 150_000  # bytes a first search may transfer, Pagefind's own files included


FIRST_SEARCH = {"vi": "dien thoai", "en": "smartphone"}


@pytest.mark.parametrize("lang", LANGS)
def test_a_first_search_transfers_at_most_150_kb(browser, compressing_server, lang):
    """From the click on the search button to the results on screen, in Chromium at phone width:
    Pagefind's script, engine and index metadata, the index pieces the query's words need and the
    pieces of the results shown (nothing else). Bytes as sent (text gzip-compressed by the host);
    the measurement is printed (pytest -s)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(compressing_server + LANGS[lang])
        page.wait_for_load_state("networkidle")
        finished, failed = [], []
        page.on("requestfinished", lambda request: finished.append(request))
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.locator(".sb-search-open").click()
        page.locator("#sb-search-input").press_sequentially(FIRST_SEARCH[lang], delay=80)
        results = page.locator("#sb-search-results li")
        results.first.wait_for(timeout=15000)
        page.wait_for_load_state("networkidle")
        shown = results.count()
        excerpts = " ".join(results.all_inner_texts())
    finally:
        names = [urlparse(r.url).path for r in finished]
        sent = sum(r.sizes()["responseBodySize"] for r in finished)
        context.close()
    print(f"\nfirst search ({lang}, {FIRST_SEARCH[lang]!r}): {len(names)} requests, {sent / 1e3:.1f} KB")
    assert failed == []
    assert sent <= SEARCH_BUDGET, names
    assert all("/pagefind/" in n for n in names), names
    assert not [n for n in names if "worker" in n]  # the engine runs on the page: no second script
    fragments = [n for n in names if "/fragment/" in n]
    assert 0 < len(fragments) == shown <= 5  # only the pieces of the results shown
    other = "en" if lang == "vi" else "vi"
    assert not [n for n in names if n.rsplit("/", 1)[-1].startswith(other + "_")]
    for phrase in ("Địa chỉ trang này", "Address of this page"):
        assert phrase not in excerpts


def test_search_starts_once_the_reader_pauses_and_shows_more_on_demand(page, server):
    fragments = []
    page.on("request", lambda request: "/fragment/" in request.url and fragments.append(request.url))
    page.goto(f"{server}/en/")
    page.locator(".sb-search-open").click()
    page.locator("#sb-search-input").press_sequentially("test province", delay=60)
    results = page.locator("#sb-search-results li")
    results.first.wait_for(timeout=15000)
    page.wait_for_load_state("networkidle")
    assert results.count() == 5
    assert len(fragments) == 5  # no search for "t", "te", ... on the way: their pieces were never fetched
    status = page.locator("#sb-search-status").inner_text()
    total = int("".join(c for c in status if c.isdigit()))
    assert total > 5
    more = page.get_by_role("button", name="Show more results")
    more.click()
    page.wait_for_function("() => document.querySelectorAll('#sb-search-results li').length > 5")
    page.wait_for_load_state("networkidle")
    shown = results.count()
    assert shown == min(total, 10) and len(fragments) == shown
    sixth = results.nth(5).locator("a")
    assert sixth.evaluate("a => a === document.activeElement")  # focus on the first new result
    assert more.is_visible() == (total > 10)


def _search_now(page, query):
    """Types the query at once and presses Enter (no pause needed); returns the results' addresses."""
    field = page.locator("#sb-search-input")
    field.fill(query)
    field.press("Enter")
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.closest('#sb-search-results') !== null",
        timeout=15000,
    )
    hrefs = page.locator("#sb-search-results a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    page.keyboard.press("Escape")  # back to the field
    return hrefs


@pytest.mark.parametrize("lang", LANGS)
def test_an_agency_searched_by_its_name_comes_first(page, server, synthetic, lang):
    """Typing a province's or ministry's exact name (with or without tone marks) lists its own
    page first, not a page that only mentions it (English "Test Province C" once listed the
    league tables first)."""
    page.goto(server + LANGS[lang])
    page.locator(".sb-search-open").click()
    wrong = []
    for agency_id, agency in synthetic.agencies.iterrows():
        expected = f"{LANGS[lang]}agencies/{agency_id}/"
        for query in {agency[f"name_{lang}"], _fold(agency[f"name_{lang}"])}:
            hrefs = _search_now(page, query)
            if not hrefs or hrefs[0] != expected:
                wrong.append((query, hrefs[:3]))
    assert wrong == []


def _fold(text):
    import unicodedata

    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def test_english_search_finds_british_spellings_typed_the_american_way(page, server):
    """ "license" finds the pages that say "licence" (as "fiber" finds "fibre" on the real site):
    a short table of spellings in mkdocs.en.yml, searched alongside."""
    page.goto(f"{server}/en/")
    _open_search(page, "license")
    page.wait_for_load_state("networkidle")
    marked = [w.lower().strip("(*.,:;") for w in page.locator("#sb-search-results mark").all_inner_texts()]
    assert "licence" in marked, marked
