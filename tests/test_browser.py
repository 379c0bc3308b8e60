"""The built site in a real headless Chromium (Debian's, driven by Playwright).

Runs on the synthetic set (tests/fixtures/synthetic, built once in conftest), so that no
figure of data/ is named here. Skipped when no Chromium is installed, unless REQUIRE_BROWSER=1
(set by .ci/run), which turns a missing browser into a failure: CI never passes by skipping
these. The accessibility checks install axe-core themselves (`npm ci`) when it is missing.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import shutil
import subprocess
import threading
from urllib.parse import urlparse

import pytest

from scoreboard.site import serve

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("REQUIRE_BROWSER") == "1"


def _skip_or_fail(reason):
    if REQUIRED:
        pytest.fail(f"browser tests are required (REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server(synthetic_built):
    handler = functools.partial(QuietHandler, directory=str(synthetic_built))
    httpd = serve.PreviewServer(("127.0.0.1", 0), handler)  # quiet when the browser drops a request
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        _skip_or_fail("no chromium executable was found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("the playwright package is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


def test_indicator_page_shows_its_chart_and_table(page, server):
    page.goto(f"{server}/indicators/share-met/")
    chart = page.locator("figure.sb-chart img")
    chart.wait_for()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 300")
    assert "Biểu đồ" in chart.get_attribute("alt")
    table = page.locator("table:has(caption)").first
    assert table.is_visible()
    assert table.locator("tbody tr").count() >= 3
    assert "80\u00a0%" in table.inner_text() and "30\u00a0%" in table.inner_text()
    hosts = {urlparse(url).hostname for url in page.requests}
    assert hosts == {"127.0.0.1"}, f"requests to other hosts: {hosts}"


def test_language_switch_leads_to_the_same_page(page, server):
    # The theme's script used to fetch a sitemap.xml beside every <link rel=alternate> and take
    # over clicks on language links with what it found (it once sent readers to the English home
    # page). No page asks for a sitemap now (test below); the switch is a plain link.
    page.goto(f"{server}/indicators/share-met/")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/indicators/share-met/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Test share met")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Tiếng Việt").click()
    page.wait_for_url(f"{server}/indicators/share-met/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert not [url for url in page.requests if "sitemap" in url]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/indicators/villages/",
        "/agencies/league-2024-H1-provinces/",
        "/agencies/tinh-b/",
        "/periods/2024-H1/",
        "/data/",
        "/en/",
        "/en/agencies/grades/",
    ],
)
def test_phone_width_has_no_horizontal_scroll_outside_wide_tables(browser, server, path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server + path)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(el => {
        const r = el.getBoundingClientRect();
        return r.right > document.documentElement.clientWidth + 1 && !el.closest('.sb-table-wrap')
            && getComputedStyle(el).position !== 'fixed' && r.width > 0;
    }).map(el => el.tagName + '.' + el.className).slice(0, 5)""")
    context.close()
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    assert wide == [], f"{path}: elements wider than the screen outside table boxes: {wide}"


def test_league_filter_finds_a_province_typed_without_tone_marks(page, server):
    page.goto(f"{server}/agencies/league-2024-H1-provinces/")
    box = page.get_by_label("Tìm cơ quan theo tên (gõ có dấu hay không dấu đều được)")
    box.fill("tinh thu nghiem b")
    visible = page.locator("#league-table tr:visible")
    assert visible.count() == 1
    assert "Tỉnh Thử Nghiệm B" in visible.first.inner_text()
    assert "Chưa đạt" in visible.first.inner_text()  # named as not having issued its plan
    assert page.locator(".sb-filter__count").inner_text() == "1/4 cơ quan"  # tinh-a, -b, -c, -e
    box.fill("Tỉnh Thử Nghiệm B")
    assert page.locator("#league-table tr:visible").count() == 1
    box.fill("")
    assert page.locator("#league-table tr:visible").count() == 4


def test_league_table_sorts_by_criteria_met_from_the_keyboard(page, server):
    page.goto(f"{server}/en/agencies/league-2024-H1-provinces/")
    button = page.get_by_role("button", name="Criteria met")
    button.focus()
    page.keyboard.press("Enter")
    header = page.locator(".sb-league thead th").filter(has=button)
    assert header.get_attribute("aria-sort") == "ascending"
    counts = page.locator("#league-table tr").evaluate_all(
        "rows => rows.filter(r => r.querySelector('td.sb-num')).map(r => r.querySelector('td.sb-num').textContent)"
    )  # the first number column: criteria met
    numbers = [int(x) for x in counts]
    assert numbers == sorted(numbers)


ROOT = os.path.dirname(os.path.dirname(__file__))
AXE = os.path.join(ROOT, "node_modules", "axe-core", "axe.min.js")


@pytest.fixture(scope="session")
def axe():
    """axe-core's script, installed from the lockfile (`npm ci`) on first use, as the README's
    setup runs only pip: the checks never skip because npm ran later."""
    if not os.path.exists(AXE):
        npm = shutil.which("npm")
        if not npm:
            _skip_or_fail("axe-core is not installed and npm is missing to install it (install Node.js)")
        result = subprocess.run(
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0 or not os.path.exists(AXE):
            pytest.fail(f"`npm ci` could not install axe-core:\n{result.stderr[-2000:]}")
    return AXE


# --- accessibility (issue 11) ---------------------------------------------------------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
PAGE_TYPES = [
    "",  # home
    "indicators/",
    "indicators/share-met/",
    "periods/",
    "periods/2024-H1/",
    "agencies/",
    "agencies/league-2024-H1-provinces/",
    "agencies/tinh-b/",
    "agencies/grades/",
    "data/",
    "methodology/",
    "about/",
    "404.html",
    "embed/share-met/",
]
LANGS = {"vi": "/", "en": "/en/"}
WIDTHS = [360, 1280]


def _violations(page, axe):
    """Every axe-core violation, of any impact, as one readable line each."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=axe)
    result = page.evaluate(f"async () => await axe.run(document, {{runOnly: {{type: 'tag', values: {AXE_TAGS}}}}})")
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
    ]


@pytest.fixture
def context_at(browser):
    contexts = []

    def make(width):
        phone = width < 600
        context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=phone, has_touch=phone)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_page_type_has_no_axe_violation(context_at, server, axe, lang, width):
    """axe-core, WCAG 2.0/2.1/2.2 A and AA plus best practices, every impact."""
    page = context_at(width).new_page()
    found = []
    for path in PAGE_TYPES:
        response = page.goto(server + LANGS[lang] + path)
        assert response.ok, path
        found += _violations(page, axe)
    assert found == []


def _open_search(page, query):
    page.locator(".sb-search-open").click()
    field = page.locator("#sb-search-input")
    field.press_sequentially(query, delay=20)
    page.locator("#sb-search-results li").first.wait_for(timeout=15000)
    return page.locator("#sb-search-results a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


QUERIES = {"vi": "dien thoai", "en": "smartphone"}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_reader_states_have_no_axe_violation(context_at, server, axe, lang, width):
    """Search open with results; the menu drawer open (phones); a league table filtered and sorted."""
    page = context_at(width).new_page()
    found = []
    page.goto(server + LANGS[lang] + "indicators/")
    assert _open_search(page, QUERIES[lang])
    found += _violations(page, axe)
    if width < 1220:
        page.goto(server + LANGS[lang] + "indicators/share-met/")
        page.locator(".sb-menu-button").click()
        assert page.locator("#__drawer").is_checked()
        page.wait_for_timeout(300)  # the drawer's slide
        found += _violations(page, axe)
    page.goto(server + LANGS[lang] + "agencies/league-2024-H1-provinces/")
    page.locator("#league-filter").fill("b")
    page.locator("th[data-sort] button").first.click()
    assert page.locator("th[aria-sort]").count() == 1
    found += _violations(page, axe)
    assert found == []


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


def _tab_stops(page, count=80):
    stops = []
    for _ in range(count):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("() => document.activeElement.className + ' ' + document.activeElement.tagName"))
        if page.evaluate("() => document.activeElement.closest('.md-sidebar--primary') !== null"):
            stops.append("DRAWER")
    return stops


def test_phone_menu_opens_from_the_keyboard_and_its_hidden_links_take_no_tab_stop(context_at, server):
    page = context_at(360).new_page()
    page.goto(f"{server}/indicators/share-met/")
    assert "DRAWER" not in _tab_stops(page)  # closed: its links are skipped
    button = page.get_by_role("button", name="Danh mục trang")
    button.focus()
    page.keyboard.press("Enter")
    assert page.locator("#__drawer").is_checked()
    assert button.get_attribute("aria-expanded") == "true"
    page.wait_for_timeout(300)
    assert page.evaluate("() => document.activeElement.closest('.md-sidebar--primary') !== null")
    assert page.locator(".md-sidebar--primary a").first.is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#__drawer").is_checked()
    assert button.evaluate("el => el === document.activeElement")
    assert button.get_attribute("aria-expanded") == "false"


def test_league_filter_box_shows_focus(page, server):
    page.goto(f"{server}/agencies/league-2024-H1-provinces/")
    box = page.locator("#league-filter")
    box.focus()
    page.keyboard.press("a")  # focus from the keyboard
    style = box.evaluate("el => [getComputedStyle(el).outlineStyle, parseFloat(getComputedStyle(el).outlineWidth)]")
    assert style[0] != "none" and style[1] >= 2


def test_heading_permalinks_are_named_not_read_as_pilcrow(page, server):
    page.goto(f"{server}/en/indicators/share-met/")
    tree = page.locator("article h2").first.aria_snapshot()
    assert "¶" not in tree
    assert 'link "Link to this section"' in tree


@pytest.mark.parametrize(
    "lang, heading, other",
    [("vi", "Không tìm thấy trang", "/en/"), ("en", "Page not found", "/")],
)
def test_404_page_at_any_depth_speaks_its_language_and_links_to_real_pages(page, server, lang, heading, other):
    """A web server shows 404.html at the missing address itself, at any depth."""
    body = (page.context.request.get(f"{server}{LANGS[lang]}404.html")).body()
    missing = f"{server}{LANGS[lang]}no/such/page/"
    page.route(missing, lambda route: route.fulfill(status=404, body=body, content_type="text/html"))
    page.goto(missing)
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").inner_text() == heading
    switch = page.locator(".sb-lang__link").evaluate("a => a.href")
    assert urlparse(switch).path in (other, other.rstrip("/") + "/")
    links = page.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
    internal = sorted({u.split("#")[0] for u in links if urlparse(u).hostname == "127.0.0.1"} - {missing})
    assert len(internal) >= 8  # home, the sections, the other language
    for url in internal:
        response = page.context.request.get(url)
        assert response.ok, url
        if url.endswith("/") and "html" in response.headers.get("content-type", ""):
            lang_of = "en" if urlparse(url).path.startswith("/en/") else "vi"
            assert f'<html lang="{lang_of}"' in response.text(), url


# --- phone first and printable (issue 11) ---------------------------------------------------------


@pytest.fixture
def phone(browser, server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


CELLS_OUTSIDE = """() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('table.sb-stack caption, table.sb-stack tbody th, table.sb-stack tbody td')]
        .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.left < -1 || r.right > width + 1); })
        .map(el => el.tagName + ': ' + el.textContent.trim().slice(0, 40));
}"""


@pytest.mark.parametrize(
    "path", ["/", "/indicators/share-met/", "/periods/2024-H1/", "/agencies/tinh-b/", "/en/", "/data/", "/en/data/"]
)
def test_phone_rows_show_every_cell_without_sideways_scrolling(phone, server, path):
    phone.goto(server + path)
    assert phone.locator("table.sb-stack").count() > 0
    assert phone.evaluate(CELLS_OUTSIDE) == []
    # each value is shown under its column's name (the header row is hidden on phones)
    labels = phone.locator("table.sb-stack tbody td").evaluate_all(
        "cells => cells.filter(c => c.getBoundingClientRect().width > 0)"
        ".map(c => getComputedStyle(c, '::before').content)"
    )
    assert labels and all(x not in ("none", "normal", '""') for x in labels), labels
    phone.set_viewport_size({"width": 320, "height": 740})
    assert phone.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


EVERY_CELL_OUTSIDE = CELLS_OUTSIDE.replace("table.sb-stack ", "table ")


@pytest.mark.parametrize("path", ["/agencies/grades/", "/en/agencies/grades/", "/indicators/", "/en/indicators/"])
def test_phone_tables_keep_every_column_in_view(phone, server, path):
    phone.goto(server + path)
    assert phone.locator("table").count() > 0
    assert phone.evaluate(EVERY_CELL_OUTSIDE) == []


def test_phone_home_row_shows_name_value_verdict_and_change(phone, server):
    phone.goto(server + "/en/")
    row = phone.locator("table.sb-scoreboard tbody tr").first
    for cell in row.locator("th, td").all():
        box = cell.bounding_box()
        assert box and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= 360
    labels = row.locator("td").evaluate_all("cells => cells.map(c => getComputedStyle(c, '::before').content)")
    assert labels == ['"Latest value"', '"Verdict"', '"Change"']


SHOWN_CELLS = """row => [...row.querySelectorAll('th, td')].filter(c => c.getBoundingClientRect().width > 0)
    .map(c => c.textContent.trim())"""


@pytest.mark.parametrize("lang", ["", "/en"])
def test_phone_league_leads_with_totals_and_shows_the_criterion_chosen(phone, server, lang):
    phone.goto(f"{server}{lang}/agencies/league-2024-H1-provinces/")
    wrap = phone.locator(".sb-league-wrap")
    # no box that scrolls inside the page: the page scrolls, and nothing is off the screen
    assert wrap.evaluate("w => w.scrollHeight <= w.clientHeight + 1 && w.scrollWidth <= w.clientWidth + 1")
    assert phone.evaluate(EVERY_CELL_OUTSIDE) == []
    headers = phone.locator(".sb-league thead tr").evaluate(SHOWN_CELLS)
    criteria = phone.locator(".sb-league thead th.sb-crit")
    first, second = criteria.nth(0).get_attribute("data-column"), criteria.nth(1).get_attribute("data-column")
    assert len(headers) == 5 and headers[4].startswith(criteria.nth(0).locator("abbr").inner_text())
    row = phone.locator("#league-table tr").first
    name, met, not_met, unknown, status = row.evaluate(SHOWN_CELLS)
    assert int(met) + int(not_met) + int(unknown) >= 1
    assert row.locator("td.sb-crit.sb-shown").get_attribute("data-value") in (
        "met",
        "not_met",
        "unknown",
        "not_applicable",
    )
    # the reader picks another criterion: its column replaces the first one
    phone.get_by_label("Tiêu chí hiển thị" if not lang else "Criterion shown").select_option(second)
    headers = phone.locator(".sb-league thead tr").evaluate(SHOWN_CELLS)
    assert len(headers) == 5 and headers[4].startswith(criteria.nth(1).locator("abbr").inner_text())
    assert phone.locator(f'.sb-league thead th[data-column="{first}"]').bounding_box() is None
    assert phone.evaluate(EVERY_CELL_OUTSIDE) == []
    # every criterion at once: the table scrolls sideways in its box, the names stay in view
    phone.locator("#league-criterion").select_option("")
    assert len(phone.locator(".sb-league thead tr").evaluate(SHOWN_CELLS)) == 4 + criteria.count()
    wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
    box = row.locator("th").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360


def test_phone_league_header_stays_under_the_site_header(phone, server):
    phone.goto(f"{server}/agencies/league-2024-H1-provinces/")
    # scrolled so that the table's top has passed under the site's header, its last row in view
    phone.evaluate("scrollTo(0, document.querySelector('#league-table').getBoundingClientRect().top + scrollY - 60)")
    assert phone.locator("#league-table tr").last.bounding_box()["y"] < 740
    head = phone.locator(".sb-league thead").bounding_box()
    site_header = phone.locator(".md-header").bounding_box()
    assert abs(head["y"] - (site_header["y"] + site_header["height"])) <= 2


def test_league_sort_shows_its_column_and_direction_and_starts_in_natural_order(page, server):
    page.goto(f"{server}/en/agencies/league-2024-H1-provinces/")
    sorted_header = page.locator(".sb-league th[aria-sort]")
    assert sorted_header.count() == 1 and sorted_header.get_attribute("aria-sort") == "descending"
    arrow = sorted_header.locator("button").evaluate("b => getComputedStyle(b, '::after').content")
    assert "▼" in arrow
    page.get_by_role("button", name="Agency").click()
    agency = page.locator(".sb-league thead th").first
    assert agency.get_attribute("aria-sort") == "ascending"  # names A to Z on the first click
    names = page.locator("#league-table th").all_inner_texts()
    assert names == sorted(names, key=str.casefold)
    status = page.locator(".sb-league thead th[data-sort='status']").first
    status.locator("button").click()
    assert status.get_attribute("aria-sort") == "descending"  # met first
    assert "▼" in status.locator("button").evaluate("b => getComputedStyle(b, '::after').content")


def test_league_compares_chosen_agencies_side_by_side(page, server):
    page.goto(f"{server}/en/agencies/league-2024-H1-provinces/")
    rows = page.locator("#league-table tr")
    total = rows.count()
    assert total >= 3
    rows.nth(0).locator("input.sb-pick").check()
    rows.nth(2).locator("input.sb-pick").check()
    page.get_by_role("button", name="Show only the chosen agencies").click()
    visible = page.locator("#league-table tr:visible")
    assert visible.count() == 2
    assert "#compare=" in page.url  # the choice can be shared
    page.reload()
    assert page.locator("#league-table tr:visible").count() == 2  # and comes back from the address
    page.get_by_role("button", name="Show every agency").click()
    assert page.locator("#league-table tr:visible").count() == total


def _first_image(page, url: str, selector: str, script: str):
    """What `script` finds in the first image of `selector` on the page, once it has loaded."""
    page.goto(url)
    img = page.locator(selector).first
    img.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    return img.evaluate(script)


SMALLEST_TEXT = """async img => {
    const svg = await (await fetch(img.currentSrc)).text();
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    const sizes = [...doc.querySelectorAll('text')].filter(t => t.textContent.trim())
        .map(t => parseFloat((t.getAttribute('style') || '').match(/font-size:\\s*([\\d.]+)/)?.[1]
                             || t.getAttribute('font-size')));
    return {src: img.currentSrc, smallest: Math.min(...sizes), scale: img.getBoundingClientRect().width / img.naturalWidth};
}"""


@pytest.mark.parametrize("path", ["/indicators/share-met/", "/en/indicators/share-met/", "/agencies/grades/"])
def test_phone_charts_have_text_of_at_least_11_css_pixels(phone, server, path):
    info = _first_image(phone, server + path, "figure.sb-chart img", SMALLEST_TEXT)
    assert "/phone/" in info["src"], info
    assert info["smallest"] * info["scale"] >= 11, info


ARCHIPELAGO_TEXT = """async img => {
    const svg = await (await fetch(img.currentSrc)).text();
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    const group = doc.querySelector('g[font-style="italic"]');
    return {lines: group.querySelectorAll('text').length, size: parseFloat(group.getAttribute('font-size')),
            scale: img.getBoundingClientRect().width / img.naturalWidth};
}"""


@pytest.mark.parametrize("path", ["/agencies/league-2024-H1-provinces/", "/en/agencies/tinh-b/"])
def test_phone_maps_name_the_archipelagos_in_text_of_at_least_11_css_pixels(phone, server, path):
    info = _first_image(phone, server + path, ".sb-map img", ARCHIPELAGO_TEXT)
    assert info["lines"] >= 2 and info["size"] * info["scale"] >= 11, info


def test_printed_league_table_shows_every_column_and_the_addresses(browser, server):
    context = browser.new_context(viewport={"width": 700, "height": 990})  # about A4's printable width
    page = context.new_page()
    page.goto(f"{server}/en/agencies/league-2024-H1-provinces/")
    page.emulate_media(media="print")
    outside = page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        return [...document.querySelectorAll('.sb-league th, .sb-league td')].filter(el => {
            const r = el.getBoundingClientRect(); return r.width <= 0 || r.right > width + 1; }).length;
    }""")
    assert outside == 0
    for selector in (".md-header", ".md-sidebar--primary", ".sb-filter", ".sb-compare", ".sb-pick"):
        assert not page.locator(selector).first.is_visible(), selector
    address = page.locator(".sb-print-address")
    assert address.is_visible() and "/en/agencies/league-2024-H1-provinces/" in address.inner_text()
    # The header row, which the browser prints again at the top of each page the table runs onto,
    # holds the column names as text: Chromium left the sort buttons' text out of those copies
    # (a blank grey band). Nothing sticks to the screen's edges on paper.
    assert page.locator(".sb-league thead button").count() > 0  # the script has run
    printed = page.evaluate("""() => {
        const thead = document.querySelector('.sb-league thead');
        return {
            header: getComputedStyle(thead).display,
            buttons: [...thead.querySelectorAll('button')].filter(b => getComputedStyle(b).display !== 'contents').length,
            sticky: [...document.querySelectorAll('.sb-league th, .sb-league caption')]
                .filter(el => getComputedStyle(el).position === 'sticky').length,
        };
    }""")
    assert printed == {"header": "table-header-group", "buttons": 0, "sticky": 0}
    pdf = page.pdf(format="A4", print_background=True)
    context.close()
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


# --- figures: "Download PNG" made in the reader's browser (issue 28) -------------------------------

DRAW_SVG = """async (url) => {
  const text = await (await fetch(url)).text();
  const root = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
  const width = parseFloat(root.getAttribute("width")), height = parseFloat(root.getAttribute("height"));
  return {width, height, text};
}"""
# The framed SVG drawn by the browser at a given size, as a PNG data URL (independently of
# share.js: an <img> of the SVG drawn on a canvas).
DRAW_AT = """async ([text, w, h]) => {
  const image = new Image();
  image.src = URL.createObjectURL(new Blob([text], {type: "image/svg+xml"}));
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = w; canvas.height = h;
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff"; context.fillRect(0, 0, w, h);
  context.drawImage(image, 0, 0, w, h);
  return canvas.toDataURL("image/png");
}"""


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_download_png_is_made_in_the_browser_from_the_framed_svg(browser, server, lang):
    """Clicking "Download PNG" under a chart and under a map downloads a PNG at least 1,200 px
    wide, named after the figure, whose pixels are the framed SVG as the browser draws it."""
    import base64
    import io

    from PIL import Image, ImageChops

    prefix = "en/" if lang == "en" else ""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        for path, slug in (
            (f"{prefix}indicators/share-met/", "share-met"),
            (f"{prefix}agencies/league-2024-H1-provinces/", "map-2024-H1-local-plan"),
        ):
            page.goto(f"{server}/{path}")
            link = page.locator(f"#share-{slug} a.sb-png")
            note = page.locator(f"#share-{slug} .sb-png__note")
            assert "1" in note.inner_text() and "JavaScript" not in note.inner_text()  # the note for script
            with page.expect_download() as info:
                link.click()
            download = info.value
            assert download.suggested_filename == f"scoreboard-{slug}-{lang}.png"
            made = Image.open(download.path())
            assert made.format == "PNG" and made.width >= 1200
            svg = page.evaluate(
                DRAW_SVG, page.evaluate("href => new URL(href, location.href).href", link.get_attribute("href"))
            )
            assert abs(made.width / made.height - svg["width"] / svg["height"]) < 0.01
            expected_url = page.evaluate(DRAW_AT, [svg["text"], made.width, made.height])
            expected = Image.open(io.BytesIO(base64.b64decode(expected_url.split(",", 1)[1])))
            difference = ImageChops.difference(made.convert("RGB"), expected.convert("RGB"))
            assert difference.getbbox() is None or max(difference.getextrema(), key=lambda e: e[1])[1] <= 2
    finally:
        context.close()


def test_without_javascript_the_png_link_gives_the_svg_and_says_so(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{server}/en/indicators/share-met/")
        link = page.locator("#share-share-met a.sb-png")
        assert link.get_attribute("href").endswith("share-met.download.svg")
        assert link.get_attribute("download") == "scoreboard-share-met-en.svg"
        assert "JavaScript is off" in page.locator("#share-share-met .sb-png__note").inner_text()
    finally:
        context.close()


# --- issue 27: search, needless requests, keyboard and print ---------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a_page_load_makes_no_failing_request_and_none_elsewhere(page, server, lang):
    """Every page type: no request fails (no 404, no refused connection), none leaves this site's
    origin, and none asks for a sitemap (Material's script fetched one beside each alternate link:
    four a page, three at the configured site address, on paths that do not exist)."""
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"))
    for path in PAGE_TYPES:
        page.goto(server + LANGS[lang] + path)
        page.wait_for_load_state("networkidle")
    assert failed == []
    assert {f"{u.scheme}://{u.netloc}" for u in map(urlparse, page.requests)} == {server}
    assert [url for url in page.requests if "sitemap" in url] == []


class CompressingHandler(QuietHandler):
    """Sends text files gzip-compressed when the browser accepts it, as the site's host (GitHub
    Pages) does; Pagefind's index, fragments and engine are compressed files already and go as
    they are."""

    TEXT = {".html", ".js", ".css", ".json", ".svg", ".xml"}

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and os.path.splitext(path)[1] in self.TEXT and os.path.isfile(path)):
            return super().send_head()
        with open(path, "rb") as f:
            body = gzip.compress(f.read(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@pytest.fixture(scope="module")
def compressing_server(synthetic_built):
    handler = functools.partial(CompressingHandler, directory=str(synthetic_built))
    httpd = serve.PreviewServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


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


FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const box = el.getBoundingClientRect();
    // the site's header, and a table's header row held under it (a league table on a phone)
    const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
    const stuck = [...document.querySelectorAll('thead')].filter(t => getComputedStyle(t).position === 'sticky')
        .map(t => t.getBoundingClientRect()).filter(r => r.top <= header + 1 && r.bottom > header).map(r => r.bottom);
    return {
        label: el.tagName + ' ' + (el.textContent || '').trim().slice(0, 40),
        chrome: !!el.closest('.md-header, .md-skip, thead'),
        top: box.top, bottom: box.bottom, height: innerHeight,
        header: Math.max(header, ...stuck),
    };
}"""


@pytest.mark.parametrize("path", ["/", "/agencies/league-2024-H1-provinces/"])
@pytest.mark.parametrize("key", ["Tab", "Shift+Tab"])
def test_focus_never_hides_under_the_sticky_header(context_at, server, key, path):
    """Home and a league table at 360 px: every Tab stop below the header (a "2022" in "Targets
    by year" once scrolled under it; a row under the table's header row) is in full view,
    unless it is taller than the view."""
    page = context_at(360).new_page()
    page.goto(server + path)
    hidden, stops = [], 0
    for _ in range(400):
        page.keyboard.press(key)
        where = page.evaluate(FOCUSED)
        if where is None:
            break
        stops += 1
        if where["chrome"] or where["bottom"] - where["top"] > where["height"] - where["header"]:
            continue
        if where["top"] < where["header"] - 0.5 or where["bottom"] > where["height"] + 0.5:
            hidden.append(where)
    assert stops > 30
    assert hidden == []
    if path != "/":
        return
    # a link to a section still shows its heading just below the header
    page.goto(f"{server}/#targets-by-year")
    heading = page.locator("#targets-by-year").bounding_box()
    header = page.locator(".md-header").bounding_box()
    assert header["y"] + header["height"] <= heading["y"] <= header["y"] + header["height"] + 40


def test_tab_stays_in_the_open_phone_menu_until_it_closes(context_at, server):
    page = context_at(360).new_page()
    page.goto(f"{server}/indicators/share-met/")
    button = page.get_by_role("button", name="Danh mục trang")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)  # the drawer's slide
    inside = "() => document.activeElement.closest('.md-sidebar--primary') !== null"
    count = page.locator(".md-sidebar--primary a[href]:visible").count()
    assert count > 3
    for key in ["Tab"] * (count + 3) + ["Shift+Tab"] * (count + 3):
        page.keyboard.press(key)
        assert page.evaluate(inside), key
    page.keyboard.press("Escape")
    assert not page.locator("#__drawer").is_checked()
    assert button.evaluate("el => el === document.activeElement")
    page.keyboard.press("Tab")
    assert not page.evaluate(inside)


def test_menu_button_is_no_tab_stop_where_the_sidebar_shows(context_at, server):
    page = context_at(1280).new_page()
    page.goto(f"{server}/methodology/")
    assert page.locator(".md-sidebar--primary a[href]:visible").count() > 0
    assert not page.locator(".sb-menu-button").is_visible()
    stops = _tab_stops(page, 40)
    assert "DRAWER" in stops  # the sidebar's links are reachable
    assert not [s for s in stops if "sb-menu-button" in s]


LAYOUT_SHIFTS = """window.__shifts = [];
new PerformanceObserver(list => { for (const e of list.getEntries()) window.__shifts.push(e.value); })
    .observe({type: 'layout-shift', buffered: true});"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_league_table_controls_appear_without_moving_the_page(context_at, server, lang, width):
    """Cumulative Layout Shift of the league table page, measured by Chromium, stays at 0: the
    filter, compare buttons, tick boxes and sort marks that script adds have their place from the
    first paint (it was 0.05 to 0.10)."""
    page = context_at(width).new_page()
    page.add_init_script(LAYOUT_SHIFTS)
    page.goto(server + LANGS[lang] + "agencies/league-2024-H1-provinces/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".sb-filter").is_visible() and page.locator(".sb-pick").count() > 0
    page.wait_for_timeout(500)
    shift = sum(page.evaluate("window.__shifts"))
    assert shift < 0.01, shift


def test_without_script_the_league_controls_take_no_room(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{server}/en/agencies/league-2024-H1-provinces/")
        for selector in (".sb-filter", ".sb-compare"):
            assert page.locator(selector).evaluate("el => el.getBoundingClientRect().height") == 0, selector
        name = page.locator("#league-table th").first
        assert name.evaluate("th => getComputedStyle(th, '::before').content") in ("none", "normal")
    finally:
        context.close()
