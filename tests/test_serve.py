"""`python build_site.py serve`: builds, serves both languages, and rebuilds when a
source changes; served pages carry a small script that reloads them after a rebuild;
a folder asked for without its slash (/en) is redirected to it (/en/)."""

from __future__ import annotations

import http.client
import http.server
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from scoreboard.site import build as site

from .conftest import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(url: str, expected: str, seconds: float = 300) -> None:  # a guard against a hang, not a timing
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if _get(url) == expected:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never answered {expected!r}")


def test_serve_rebuilds_and_reloads_on_change(synthetic_project):
    project = synthetic_project  # small invented data: a cold first build draws few figures
    port = _free_port()
    code = f"import pathlib; from scoreboard.site import build as site; site.serve(pathlib.Path({str(project)!r}), {port})"
    server = subprocess.Popen(  # a session of its own: stopping it stops its build workers too
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(f"{base}/__build", "1")
        about = _get(f"{base}/about/")
        assert "/__build" in about and "location.reload()" in about
        assert "/__build" not in (project / "site/about/index.html").read_text(encoding="utf-8")
        assert "Vietnam Digital Transformation Scoreboard" in _get(f"{base}/en/")
        # a folder without its slash is redirected, so the page's relative links resolve
        for path, location in (("/en", "/en/"), ("/en/about?x=1", "/en/about/?x=1"), ("//en", "/en/")):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            response = connection.getresponse()
            assert (response.status, response.getheader("Location")) == (301, location), path
            connection.close()

        page = project / "site_src/pages/vi/about.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nĐoạn mới để thử tải lại.\n", encoding="utf-8")
        _wait_for(f"{base}/__build", "2")
        assert "Đoạn mới để thử tải lại." in _get(f"{base}/about/")
        # pages come first, then the search index catches up with them
        deadline = time.monotonic() + 300
        while not (project / "site/pagefind/pagefind-entry.json").exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert '"vi"' in _get(f"{base}/pagefind/pagefind-entry.json")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def test_a_dropped_connection_prints_nothing_but_an_error_in_the_server_still_does(capsys):
    server = site.PreviewServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
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
