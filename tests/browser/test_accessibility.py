"""axe-core on every page type and reader state, and the keyboard: focus in view, the
phone menu, tab stops."""

from __future__ import annotations

import pytest

from .conftest import LANGS, PAGE_TYPES, WIDTHS, _open_search

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


def _violations(page, axe):
    """Every axe-core violation, of any impact, as one readable line each."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=axe)
    result = page.evaluate(f"async () => await axe.run(document, {{runOnly: {{type: 'tag', values: {AXE_TAGS}}}}})")
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
    ]


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
