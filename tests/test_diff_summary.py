"""The data-diff summary: nothing from the data (a value, a column name, a file name) can
become a heading, link, image, HTML or table break in the Markdown job summary, or a
control sequence in a terminal; and a pull request that touches schemas, code or
workflows says so first.

The Markdown is rendered with cmark-gfm, GitHub's own renderer, with raw HTML allowed,
so an injection would show up as an element in the HTML."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

import build_site
from scoreboard.data import escaping
from scoreboard.maintain import diff

from .conftest import ROOT, copy_project, make_synthetic_project, problems_of, read_rows, write_rows

HOSTILE = [
    "# Heading",
    "[link](https://evil.example)",
    "![image](https://evil.example/x.png)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "a | b | c",
    "line\nbreak\n## second heading",
    "carriage\rreturn",
    "https://evil.example/path",
    "www.evil.example",
    "mail me: someone@evil.example",
    "@someone #123",
    "`code` ``two``",
    "&amp; &#60;b&#62;",
    "**bold** _em_ ~~strike~~",
    "\x1b[2J\x1b[31mred",
    "right-to-left \u202e override \u2028 separator",
    "back\\slash\\",
    "- list\n1. item\n> quote\n    indented",
]
ALLOWED_TAGS = {"h2", "h3", "p", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "code", "strong"}


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.cells_per_row: list[int] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tr":
            self.cells_per_row.append(0)
        if tag in ("td", "th"):
            self.cells_per_row[-1] += 1

    def handle_data(self, data):
        self.text.append(data)


def render(text: str) -> Tags:
    html = cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)
    tags = Tags()
    tags.feed(html)
    return tags


def hostile_changes() -> list[diff.FileChanges]:
    out = []
    for i, value in enumerate(HOSTILE):
        row = {"indicator_id": value, "period": "2024", "breakdown": value, "source_id": "s", "value": value}
        old = {**row, value: "x", "value": "1"}
        new = {**row, value: "y"}  # the column name itself is hostile
        out.append(diff.FileChanges(f"data/periods/{value}/observations-{i}.csv", "observations", [row], [], []))
        out[-1].changed.append((old, new, ["value", value]))
    return out


def test_nothing_from_the_data_becomes_markdown_structure():
    changes = hostile_changes()
    text = diff.format_markdown(changes, "main`<b>x</b>\n# rev")
    tags = render(text)
    assert set(tags.tags) <= ALLOWED_TAGS, set(tags.tags) - ALLOWED_TAGS
    # one h2 (the title), one h3 per file; nothing else became a heading
    assert tags.tags.count("h2") == 1 and tags.tags.count("h3") == len(changes)
    # the table: a header row and one row per file, four cells each
    assert tags.cells_per_row == [4] * (1 + len(changes))
    assert tags.tags.count("li") == 2 * len(changes)  # one added, one changed line per file
    shown = "".join(tags.text)
    for value in HOSTILE:
        assert escaping.visible(value) in shown  # shown as written, control characters visible
    assert "\x1b" not in shown and "\r" not in shown and "\u202e" not in shown


@pytest.mark.parametrize("value", HOSTILE + ["plain words", "", "1.5 - 2 + 3 * 4 = 10!"])
def test_markdown_shows_exactly_the_text_and_nothing_else(value):
    """escaping.markdown() on its own: one paragraph (or none, for no text) whose words are
    the text as written, control characters visible; '@' and '#' as tiny code spans."""
    tags = render(escaping.markdown(value))
    assert set(tags.tags) <= {"p", "code"} and tags.tags.count("p") == (1 if value else 0)
    assert "".join(tags.text).strip("\n") == escaping.visible(value)
    assert tags.tags.count("code") == len(re.findall("[@#]+", value))


def test_the_text_diff_shows_control_characters_escaped():
    changes = hostile_changes()
    text = diff.format_text(changes)
    assert not any(escaping._is_hidden(c) for c in text.replace("\n", ""))
    # a newline in a value does not start a new line: one line per file plus one per change
    assert len(text.split("\n")) == 3 * len(changes)
    assert "\\x1b[2J" in text and "carriage\\rreturn" in text and "line\\nbreak" in text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\nb", "a\\nb"),
        ("a\rb", "a\\rb"),
        ("tab\there", "tab\\there"),
        ("\x1b[0m", "\\x1b[0m"),
        ("\x7f\x85", "\\x7f\\x85"),
        ("\u202eevil", "\\u202eevil"),
        ("a\u2028b", "a\\u2028b"),
        ("c:\\new", "c:\\\\new"),
        ("Hà Nội – 71,79 %", "Hà Nội – 71,79 %"),
    ],
)
def test_visible_escapes_exactly_the_hidden_characters(text, shown):
    assert escaping.visible(text) == shown


@pytest.mark.parametrize("value", HOSTILE)
def test_a_code_span_in_a_table_cell_keeps_the_value_in_one_cell(value):
    tags = render(f"| a | b |\n|---|---|\n| {escaping.code_span(value, in_table=True)} | x |\n")
    assert set(tags.tags) <= ALLOWED_TAGS and tags.cells_per_row == [2, 2]
    assert escaping.visible(value) in "".join(tags.text)


def test_changed_files_are_grouped_for_review():
    assert diff.group_of("data/periods/2024/observations.csv") is None
    assert diff.group_of("data/schemas/observations.json") == "schemas"
    assert diff.group_of("data/periods/2024/datapackage.json") == diff.DESCRIPTORS
    assert diff.group_of("data/reference/datapackage.json") == diff.DESCRIPTORS
    assert diff.group_of("data/boundaries/datapackage.json") == "schemas"
    assert diff.grouped(["data/periods/2024/datapackage.json"]) == {"schemas": ["data/periods/2024/datapackage.json"]}
    assert diff.group_of(".github/workflows/deploy.yml") == "workflows"
    assert diff.group_of(".github/CODEOWNERS") == "workflows"
    assert diff.group_of(".ci/run") == "workflows"
    for path in ("scoreboard/derive.py", "build_site.py", "tests/test_x.py", "requirements-dev.lock"):
        assert diff.group_of(path) == "code", path
    assert diff.group_of("data/README.md") == "other"
    assert diff.group_of("README.md") == "other"
    groups = diff.grouped(["data/x.csv", "scoreboard/a.py", "data/schemas/a.json", ".github/w.yml", "NOTES"])
    assert list(groups) == ["schemas", "workflows", "code", "other"]  # schemas first, data CSVs left out


def test_the_notice_names_each_file_and_escapes_it():
    paths = ["data/schemas/a.json", *(f"scoreboard/{v}.py" for v in HOSTILE)]
    text = diff.format_paths_markdown(diff.grouped(paths))
    assert text.startswith("## ⚠️ Không chỉ dữ liệu / Not only data")
    assert "code maintainer must review" in text and "người bảo trì mã phải xem xét" in text
    tags = render(text)
    assert set(tags.tags) <= ALLOWED_TAGS
    assert tags.tags.count("h2") == 1 and tags.tags.count("h3") == 2 and tags.tags.count("li") == len(paths)
    assert diff.format_paths_markdown({}).startswith("✅")


def _git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_a_pull_request_touching_schemas_and_code_says_so_before_the_data_diff(tmp_path, monkeypatch, capsys):
    root = copy_project(tmp_path / "project")
    _git(root, "init", "-q")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    obs = root / "data/periods/2024-H1/observations.csv"
    rows = read_rows(obs)
    rows[0]["value"] = "12.5"
    write_rows(obs, rows)
    schema = root / "data/schemas/observations.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace('"value"', '"value" ', 1), encoding="utf-8")
    (root / "mkdocs.yml").write_text("changed\n", encoding="utf-8")
    (root / ".github/workflows").mkdir(parents=True)
    (root / ".github/workflows/new.yml").write_text("on: push\n", encoding="utf-8")  # untracked, still listed
    monkeypatch.setattr(build_site, "ROOT", root)
    assert build_site.main(["diff", "HEAD", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    notice, new, data = out.index("Not only data"), out.index("New in this change"), out.index("Data changes")
    assert notice < new < data
    section = out[notice:new]
    for path in ("data/schemas/observations.json", ".github/workflows/new.yml", "mkdocs.yml"):
        assert f"`{path}`" in section
    assert "observations.csv" not in section and "observations.csv" in out[data:]

    write_rows(obs, read_rows(obs))  # text output: the same notice first
    assert build_site.main(["diff", "HEAD"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Not only data") and "  schemas: data/schemas/observations.json" in text


def test_a_new_period_is_data_and_a_hand_edited_descriptor_is_not(tmp_path, monkeypatch, capsys):
    """new-period writes a descriptor from the schemas: the summary says only data changed, and
    shows first the warnings that are new against the base; an edited descriptor needs a code review."""
    root = copy_project(tmp_path / "project")
    shutil.copy2(ROOT / ".gitignore", root / ".gitignore")  # the caches a validation writes
    _git(root, "init", "-q")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    monkeypatch.setattr(build_site, "ROOT", root)
    assert build_site.main(["new-period", "2030-H1"]) == 0
    printed = capsys.readouterr().out
    assert "created data/periods/2030-H1/datapackage.json" in printed
    for step in ("seed_file", "observations.csv", "releases.csv", "CITATION.cff", "validate"):
        assert step in printed.split("Next steps", 1)[1], step
    descriptor = "data/periods/2030-H1/datapackage.json"
    assert diff.grouped(diff.changed_paths(root, "HEAD"), root) == {}
    assert build_site.main(["diff", "HEAD", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("✅") and "Not only data" not in out
    assert out.index("New in this change") < out.index("Data changes")

    path = root / descriptor
    path.write_text(path.read_text(encoding="utf-8").replace('"csv"', '"tsv"', 1), encoding="utf-8")
    assert diff.grouped(diff.changed_paths(root, "HEAD"), root) == {"schemas": [descriptor]}


def test_the_summary_shows_first_the_warnings_new_against_the_base(tmp_path, monkeypatch, capsys):
    """One new warning among the old ones: the summary lists it first, and only it."""
    root = make_synthetic_project(tmp_path / "project")
    _git(root, "init", "-q")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    before = diff.problems_at(root, "HEAD")
    assert before and not any(p.is_error for p in before)  # the invented set has warnings of its own
    obs = root / "data/periods/2023/observations.csv"
    with obs.open("a", encoding="utf-8") as f:  # a second source for a figure, with another value
        f.write('share-met,2023,nationwide,51,,,reported,other,false,"đạt 51%",,\n')
    now = problems_of(root)
    new = diff.new_problems(now, before)
    assert [(p.path, p.kind) for p in new] == [("data/periods/2023/observations.csv", "sources-disagree")]
    monkeypatch.setattr(build_site, "ROOT", root)
    assert build_site.main(["diff", "HEAD", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    section = out[out.index("New in this change") : out.index("Data changes")]
    assert f"`{new[0].path}:{new[0].row}`" in section and section.count("⚠️") == 1
    assert diff.new_problems(now, now) == [] and diff.new_problems(now, []) == now
