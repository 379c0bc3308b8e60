"""Text from the data shown where it could be read as something else.

A value, a column name or a file name is written by whoever edits data/, and it ends up
in a terminal (where an escape sequence can rewrite the screen) or in a Markdown job
summary (where it could become a heading, a link, an image, HTML or a table break).
These functions make such text inert and visible.
"""

from __future__ import annotations

import string
import unicodedata

NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Characters that control a terminal or change how the text around them is shown while
# showing nothing themselves: controls (Cc), formats such as bidirectional overrides (the
# "Trojan source" trick), zero-width characters and the byte-order mark (Cf), surrogates
# (Cs), private use (Co), line and paragraph separators (Zl, Zp).
HIDDEN_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Zl", "Zp")
PUNCTUATION = set(string.punctuation)
IN_CODE = {"@", "#"}


def _is_hidden(char: str) -> bool:
    return unicodedata.category(char) in HIDDEN_CATEGORIES


def visible(text: object, keep: str = "") -> str:
    """Hidden characters written as escapes (`\\n`, `\\x1b`, `\\u202e`), so data can neither
    drive a terminal nor hide text; characters in `keep` stay as they are.

    A backslash is doubled, so an escape shown can always be told from the text it stands for."""
    out = []
    for char in str(text):
        if char in keep:
            out.append(char)
        elif char == "\\":
            out.append("\\\\")
        elif char in NAMED:
            out.append(NAMED[char])
        elif _is_hidden(char):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def markdown(text: object) -> str:
    """Text that GitHub Flavored Markdown shows literally, on one line, even in a table cell.

    Every ASCII punctuation character is backslash-escaped (CommonMark allows it for all of
    them): no heading, list, emphasis, link, image, HTML tag, entity, code span or table
    break can start. Escaping ':' and '.' also stops GitHub's automatic links (`https://`,
    `www.`). An e-mail address is linked even with its '@' escaped, and GitHub links
    `@name` and `#123` too: those two characters are written as tiny code spans (a run of
    them, one span).
    Control characters become visible escapes first.
    """
    out = []
    for char in visible(text):
        if char in IN_CODE:  # a run of them is one code span: `#``#` would read as one span "#``#"
            out.append(out.pop()[:-1] + char + "`" if out and out[-1][:1] == "`" else f"`{char}`")
        else:
            out.append("\\" + char if char in PUNCTUATION else char)
    return "".join(out)


def code_span(text: object, in_table: bool = False) -> str:
    """Text as an inline code span: shown as written, never a link or HTML.

    The fence is longer than any run of backticks inside; control characters become
    visible escapes; in a table cell '|' is escaped (GitHub splits cells before it reads
    code spans, and honours the backslash there)."""
    body = visible(text)
    if in_table:
        body = body.replace("|", "\\|")
    longest = max((len(run) for run in _backtick_runs(body)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if body.startswith(("`", " ")) or body.endswith(("`", " ")) or not body else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def _backtick_runs(text: str) -> list[str]:
    runs, current = [], ""
    for char in text:
        if char == "`":
            current += char
        elif current:
            runs.append(current)
            current = ""
    return runs + ([current] if current else [])
