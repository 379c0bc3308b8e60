"""The Markdown extension that sets HTML blocks aside (scoreboard/rawhtml.py) changes how
quickly pages are converted, never what they become: every generated page, and every odd
case below, gives the same HTML, table of contents and anchors with it as without it."""

from __future__ import annotations

import logging
from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from scoreboard.site import build as site
from scoreboard.site import rawhtml

EXTENSIONS = ["attr_list", "toc"]


def convert(text: str, fast: bool) -> tuple[str, str]:
    md = markdown.Markdown(extensions=EXTENSIONS + ([rawhtml.RawHtmlExtension()] if fast else []))
    return md.convert(text), md.toc


def set_aside(text: str) -> list[str]:
    """The blocks the extension itself sets aside from `text` (before Python-Markdown's
    own HTML parser sees the rest)."""
    md = markdown.Markdown(extensions=EXTENSIONS)
    lines = md.preprocessors["normalize_whitespace"].run(text.split("\n"))
    rawhtml.RawHtmlBlocks(md).run(lines)
    return [block.rstrip("\n") for block in md.htmlStash.rawHtmlBlocks]


TABLE = '<div class="wrap" title="a > b">\n<table>\n<tr><td>1<br>2</td><td><img src="x.png" alt=""></td></tr>\n</table>\n</div>'

# (Markdown, the blocks the extension is expected to set aside itself)
CASES = {
    "a block between headings": (f"# T\n\n{TABLE}\n\n## After\n\ntext\n", [TABLE]),
    "blocks on adjacent lines": (
        "<p>one</p>\n<dl>\n<dt>a</dt><dd>b</dd>\n</dl>\n\nx\n",
        ["<p>one</p>", "<dl>\n<dt>a</dt><dd>b</dd>\n</dl>"],
    ),
    "a block right after a paragraph line": ("text\n<div>x</div>\n\nmore\n", ["<div>x</div>"]),
    "a block at the end": ("# T\n\n<div>x</div>", ["<div>x</div>"]),
    "nested blocks of one name": (
        "<div><div>a</div>\n<div>b</div></div>\n\nx\n",
        ["<div><div>a</div>\n<div>b</div></div>"],
    ),
    "text after a closing tag": ("<div>x</div> tail *here*\n\n<div>y</div>\n\n", []),
    "an indented tag": ("para\n\n  <div>x</div>\n\n<div>y</div>\n", []),
    "a comment": ("<!-- note -->\n\n<div>x</div>\n\n", []),
    "a comment inside": ("<div><!-- <div> --></div>\n\n", []),
    "tags closed out of order": ("<div><span><div>a</span></div>\n\n*b*\n\n</div>\n\nc\n", []),
    "a self-closed tag": ("<div><span/>a</div>\n\nb\n", ["<div><span/>a</div>"]),
    "markdown inside": ('<div markdown="1">*a*</div>\n\nb\n', []),
    "a tag inside a text area": ("<div><textarea><b></textarea></div>\n\nx\n", []),
    "a text area without tags": (
        "<div><textarea>&lt;b&gt;</textarea></div>\n\nx\n",
        ["<div><textarea>&lt;b&gt;</textarea></div>"],
    ),
    "capital letters": ("<DIV>a</div>\n\nb\n", ["<DIV>a</div>"]),
    "a rule": ("<hr>\n\n<div>x</div>\n\n", []),
    "an inline tag first": ("<span>a</span> and *b*\n<div>c</div>\n\nd\n", ["<div>c</div>"]),
    "a block that never closes": ("<div>\n<p>a</p>\n\nb\n", []),
    "a script": ("<div>a</div>\n\n<script>if (a<b) {}</script>\n\n<div>c</div>\n\n", ["<div>a</div>"]),
}


@pytest.mark.parametrize("name", CASES)
def test_same_html_as_markdown_alone(name):
    text, expected = CASES[name]
    assert convert(text, fast=True) == convert(text, fast=False)
    assert set_aside(text) == expected


def test_what_it_leaves_to_markdown():
    """The generated pages' tables are never left to Python-Markdown's slow HTML parser."""
    md = markdown.Markdown(extensions=EXTENSIONS)
    lines = rawhtml.RawHtmlBlocks(md).run(f"# T\n\n{TABLE}\n\ntext\n".split("\n"))
    assert "<table>" not in "\n".join(lines)
    assert md.htmlStash.html_counter == 1


def mkdocs_pages(root: Path, config_name: str, fast: bool) -> dict:
    config = load_config(str(root / config_name))
    if fast:
        config["markdown_extensions"].append(rawhtml.RawHtmlExtension())
    files = get_files(config)
    out = {}
    for file in files.documentation_pages():
        page = Page(None, file, config)
        page.read_source(config)
        page.render(config, files)
        links = {target.src_uri: anchors for target, anchors in (page.links_to_anchors or {}).items()}
        out[file.src_uri] = (page.content, str(page.toc), page.present_anchor_ids, links, page._title_from_render)
    return out


@pytest.mark.parametrize("config_name", ["mkdocs.yml", "mkdocs.en.yml"])
def test_every_generated_page_is_the_same(built, config_name, caplog):
    """Every page of the site, as MkDocs converts it: the same HTML, table of contents,
    title, anchors and links to anchors with the extension as without it."""
    root = built.parent
    caplog.set_level(logging.ERROR, logger="mkdocs")
    plain = mkdocs_pages(root, config_name, fast=False)
    fast = mkdocs_pages(root, config_name, fast=True)
    assert plain and set(plain) == set(fast)
    assert [uri for uri in plain if plain[uri] != fast[uri]] == []
    assert sum(len(page[2]) for page in fast.values()) > 0  # anchors inside HTML blocks were found


ANCHOR_CONFIG = """\
site_name: Anchors
docs_dir: docs
theme:
  name: mkdocs
validation:
  anchors: warn
"""


@pytest.mark.parametrize(("anchor", "fails"), [("here", False), ("nowhere", True)])
def test_links_to_anchors_in_blocks_are_checked(tmp_path, anchor, fails):
    """A link to an id inside a block set aside is known to MkDocs (a strict build
    passes), and a link to a missing anchor still fails a strict build."""
    (tmp_path / "mkdocs.yml").write_text(ANCHOR_CONFIG, encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(f"# Home\n\n[there](a.md#{anchor})\n", encoding="utf-8")
    (docs / "a.md").write_text('# A\n\n<div>\n<p id="here">x</p>\n</div>\n\ntext\n', encoding="utf-8")
    if fails:
        with pytest.raises(site.BuildError):
            site._mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site", strict=True)
    else:
        site._mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site", strict=True)
        assert 'id="here"' in (tmp_path / "site" / "a" / "index.html").read_text(encoding="utf-8")
