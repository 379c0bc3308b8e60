"""At 360 px: no sideways scrolling, every table cell in view, text of charts and maps large
enough to read."""

from __future__ import annotations

import pytest

from .conftest import CELLS_OUTSIDE, EVERY_CELL_OUTSIDE


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
