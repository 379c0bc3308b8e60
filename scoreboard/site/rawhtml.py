"""A Markdown extension that sets the generated pages' HTML blocks aside quickly.

The pages that render.py writes are mostly HTML blocks (tables, figures, lists of links)
between a few Markdown headings. Python-Markdown finds raw HTML blocks with its HTML
parser, tag by tag, in pure Python: at scale that was nearly nine tenths of MkDocs' time
on a page. This preprocessor runs just before it and takes out each HTML block that starts
a line and whose closing tag ends a line, the way Python-Markdown itself would (the same
stored text, the same placeholder, the same line breaks around it), so the HTML that comes
out is the same bytes; test_rawhtml checks that on every page the site generates.

Anything it does not follow exactly (comments, scripts, indented tags, text after a
closing tag, `markdown="1"`) ends its work on that page: the rest of the page goes to
Python-Markdown's own parser, as before.
"""

from __future__ import annotations

import functools
import re

from markdown import Extension
from markdown.htmlparser import htmlparser
from markdown.preprocessors import Preprocessor

# A tag at the very start of a line (Python-Markdown also accepts up to three spaces before
# it: such a line stops this preprocessor, see UNSAFE_BETWEEN).
LINE_START_TAG = re.compile(r"^<([A-Za-z][A-Za-z0-9-]*)", re.M)
# What follows a tag's name up to its '>': quoted attribute values may hold '>'.
ATTRIBUTES = r"""(?:[^>"']|"[^"]*"|'[^']*')*?"""
# A start or end tag, whole: group 1 is the '/' of an end tag, group 2 the name, group 3
# the '/' of a self-closed tag.
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)" + ATTRIBUTES + r"(/?)>")
TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)")  # the name alone: quicker
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
EMPTY_TAGS = {"hr"}  # Python-Markdown's own list: never stacked, a block of its own kind
# Elements whose content the HTML parser reads as text (or may, in newer Pythons): the
# tags are counted as the parser counts them only when such content holds no '<'.
RAW_TEXT = ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext")
RAW_TEXT_ELEMENT = re.compile(r"<(" + "|".join(RAW_TEXT) + r")\b[^>]*>(.*?)</\1\s*>", re.S)
# Between blocks: comments, declarations, processing instructions, elements read as text and
# indented tags change how Python-Markdown reads what follows.
UNSAFE_BETWEEN = re.compile(r"<[!?]|^ {1,3}<|<(?:" + "|".join(RAW_TEXT) + r")\b", re.M | re.I)
MARKDOWN_ATTRIBUTE = re.compile(r"\bmarkdown\s*=")  # md_in_html: the block holds Markdown
# A start tag with an id (or name) attribute: MkDocs checks links to anchors against them.
ANCHOR_TAG = re.compile(
    r"<[A-Za-z][A-Za-z0-9:-]*\s" + ATTRIBUTES + r"(?<![\w-])(?:id|name)\s*=" + ATTRIBUTES + ">", re.I
)
MKDOCS_ANCHORS = "mkdocs_raw_html"  # MkDocs' preprocessor that finds the anchors in raw HTML


class RawHtmlBlocks(Preprocessor):
    """Stores the page's HTML blocks in Python-Markdown's stash, from the top of the page
    down to the first thing it does not follow exactly."""

    def __init__(self, md):
        super().__init__(md)
        self.anchor_tags: list[str] = []  # of the blocks set aside from the page being converted

    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        out: list[str] = []
        pos = scan = 0  # copied up to pos; looking for the next block from scan
        find_anchors = MKDOCS_ANCHORS in self.md.preprocessors
        self.anchor_tags = []
        while True:
            start = LINE_START_TAG.search(source, scan)
            if start is None or UNSAFE_BETWEEN.search(source, pos, start.start()):
                break
            if not self.md.is_block_level(start.group(1).lower()):
                scan = start.end()  # an inline tag starts a paragraph: Markdown's to read
                continue
            end = block_end(source, start.start())
            # The closing tag must end its line (text after it is Python-Markdown's "tail").
            if end is None or not source.startswith("\n", end):
                break
            block = source[start.start() : end]
            if not _plain_html(block):
                break
            # What Python-Markdown's HTML parser leaves in the text for such a block: a line
            # break before it, its placeholder and a blank line after it. A blank line after
            # the block is kept at the end of the stored block.
            stored = self.md.htmlStash.store(block + "\n" if source.startswith("\n\n", end) else block)
            out += [source[pos : start.start()], "\n", stored, "\n\n"]
            pos = scan = end
            if find_anchors:
                self.anchor_tags += ANCHOR_TAG.findall(block)
        out.append(source[pos:])
        return "".join(out).split("\n")


class BlockAnchors(Preprocessor):
    """Runs after MkDocs has looked for anchors in the raw HTML left in the page, and adds
    those of the blocks set aside: MkDocs warns about links to anchors it does not know."""

    def __init__(self, md, blocks: RawHtmlBlocks):
        super().__init__(md)
        self.blocks = blocks

    def run(self, lines: list[str]) -> list[str]:
        if MKDOCS_ANCHORS in self.md.preprocessors and self.blocks.anchor_tags:
            finder = _AnchorFinder()
            finder.feed("".join(self.blocks.anchor_tags))
            finder.close()
            self.md.preprocessors[MKDOCS_ANCHORS].present_anchor_ids |= finder.anchors
        return lines


class _AnchorFinder(htmlparser.HTMLParser):
    """The anchors of start tags, as MkDocs reads them: id attributes, and names of <a>."""

    def __init__(self):
        super().__init__()
        self.anchors: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" or (name == "name" and tag == "a"):
                self.anchors.add(value)


def block_end(source: str, start: int) -> int | None:
    """Where the HTML block that starts at `start` ends (after the tag that closes it), as
    Python-Markdown's parser counts tags; None if it does not close, or does not open with
    an ordinary start tag.

    The end is first found by counting only the tags named as the first one; the block up
    to there is then checked tag by tag."""
    first = TAG.match(source, start)
    if first is None or first.group(1) or first.group(3) or first.group(2).lower() in EMPTY_TAGS:
        return None  # a standalone empty tag: Python-Markdown's own case
    depth = 0
    for match in _same_name(first.group(2).lower()).finditer(source, start):
        if match.group(2):
            continue  # self-closed
        depth += -1 if match.group(1) else 1
        if depth == 0:
            end = match.end()
            break
    else:
        return None
    block = source[start:end]
    if _well_nested(block):
        return end
    return end if _parser_closes_at_end(block) else None


def _well_nested(block: str) -> bool:
    """Every end tag closes the element opened last (void elements aside, a self-closed tag
    counted as opened). Then the block closes where its first element closes, for
    Python-Markdown's parser too: its stack differs only by void elements, which an end
    tag drops with the element around them."""
    stack: list[str] = []
    push, pop = stack.append, stack.pop
    for closing, name in TAG_NAME.findall(block):
        if not closing:
            if name not in VOID:
                push(name)
        elif stack and stack[-1] == name:
            pop()
        else:
            return False
    return not stack


def _parser_closes_at_end(block: str) -> bool:
    """Python-Markdown's parser, following every tag of `block`, closes it at its last tag
    and not before (its stack: an end tag drops everything opened since its start tag)."""
    stack: list[str] = []
    tags = TAG.findall(block)
    for n, (closing, name, self_closed) in enumerate(tags, 1):
        name = name.lower()
        if not closing:
            if not (self_closed or name in EMPTY_TAGS):
                stack.append(name)
        elif name in stack:
            while stack.pop() != name:
                pass
            if not stack:
                return n == len(tags)
    return False


@functools.cache
def _same_name(name: str) -> re.Pattern:
    """Start and end tags named `name`, with the groups of TAG but the name."""
    return re.compile(r"<(/?)" + re.escape(name) + r"(?=[\s/>])" + ATTRIBUTES + r"(/?)>", re.I)


def _plain_html(block: str) -> bool:
    """No comment, declaration or Markdown inside, and every element read as text holds
    no tags (and is closed)."""
    if "<!" in block or "<?" in block:
        return False
    lowered = block.lower()
    if "markdown" in lowered and MARKDOWN_ATTRIBUTE.search(lowered):
        return False
    if not any(f"<{name}" in lowered for name in RAW_TEXT):
        return True
    rest = RAW_TEXT_ELEMENT.sub(lambda m: "" if "<" not in m.group(2) else "<!", lowered)
    return "<!" not in rest and not any(f"<{name}" in rest for name in RAW_TEXT)


class RawHtmlExtension(Extension):
    def extendMarkdown(self, md):
        # After whitespace is normalized (30), before Python-Markdown's own HTML blocks (20).
        blocks = RawHtmlBlocks(md)
        md.preprocessors.register(blocks, "scoreboard_raw_html", 25)
        # MkDocs registers its own (21) on each page's converter, after the extensions.
        md.preprocessors.register(BlockAnchors(md, blocks), "scoreboard_block_anchors", 20.5)
