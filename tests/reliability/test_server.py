"""`unres serve` under hostile use: foreign Host names, pages without their security headers, silent
or slow connections, and an index deleted or rebuilt under the running server."""

from __future__ import annotations

import select
import shutil
import socket
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.serve.conftest import serving
from unres.index import Indexer
from unres.search import Searcher
from unres.serve.api import create_app
from unres.serve.hosts import LOOPBACK_NAMES, host_names
from unres.serve.live import searcher_options
from unres.serve.server import uvicorn_server

DATA = "/stats"
NEW = "A/RES/78/1"  # in the rebuilt index only


@pytest.mark.parametrize(("bound", "allow", "host", "status"), [
    pytest.param("127.0.0.1", (), "127.0.0.1:8700", 200, id="loopback: its address and port"),
    pytest.param("127.0.0.1", (), "127.0.0.1", 200, id="loopback: its address without the port"),
    pytest.param("127.0.0.1", (), "localhost:8700", 200, id="loopback: localhost"),
    pytest.param("127.0.0.1", (), "LocalHost.", 200, id="loopback: localhost in any case, fully qualified"),
    pytest.param("127.0.0.1", (), "[::1]:8700", 200, id="loopback: the IPv6 loopback"),
    pytest.param("127.0.0.1", (), "attacker.example", 400, id="loopback: a DNS rebinding name is refused"),
    pytest.param("127.0.0.1", (), "attacker.example:8700", 400, id="loopback: a rebinding name with the port is refused"),
    pytest.param("127.0.0.1", (), "localhost.attacker.example", 400, id="loopback: a name ending elsewhere is refused"),
    pytest.param("127.0.0.1", (), "127.0.0.1@attacker.example", 400, id="loopback: a name with userinfo is refused"),
    pytest.param("127.0.0.1", (), "", 400, id="loopback: an empty Host is refused"),
    pytest.param("127.0.0.1", (), "localhost:http", 400, id="loopback: a port that is not a number is refused"),
    pytest.param("127.0.0.1", (), "[::1]x", 400, id="loopback: text after an IPv6 address is refused"),
    pytest.param("127.0.0.1", ("proxy.example",), "proxy.example", 200, id="loopback: a name given with --allow-host"),
    pytest.param("127.0.0.1", ("Proxy.Example",), "proxy.example:443", 200, id="loopback: --allow-host in any case, any port"),
    pytest.param("0.0.0.0", (), "localhost:8700", 200, id="any address: localhost"),
    pytest.param("0.0.0.0", (), "192.168.1.5:8700", 400, id="any address: an address not allowed is refused"),
    pytest.param("0.0.0.0", ("192.168.1.5",), "192.168.1.5:8700", 200, id="any address: an address given with --allow-host"),
    pytest.param("::", (), "[::1]:8700", 200, id="any IPv6 address: the IPv6 loopback"),
    pytest.param("::", (), "attacker.example", 400, id="any IPv6 address: a rebinding name is refused"),
    pytest.param("192.168.1.5", (), "192.168.1.5:8700", 200, id="one address: that address"),
    pytest.param("192.168.1.5", (), "localhost", 400, id="one address: localhost, which cannot reach it, is refused"),
    pytest.param("::1", (), "[0:0::1]", 200, id="IPv6 loopback: the same address spelled longer"),
])
def test_only_this_servers_host_names_get_an_answer(searcher, bound, allow, host, status):
    """A page on attacker.example that rebinds its name to 127.0.0.1 must read nothing: the name is not ours."""
    from fastapi.testclient import TestClient

    client = TestClient(create_app(searcher, allowed_hosts=host_names(bound, allow)), raise_server_exceptions=False)
    for path in (DATA, "/"):
        response = client.get(path, headers={"Host": host})
        assert response.status_code == status, (path, response.text)
        if status == 400:
            body = response.json()
            assert list(body) == ["error"] and "\n" not in body["error"] and "Host" in body["error"], body


def test_the_default_app_answers_loopback_names_only(searcher):
    from fastapi.testclient import TestClient

    client = TestClient(create_app(searcher), raise_server_exceptions=False)
    assert "127.0.0.1" in LOOPBACK_NAMES
    assert client.get(DATA, headers={"Host": "127.0.0.1:8700"}).status_code == 200
    assert client.get(DATA, headers={"Host": "attacker.example"}).status_code == 400


PAGE_ROUTES = ["/", "/static/index.html", "/static/app.js", "/static/style.css", "/static/favicon.svg", "/docs",
               "/docs-assets/swagger-ui.css", "/stats", "/no-such-page"]


@pytest.mark.parametrize("path", PAGE_ROUTES, ids=lambda path: path)
def test_every_route_carries_the_security_headers(searcher, path):
    """`/static/index.html` is the page `/` serves: without the policy a script injected there would run."""
    from fastapi.testclient import TestClient

    client = TestClient(create_app(searcher, allowed_hosts=["testserver"]), raise_server_exceptions=False)
    headers = client.get(path).headers
    policy = dict(d.strip().partition(" ")[::2] for d in headers.get("content-security-policy", "").split(";"))
    assert (policy.get("default-src"), policy.get("object-src"), policy.get("frame-ancestors")) == ("'self'", "'none'", "'none'"), policy
    assert "'unsafe-inline'" not in policy.get("script-src", ""), policy  # no script runs inline
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("referrer-policy") == "no-referrer"


@pytest.fixture(scope="module")
def bounded_url(searcher):
    """The app on a real port, as `unres serve` runs it, with the header and idle limits cut to 1 s."""
    with serving(uvicorn_server(create_app(searcher), head_timeout=1.0, idle_timeout=1.0)) as address:
        yield address


REQUEST = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def answered(connection: socket.socket) -> bytes:
    """One whole response to `REQUEST` (a small JSON body)."""
    data = b""
    while b'"ok"}' not in data:
        chunk = connection.recv(4096)
        assert chunk, data
        data += chunk
    return data


def silent(connection: socket.socket) -> None:
    connection.sendall(b"")


def head_dripped(connection: socket.socket) -> None:
    connection.sendall(b"GET /healthz HTTP/1.1\r\n")


def after_a_response(connection: socket.socket) -> None:
    connection.sendall(REQUEST)
    assert b"200 OK" in answered(connection)


def head_dripped_after_a_response(connection: socket.socket) -> None:
    after_a_response(connection)
    head_dripped(connection)


@pytest.mark.parametrize(("start", "drip"), [
    pytest.param(silent, False, id="a connection that never sends: closed after the header limit"),
    pytest.param(head_dripped, True, id="a request head sent one line at a time: closed after the header limit"),
    pytest.param(after_a_response, False, id="an idle keep-alive connection: closed after the idle limit"),
    pytest.param(head_dripped_after_a_response, True, id="a second head dripped on a kept-alive connection: closed"),
])
def test_slow_or_silent_connections_are_closed(bounded_url, start, drip):
    """One slow client per socket must not hold the socket for ever: within 1 s (the limits here) plus slack."""
    with socket.create_connection(bounded_url, timeout=10) as connection:
        start(connection)
        began = time.monotonic()
        while time.monotonic() - began < 5:
            if select.select([connection], [], [], 0.3)[0]:
                try:
                    if not connection.recv(4096):
                        break
                except ConnectionError:
                    break
            elif drip:
                try:
                    connection.sendall(b"X-Slow: 1\r\n")
                except ConnectionError:
                    break
        waited = time.monotonic() - began
    assert waited < 3, f"connection still open after {waited:.1f} s"


def test_a_head_in_pieces_within_the_limit_is_answered(bounded_url):
    with socket.create_connection(bounded_url, timeout=10) as connection:
        for piece in (REQUEST[:10], REQUEST[10:30], REQUEST[30:]):
            connection.sendall(piece)
            time.sleep(0.2)
        assert b"200 OK" in answered(connection)


def rebuilt(path: Path, new: Path) -> None:
    shutil.rmtree(path)
    shutil.copytree(new, path)


def moved_in(path: Path, new: Path) -> None:
    path.rename(path.with_name("old-index"))
    shutil.copytree(new, path)


def deleted(path: Path, new: Path) -> None:
    shutil.rmtree(path)


def emptied(path: Path, new: Path) -> None:
    shutil.rmtree(path)
    path.mkdir()


@pytest.mark.parametrize(("change", "status"), [
    pytest.param(rebuilt, 200, id="deleted and rebuilt at the same path: the new index answers"),
    pytest.param(moved_in, 200, id="old index moved away, new one copied in: the new index answers"),
    pytest.param(deleted, 503, id="deleted: 503 naming the missing index"),
    pytest.param(emptied, 503, id="replaced by an empty directory: 503 naming the missing index"),
])
@pytest.mark.parametrize("workers", [1, 2])
def test_a_replaced_or_deleted_index_is_never_answered_from(built_index, searcher, tmp_path, change, status, workers):
    """The server opened an index of five resolutions; the directory at its path then changes under it.
    With two workers, requests alternate between them: each must notice on its own."""
    from fastapi.testclient import TestClient

    path, new = tmp_path / "unres-index", tmp_path / "new-index"
    shutil.copytree(built_index, new)
    shutil.copytree(built_index, path)
    Indexer(path).remove([NEW])
    new_id = searcher.resolution(NEW).operative[0].id
    with Searcher.open(path, **searcher_options(workers)) as opened:
        client = TestClient(create_app(opened, allowed_hosts=["testserver"], workers=workers), raise_server_exceptions=False)
        assert client.get(f"/paragraphs/{quote(new_id, safe='/')}").status_code == 404
        assert sum(client.get(DATA).json()["resolutions"].values()) == 5
        change(path, new)
        for route in (DATA, f"/paragraphs/{quote(new_id, safe='/')}", "/search?q=peace&mode=lexical", "/verbs", "/healthz"):
            response = client.get(route)
            assert response.status_code == status, (route, response.text)
            if status == 503:
                error = response.json()["error"]
                assert error.startswith("the index: ") and str(tmp_path) not in error and "\n" not in error, error
        if status == 200:
            assert sum(client.get(DATA).json()["resolutions"].values()) == 6
        else:
            shutil.copytree(new, path, dirs_exist_ok=True)
            assert sum(client.get(DATA).json()["resolutions"].values()) == 6, "the index rebuilt after the 503"
