"""Pages as a reader meets them: a chart with its table, the language switch, headings' links,
the 404 page, and no failing or off-site request."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from .conftest import LANGS, PAGE_TYPES


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
