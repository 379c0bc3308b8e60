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


@pytest.mark.parametrize("query", ["dien thoai", "điện thoại", "dien thoai thong minh"])
def test_vietnamese_search_finds_an_indicator_with_or_without_tone_marks(page, server, query):
    page.goto(f"{server}/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    # typed key by key, as a reader does: a query set in one go before the search worker has
    # its index is not searched again once the index arrives
    page.locator("input.md-search__input").press_sequentially(query, delay=30)
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=15000)
    hrefs = results.evaluate_all("links => links.map(a => a.href)")
    assert any("indicators/share-none/" in h for h in hrefs), hrefs  # "... điện thoại thông minh ..."


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


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/indicators/share-met/",
        "/agencies/league-2024-H1-provinces/",
        "/agencies/tinh-b/",
        "/agencies/grades/",
        "/periods/2024-H1/",
        "/data/",
        "/en/",
        "/en/indicators/villages/",
        "/en/methodology/",
    ],
)
def test_pages_pass_automated_accessibility_checks(page, server, path, axe):
    """axe-core (WCAG 2.1 A and AA rules): no serious or critical violation."""
    page.goto(server + path)
    page.add_script_tag(path=axe)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
