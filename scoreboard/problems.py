"""A data problem and the three ways it is shown: a terminal line, a GitHub
annotation on the exact CSV line, and a bilingual Markdown summary table."""

from __future__ import annotations

from dataclasses import dataclass


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

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def text(self) -> str:
        """`path:ROW: column: what is wrong (the value) -> what to do`."""
        where = f"{self.path}:{self.row}" if self.row else self.path
        column = f" {self.column}:" if self.column else ""
        label = "warning: " if not self.is_error else ""
        value = f" ({self.value})" if self.value != "" else ""
        hint = f" -> {self.hint}" if self.hint else ""
        return f"{where}:{column} {label}{self.message}{value}{hint}"

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
        return f"::{level} {','.join(props)}::{_escape_data(self.message + value + hint)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def summary_markdown(problems: list[Problem]) -> str:
    """Job-summary table, Vietnamese then English, for maintainers reading a pull request."""
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    lines = ["## Kiểm tra dữ liệu / Data validation", ""]
    if not problems:
        lines += ["✅ Dữ liệu hợp lệ, không có cảnh báo. / The data is valid, with no warnings.", ""]
        return "\n".join(lines)
    lines += [
        f"**{errors}** lỗi, **{warnings}** cảnh báo. Lỗi phải được sửa trước khi hợp nhất; cảnh báo cần được xem lại.",
        "",
        f"**{errors}** errors, **{warnings}** warnings. Errors must be fixed before merging; warnings need a look.",
        "",
        "| Mức độ / Severity | Tệp / File | Dòng / Line | Cột / Column | Vấn đề / Problem | Cách sửa / What to do |",
        "|---|---|---|---|---|---|",
    ]
    for p in problems:
        level = "❌ lỗi / error" if p.is_error else "⚠️ cảnh báo / warning"
        value = f" (`{_cell(p.value)}`)" if p.value != "" else ""
        lines.append(
            f"| {level} | `{_cell(p.path)}` | {p.row or ''} | {_cell(p.column)} | "
            f"{_cell(p.message)}{value} | {_cell(p.hint)} |"
        )
    lines.append("")
    return "\n".join(lines)
