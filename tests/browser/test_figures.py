"""Figures a reader downloads: the PNG drawn in the browser from the framed SVG."""

from __future__ import annotations

import io

import pytest

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


def test_embed_page_is_usable_and_accessible_at_360px(browser, server, axe, synthetic_built):
    """An embedded chart at a phone's width: no sideways scrolling, the chart loads, axe finds
    nothing serious, and nothing is fetched from another host."""
    # a charted indicator (the browser tests' server serves the synthetic site)
    indicator = sorted(p.stem for p in (synthetic_built / "indicators").glob("*.svg") if "." not in p.stem)[0]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        for path in (f"/embed/{indicator}/", f"/en/embed/{indicator}/"):
            page.goto(server + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
            assert page.evaluate("document.querySelector('img').naturalWidth") > 0  # the chart loaded
            page.add_script_tag(path=axe)
            result = page.evaluate(
                "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
                "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
            )
            assert [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")] == []
        assert all(r.startswith(server) for r in requests), "the embed page fetched from another host"
    finally:
        context.close()
