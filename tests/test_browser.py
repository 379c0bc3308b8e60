"""The built site in a real headless Chromium (Debian's, driven by Playwright).

Runs on the synthetic set (tests/fixtures/synthetic, built once in conftest), so that no
figure of data/ is named here. Skipped when no Chromium is installed, unless REQUIRE_BROWSER=1
(set by .ci/run), which turns a missing browser into a failure: CI never passes by skipping
these. The accessibility checks install axe-core themselves (`npm ci`) when it is missing.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
import time
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("REQUIRE_BROWSER") == "1"


def _skip_or_fail(reason):
    if REQUIRED:
        pytest.fail(f"browser tests are required (REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server(synthetic_built):
    handler = functools.partial(QuietHandler, directory=str(synthetic_built))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
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
    # The theme's script takes over clicks on language links once it has the other language's
    # sitemap, unless this language's sitemap arrived first. It once sent readers to the
    # English home page; hold back the Vietnamese sitemap so that the worst order happens.
    def later(route):
        time.sleep(0.5)
        route.continue_()

    page.route(f"{server}/sitemap.xml", later)
    with page.expect_response(f"{server}/sitemap.xml"):
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
    header = page.locator("th:has(button:text('Criteria met'))")
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


@pytest.mark.parametrize("query, expected", [("dien", "điện"), ("dat", "đạt")])
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
