"""A data problem and the three ways it is shown: a terminal line, a GitHub
annotation on the exact CSV line, and a bilingual Markdown summary table."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from scoreboard.data.escaping import visible


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the project root, with forward slashes
    row: int  # line number as an editor shows it (the header is line 1); 0 = whole file
    column: str  # column name, or "" when the problem is not about one column
    message: str  # what is wrong, in plain words
    value: str = ""  # the offending value as written, if any
    hint: str = ""  # what to do about it
    severity: str = "error"  # "error" or "warning"
    kind: str = ""  # stable code, e.g. "comma-decimal"; CONTRIBUTING.md explains each
    explained: bool = False  # a warning that the row's own note already explains (shown with --all)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def text(self) -> str:
        """`path:ROW: column: what is wrong (the value) -> what to do`."""
        where = f"{self.path}:{self.row}" if self.row else self.path
        return visible(f"{where}: {self.body()}")

    def body(self) -> str:
        """`column: what is wrong (the value) -> what to do`, without the file and line."""
        column = f"{self.column}: " if self.column else ""
        label = "" if self.is_error else "warning (its note explains it): " if self.explained else "warning: "
        value = f" ({self.value})" if self.value != "" else ""
        hint = f" -> {self.hint}" if self.hint else ""
        return f"{column}{label}{self.message}{value}{hint}"

    def github(self) -> str:
        """A workflow command that GitHub shows as an annotation on the line."""
        level = "error" if self.is_error else "warning"
        props = [f"file={_escape_property(self.path)}"]
        if self.row:
            props.append(f"line={self.row}")
        title = f"{self.column}: {self.kind}" if self.column else self.kind or level
        props.append(f"title={_escape_property(title)}")
        value = f" ({self.value})" if self.value != "" else ""
        hint = f" -> {self.hint}" if self.hint else ""
        return f"::{level} {','.join(props)}::{escape_data(self.message + value + hint)}"


def plural(count: int, word: str) -> str:
    """'1 error', '2 errors': the English word for a count (Vietnamese has no plural)."""
    return word if count == 1 else word + "s"


def counts_text(problems: list[Problem], hidden: int = 0) -> str:
    """'0 errors, 2 warnings', and how many warnings the data's notes explain when they are not shown."""
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    text = f"{errors} {plural(errors, 'error')}, {warnings} {plural(warnings, 'warning')}"
    if hidden:
        text += f" ({hidden} more that the rows' notes explain: validate --all shows them)"
    return text


def unexplained(problems: list[Problem]) -> list[Problem]:
    """The problems without the warnings that their rows' notes explain."""
    return [p for p in problems if not p.explained]


def escape_data(text: str) -> str:
    """GitHub's workflow-command escaping: %, CR and LF (other invisible characters shown as escapes)."""
    return visible(text, keep="\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _text(text: str) -> str:
    """A Markdown table cell that shows the text as written: every ASCII punctuation mark is
    backslash-escaped, so no link, image, HTML, emphasis or table break comes from the data."""
    return "".join("\\" + c if c in string.punctuation else c for c in visible(text))


def _code(text: str) -> str:
    """A code span that holds any text: a fence longer than any run of backticks inside."""
    text = visible(text).replace("|", "\\|")
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if "`" in text else f"{fence}{text}{fence}"


def note_markdown(vietnamese: str, english: str) -> str:
    """A one-line note under the summary, in both languages, shown as text."""
    return f"ℹ️ {_text(vietnamese)} / {_text(english)}\n"


def summary_markdown(problems: list[Problem], hidden: int = 0) -> str:
    """Job-summary table, Vietnamese then English, for maintainers reading a pull request;
    hidden: how many warnings the rows' notes explain (not listed; `validate --all` lists them)."""
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    lines = ["## Kiểm tra dữ liệu / Data validation", ""]
    explained = (
        [
            f"{hidden} cảnh báo khác đã được ghi chú của dòng giải thích (`validate --all` liệt kê). / "
            f"{hidden} more {plural(hidden, 'warning')} that the rows' notes explain (`validate --all` lists them).",
            "",
        ]
        if hidden
        else []
    )
    if not problems:
        lines += ["✅ Dữ liệu hợp lệ, không có cảnh báo. / The data is valid, with no warnings.", ""]
        return "\n".join(lines + explained)
    lines += [
        f"**{errors}** lỗi, **{warnings}** cảnh báo. Lỗi phải được sửa trước khi hợp nhất; cảnh báo cần được xem lại.",
        "",
        f"**{errors}** {plural(errors, 'error')}, **{warnings}** {plural(warnings, 'warning')}. "
        "Errors must be fixed before merging; warnings need a look.",
        "",
        *explained,
        "| Mức độ / Severity | Tệp / File | Dòng / Line | Cột / Column | Vấn đề / Problem | Cách sửa / What to do |",
        "|---|---|---|---|---|---|",
    ]
    for p in problems:
        level = "❌ lỗi / error" if p.is_error else "⚠️ cảnh báo / warning"
        value = f" ({_code(p.value)})" if p.value != "" else ""
        lines.append(
            f"| {level} | {_code(p.path)} | {p.row or ''} | {_text(p.column)} | "
            f"{_text(p.message)}{value} | {_text(p.hint)} |"
        )
    lines.append("")
    return "\n".join(lines)
