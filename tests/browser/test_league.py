"""League tables: filter, sort, compare, the phone layout, print, and controls that appear
without moving the page."""

from __future__ import annotations

import pytest

from .conftest import EVERY_CELL_OUTSIDE, LANGS, WIDTHS


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
