"""The archive of report texts: where the reports' full texts live, outside the repository.

Each report in data/reference/sources.csv names its text file there (`seed_file`), and
validation checks every quotation word for word against that text. The archive is one
setting, the environment variable SCOREBOARD_REPORTS (a folder; a relative path is read from
the project's root), by default `../shared/seeds` beside the project. Where the folder is
absent (on GitHub, for instance) the quotations cannot be checked against their reports;
`validate` and `build` say so in one line (status_line).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ENV = "SCOREBOARD_REPORTS"
DEFAULT = "../shared/seeds"


def location(root: Path) -> Path:
    """The archive's folder for the project at root (SCOREBOARD_REPORTS, or ../shared/seeds)."""
    setting = os.environ.get(ENV, "").strip() or DEFAULT
    path = Path(setting).expanduser()
    return path if path.is_absolute() else (root / path)


@dataclass
class Archive:
    """The archive as validation reads it: None texts where the folder is absent."""

    folder: Path
    present: bool
    texts: dict[str, str | None] = field(default_factory=dict)  # file name -> text (None: not UTF-8)

    def names(self) -> list[str]:
        return sorted(self.texts)


def read(root: Path, folder: Path | None = None) -> Archive:
    """Every file directly in the archive's folder (the folder is never walked further);
    folder: another archive than the project's own."""
    folder = location(root) if folder is None else folder
    try:
        entries = sorted(folder.iterdir()) if folder.is_dir() else None
    except OSError:
        entries = None
    if entries is None:
        return Archive(folder, False)
    texts: dict[str, str | None] = {}
    for path in entries:
        try:
            if path.is_file():
                texts[path.name] = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            texts[path.name] = None
        except OSError:
            continue
    return Archive(folder, True, texts)


def shown_path(root: Path, folder: Path) -> str:
    """The folder as a maintainer would type it from the project's root."""
    try:
        relative = os.path.relpath(folder, root)
    except ValueError:  # another drive (Windows)
        return str(folder)
    return str(folder.resolve()) if relative.startswith(os.pardir + os.sep + os.pardir) else relative


def status_line(root: Path, lang: str = "en") -> str:
    """One line: where the archive is, and whether quotations are checked against it."""
    folder = location(root)
    where = shown_path(root, folder)
    present = folder.is_dir()
    if lang == "vi":
        if present:
            return f"Câu trích được đối chiếu từng chữ với văn bản báo cáo trong {where} ({ENV})."
        return (
            f"Không có kho văn bản báo cáo ở {where}, nên câu trích KHÔNG được đối chiếu với báo cáo; "
            f"đặt {ENV} là thư mục chứa các văn bản đó (CONTRIBUTING.md, mục 2, bước 2)."
        )
    if present:
        return f"reports: quotations checked word for word against the report texts in {where} ({ENV})"
    return (
        f"reports: no archive of report texts at {where}, so quotations are NOT checked against their "
        f"reports; set {ENV} to the folder that holds them (CONTRIBUTING.md, section 2, step 2)"
    )
