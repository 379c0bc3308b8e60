"""`python build_site.py serve`: builds, serves both languages, and rebuilds when a
source changes; served pages carry a small script that reloads them after a rebuild;
a folder asked for without its slash (/en) is redirected to it (/en/), never to another
host; no folder is ever listed. The server takes a free port (port 0) and says which."""

from __future__ import annotations

import http.client
import http.server
import os
import signal
import subprocess
import sys
import time
import urllib.request

from scoreboard.site import serve

from .conftest import ROOT


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_until(condition, what: str, seconds: float = 300) -> None:  # a guard against a hang, not a timing
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"never: {what}")


def _wait_for(url: str, expected: str) -> None:
    _wait_until(lambda: _get(url) == expected, f"{url} answers {expected!r}")


def _status(port: int, path: str) -> tuple[int, str | None]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


def test_serve_rebuilds_and_reloads_on_change(synthetic_project):
    project = synthetic_project  # small invented data: a quick first build
    code = f"import pathlib; from scoreboard.site import serve; serve.serve(pathlib.Path({str(project)!r}), 0)"
    server = subprocess.Popen(  # a session of its own: stopping it stops its build workers too
        [sys.executable, "-u", "-c", code],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        first = server.stdout.readline()  # "Preview: http://127.0.0.1:PORT/ ...", before any build
        port = int(first.split("http://127.0.0.1:")[1].split("/")[0])
        base = f"http://127.0.0.1:{port}"
        _wait_for(f"{base}/__build", "1")
        about = _get(f"{base}/about/")
        assert "/__build" in about and "location.reload()" in about
        assert "/__build" not in (project / "site/about/index.html").read_text(encoding="utf-8")
        assert "Vietnam Digital Transformation Scoreboard" in _get(f"{base}/en/")
        # a folder without its slash is redirected, so the page's relative links resolve
        for path, location in (("/en", "/en/"), ("/en/about?x=1", "/en/about/?x=1"), ("//en", "/en/")):
            assert _status(port, path) == (301, location), path
        # never a redirect to another host, never a folder listing
        for path in ("/\\evil.example/../en", "/%5Cevil.example/../en", "/../../etc/passwd", "/assets/"):
            assert _status(port, path) == (404, None), path
        assert _status(port, "//evil.example/../en")[1] in (None, "/en/")

        entry = f"{base}/pagefind/pagefind-entry.json"
        _wait_until(lambda: '"vi"' in _get(entry), "a search index")  # it follows the first pages
        indexed = _get(entry)
        page = project / "site_src/pages/vi/about.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nĐoạn mới để thử tải lại.\n", encoding="utf-8")
        _wait_for(f"{base}/__build", "2")
        assert "Đoạn mới để thử tải lại." in _get(f"{base}/about/")
        _wait_until(lambda: _get(entry) != indexed, "a new search index")  # then the index is remade
        assert '"vi"' in _get(entry)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
        server.stdout.close()


def test_a_dropped_connection_prints_nothing_but_an_error_in_the_server_still_does(capsys):
    server = serve.PreviewServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    try:
        for dropped in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "Connection reset by peer")):
            try:
                raise dropped
            except ConnectionError:
                server.handle_error(None, ("127.0.0.1", 50000))
        assert capsys.readouterr().err == ""
        try:
            raise ValueError("a bug in the preview's handler")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 50000))
        assert "a bug in the preview's handler" in capsys.readouterr().err
    finally:
        server.server_close()


def test_only_a_changed_file_starts_a_rebuild(tmp_path):
    """watchdog reports files being opened and read too: a build reads every watched file,
    so reacting to those would start the next build, for ever."""
    from watchdog.events import (
        FileClosedEvent,
        FileClosedNoWriteEvent,
        FileCreatedEvent,
        FileModifiedEvent,
        FileMovedEvent,
        FileOpenedEvent,
    )

    data = tmp_path / "data" / "reference" / "indicators.csv"
    changes = serve._Changes(tmp_path)
    for event in (FileOpenedEvent(str(data)), FileClosedNoWriteEvent(str(data))):
        changes.on_any_event(event)
    assert changes.changed_at == 0.0
    for event in (
        FileModifiedEvent(str(data)),
        FileClosedEvent(str(data)),
        FileCreatedEvent(str(data)),
        FileMovedEvent(str(data) + ".tmp", str(data)),
    ):
        changes.changed_at = 0.0
        changes.on_any_event(event)
        assert changes.changed_at > 0, event
    changes.changed_at = 0.0
    changes.on_any_event(FileModifiedEvent(str(tmp_path / "site_src" / "build" / "vi" / "index.md")))
    assert changes.changed_at == 0.0  # the build's own output is not watched
