"""Browser tests: the built site in a real headless Chromium (Debian's, driven by Playwright).

They run on the synthetic set (tests/fixtures/synthetic, built once in tests/conftest.py), so
that no figure of data/ is named here. Skipped when no Chromium is installed, unless
REQUIRE_BROWSER=1 (set by .ci/run), which turns a missing browser into a failure: CI never
passes by skipping these. The accessibility checks install axe-core themselves (`npm ci`)
when it is missing. This file holds the fixtures (a server on a free port, the browser, pages
at phone and desktop widths) and the helpers more than one test file uses.
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


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))


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


@pytest.fixture
def phone(browser, server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


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


def _open_search(page, query):
    page.locator(".sb-search-open").click()
    field = page.locator("#sb-search-input")
    field.press_sequentially(query, delay=20)
    page.locator("#sb-search-results li").first.wait_for(timeout=15000)
    return page.locator("#sb-search-results a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


CELLS_OUTSIDE = """() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('table.sb-stack caption, table.sb-stack tbody th, table.sb-stack tbody td')]
        .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.left < -1 || r.right > width + 1); })
        .map(el => el.tagName + ': ' + el.textContent.trim().slice(0, 40));
}"""


EVERY_CELL_OUTSIDE = CELLS_OUTSIDE.replace("table.sb-stack ", "table ")
