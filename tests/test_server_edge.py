"""The server's edge against the security test of 2026-12-07 (M5, M6, M7, L2, L4, L8), over real sockets.

Two kinds of server, each started as a subprocess:

- the real one, `streamlit run server.py` (dashboard.py), for what needs no sign-in: Host names, the framing
  headers, metrics, an anonymous upload, and how it starts (or refuses to) on a network address;
- the launcher (tests/edge_servers.py): a small script served behind the same edge, on a store with a viewer, an
  analyst and an admin whose sign-in tokens the test issues (analytics/access/tokens.py, as the sign-in form does),
  for what depends on who is signed in: uploads, downloads, deferred downloads, clearing the caches, and the two
  cookie routes.

EDGE_TESTS_WITHOUT_EDGE=1 starts the same servers as before issue 16 (no edge): every test here then fails.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
from websockets.exceptions import InvalidStatus

import edge
from analytics.access import tokens as tk
from tests.edge_servers import (
    ROOT,
    Launcher,
    blast,
    certificate,
    certificate_maker,
    free_port,
    held_uploads,
    network_address,
    request,
    server_command,
    serving,
    stream,
    upload,
)

LAN = network_address()
FOREIGN = "evil.example"


# --- The real server, on this computer --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def local_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("edge-local")
    port = free_port()
    with serving(server_command(port, "127.0.0.1"), f"http://127.0.0.1:{port}", folder / "server.log",
                 env={"ONESTOP_DATA_DIR": str(folder / "data")}) as running:
        yield running


@pytest.mark.parametrize("path", ["/", "/tong-quan", "/_stcore/health", "/_stcore/host-config", "/static/x.js",
                                  "/media/x.png"])
def test_a_foreign_host_name_gets_nothing(local_server, path):
    """M6: `curl -H "Host: evil.example" …` (what a page gets after a rebinding DNS points its name here)."""
    answer = request(local_server.url, path, host=f"{FOREIGN}:{local_server.url.rsplit(':', 1)[1]}")
    assert answer.status == 421
    assert b"<html" not in answer.body.lower() and answer.body.decode() == edge.HOST_REFUSED


def test_a_foreign_host_name_opens_no_websocket(local_server):
    """M6: the rebinding-style handshake of the security test (Host and Origin of the foreign site) is refused, and
    so is a foreign Host with no Origin."""
    port = local_server.url.rsplit(":", 1)[1]
    for origin in (f"http://{FOREIGN}:{port}", None):
        with pytest.raises(InvalidStatus) as refused:
            stream(local_server.url, host=f"{FOREIGN}:{port}", origin=origin)
        assert refused.value.response.status_code == 403


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]", "LOCALHOST", "localhost."])
def test_the_localhost_names_are_served(local_server, host):
    port = local_server.url.rsplit(":", 1)[1]
    assert request(local_server.url, "/_stcore/health", host=f"{host}:{port}").status == 200
    page = stream(local_server.url, host=f"{host}:{port}")
    try:
        page.run()
        assert page.session_id
    finally:
        page.close()


@pytest.mark.parametrize("path", ["/", "/tong-quan", "/bieu-06", "/_stcore/health"])
def test_pages_cannot_be_framed_by_another_site(local_server, path):
    """L8: the HTML (and every other answer) forbids framing, by the old header and by CSP."""
    answer = request(local_server.url, path)
    assert answer.status == 200
    assert answer.header("x-frame-options") == "DENY"
    assert "frame-ancestors 'none'" in answer.header("content-security-policy")
    assert answer.header("x-content-type-options") == "nosniff"
    assert answer.header("referrer-policy") == "same-origin"


def test_metrics_are_not_shown_without_signing_in(local_server):
    """L8: /_stcore/metrics showed live session counts to anyone."""
    page = stream(local_server.url)  # a session exists, so there is something to count
    try:
        page.run()
        answer = request(local_server.url, "/_stcore/metrics")
    finally:
        page.close()
    assert answer.status == 403
    assert b"session" not in answer.body and answer.body.decode() == edge.METRICS_REFUSED


def test_an_anonymous_upload_is_refused_without_being_read(local_server):
    """M5: a WebSocket (a session, not signed in), then PUTs with a made-up XSRF pair: refused before the body is
    read, so the server's memory does not grow (the security test saw +100 MB for 5 × 20 MB, held until the
    session ended)."""
    page = stream(local_server.url)
    try:
        page.run()
        assert page.session_id
        before = local_server.settled_rss_kb()
        answers = [blast(local_server.url, page.session_id, f"big{n}", 32 << 20) for n in range(3)]
        time.sleep(1)
        grown = local_server.rss_kb() - before
        small = upload(local_server.url, page.session_id, "probe", b"a,b\n1,2\n")
    finally:
        page.close()
    assert grown < 20_000, f"the server's memory grew by {grown} kB for 96 MB sent"
    assert not any(a.startswith(b"HTTP/1.1 204") for a in answers)
    assert small.status == 403 and small.body.decode() == edge.UPLOAD_REFUSED


# --- How the real server starts on a network address ---------------------------------------------------------------

def started(command: list[str], log: Path, seconds: float = 30) -> tuple[int | None, str]:
    """Run a server command for up to `seconds`: its exit code (None if it kept running) and its output."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        pass
    code = process.poll()
    if code is None:
        process.terminate()
        process.wait(timeout=20)
    return code, log.read_text(errors="replace")


def test_a_network_address_without_a_certificate_does_not_start(tmp_path):
    """M7: the README's old network command, without TLS, must not serve passwords in clear: it stops with a
    message in Vietnamese that says what to run."""
    port = free_port()
    code, output = started(server_command(port, "0.0.0.0"), tmp_path / "server.log")
    assert code == 2, output
    assert "Không khởi động: máy chủ sẽ mở trên địa chỉ mạng 0.0.0.0 mà không có HTTPS" in output
    assert "--server.sslCertFile deploy/tls/cert.pem --server.sslKeyFile deploy/tls/key.pem" in output
    with pytest.raises(OSError):
        request(f"http://127.0.0.1:{port}", "/_stcore/health", timeout=3)


def test_accepting_any_host_name_does_not_start(tmp_path):
    code, output = started(server_command(free_port(), None, None, "server.py", "--server.allowedHosts", "*"),
                           tmp_path / "server.log")
    assert code == 2, output
    assert 'server.allowedHosts có "*"' in output


def test_a_missing_certificate_file_does_not_start(tmp_path):
    """(uvicorn loads the certificate before server.py is imported: its own error, in English, then the exit.)"""
    port = free_port()
    code, output = started(server_command(port, "0.0.0.0", (Path("deploy/tls/khong-co.pem"),
                                                            Path("deploy/tls/khong-co.pem"))), tmp_path / "server.log")
    assert code not in (None, 0), output
    assert "FileNotFoundError" in output


@pytest.mark.parametrize("env, args", [({"ONESTOP_SINGLE_USER": "1"}, []), ({}, ["--", "--mot-nguoi-dung"])])
def test_single_user_mode_does_not_start_on_a_network_address(tmp_path, env, args):
    cert = certificate(tmp_path / "tls", ["may-chu-hdnd"])
    with (tmp_path / "server.log").open("wb") as out:
        process = subprocess.Popen(server_command(free_port(), "0.0.0.0", cert) + args, cwd=ROOT, stdout=out,
                                   stderr=subprocess.STDOUT, env={**os.environ, **env})
    try:
        code = process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        code = None
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)
    output = (tmp_path / "server.log").read_text(errors="replace")
    assert code == 2, output
    assert "ONESTOP_SINGLE_USER=1 (chế độ một người dùng, không đăng nhập) chỉ dùng trên chính máy" in output


@pytest.fixture(scope="module")
def network_server(tmp_path_factory):
    """The README's network set-up: every address, HTTPS with a certificate made for this machine's names."""
    folder = tmp_path_factory.mktemp("edge-network")
    names = ["may-chu-hdnd.local"] + ([LAN] if LAN else [])
    cert = certificate(folder / "tls", names)
    port = free_port()
    with serving(server_command(port, "0.0.0.0", cert), f"https://{LAN or '127.0.0.1'}:{port}",
                 folder / "server.log", env={"ONESTOP_DATA_DIR": str(folder / "data")}) as running:
        yield running


def test_the_network_server_answers_over_https_by_its_certificate_names(network_server):
    port = network_server.url.rsplit(":", 1)[1]
    for host in ["may-chu-hdnd.local", LAN or "127.0.0.1", "localhost"]:
        answer = request(network_server.url, "/_stcore/health", host=f"{host}:{port}")
        assert answer.status == 200, host
    assert request(network_server.url, "/", host=f"{FOREIGN}:{port}").status == 421
    assert request(network_server.url, "/", host=f"other-name.local:{port}").status == 421


@pytest.mark.skipif(LAN is None, reason="this machine has no network address other than loopback")
def test_plain_http_on_the_network_address_gets_no_page(network_server):
    """M7: `http://` to the network address is refused: no HTTP answer at all, no page, no redirect to follow."""
    port = int(network_server.url.rsplit(":", 1)[1])
    received = b""
    with socket.create_connection((LAN, port), timeout=10) as raw:
        raw.sendall(f"GET /tong-quan HTTP/1.1\r\nHost: {LAN}:{port}\r\nConnection: close\r\n\r\n".encode())
        try:
            while chunk := raw.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass
    assert not received.startswith(b"HTTP/"), received[:200]
    assert b"<html" not in received.lower()


# --- Behind the edge, as someone: the small launcher -----------------------------------------------------------

@pytest.fixture(scope="module")
def small(tmp_path_factory):
    launcher = Launcher(tmp_path_factory.mktemp("edge-small"), accounts=("viewer", "analyst", "admin"))
    port = free_port()
    with serving(launcher.command(port, "--server.allowedHosts", "127.0.0.1", "--server.allowedHosts",
                                  "may-chu-hdnd.local"),
                 f"http://127.0.0.1:{port}", launcher.folder / "server.log", env=launcher.env()) as running:
        running.launcher = launcher
        yield running


def signed(small, role: str) -> str:
    return small.launcher.signed(role)


def open_page(small, cookie: str = ""):
    page = stream(small.url, cookie=cookie)
    page.run()
    assert page.session_id
    return page


def test_an_upload_reaches_memory_only_for_a_live_analyst_or_admin(small):
    """M5: the anonymous PUT and the viewer's are answered 403 and Streamlit's upload manager holds nothing of them;
    the analyst's and the admin's are kept; a revoked token uploads nothing."""
    page = open_page(small)
    try:
        sid = page.session_id
        assert upload(small.url, sid, "anonymous", b"x" * 1000).status == 403
        viewer = signed(small, "viewer")
        assert upload(small.url, sid, "viewer", b"x" * 1000, cookie=viewer).status == 403
        assert held_uploads(small.url).get(sid, {}) == {}
        analyst, admin = signed(small, "analyst"), signed(small, "admin")
        assert upload(small.url, sid, "analyst", b"x" * 1000, cookie=analyst).status == 204
        assert upload(small.url, sid, "admin", b"y" * 2000, cookie=admin).status == 204
        assert held_uploads(small.url)[sid] == {"analyst": 1000, "admin": 2000}
        # an anonymous DELETE of the analyst's file is refused too
        assert upload(small.url, sid, "analyst", b"", method="DELETE").status == 403
        assert held_uploads(small.url)[sid] == {"analyst": 1000, "admin": 2000}
        small.launcher.tokens().revoke(analyst.split("=", 1)[1])  # signed out (or a password change, a lock)
        assert upload(small.url, sid, "after-sign-out", b"x", cookie=analyst).status == 403
        assert "after-sign-out" not in held_uploads(small.url)[sid]
        assert upload(small.url, sid, "made-up", b"x", cookie=f"{tk.COOKIE}=not-a-token").status == 403
    finally:
        page.close()


def test_a_file_download_goes_only_to_a_live_analyst(small):
    """L2: the eager download's /media/ URL, fetched with no session and no cookie, or as a viewer: 403; as an
    analyst: the file. A picture (not a download) stays public: the sign-in page's icon is one."""
    page = open_page(small, signed(small, "analyst"))
    try:
        buttons = [e.download_button for e in page.elements() if e.WhichOneof("type") == "download_button"]
        eager = next(b.url for b in buttons if b.url)
        picture = next(e.imgs.imgs[0].url for e in page.elements() if e.WhichOneof("type") == "imgs")
        anonymous = request(small.url, eager)
        viewer = request(small.url, eager, headers={"Cookie": signed(small, "viewer")})
        analyst = request(small.url, eager, headers={"Cookie": signed(small, "analyst")})
        image = request(small.url, picture)
    finally:
        page.close()
    assert anonymous.status == 403 and b"eager secret" not in anonymous.body
    assert anonymous.body.decode() == edge.DOWNLOAD_REFUSED
    assert viewer.status == 403 and b"eager secret" not in viewer.body
    assert analyst.status == 200 and analyst.body == b"eager secret"
    assert "attachment" in analyst.header("content-disposition")
    assert image.status == 200 and image.body.startswith(b"\x89PNG")


def deferred_request(file_id: str, request_id: str, session_id: str):
    from streamlit.proto.BackMsg_pb2 import BackMsg
    message = BackMsg()
    message.backend_operation_request.request_id = request_id
    message.backend_operation_request.session_id = session_id
    message.backend_operation_request.deferred_file.file_id = file_id
    return message


def answered(page, request_id: str, seconds: float = 5):
    got = page.read_until(lambda m: m.WhichOneof("type") == "backend_operation_response"
                          and m.backend_operation_response.request_id == request_id, seconds)
    return [m.backend_operation_response for m in got if m.WhichOneof("type") == "backend_operation_response"]


def test_a_deferred_download_runs_only_for_a_live_analyst(small):
    """L2 (and H2's unlogged path): an anonymous session that sends the analyst's deferred id gets nothing and the
    callable does not run; the analyst's own session gets the file."""
    analyst = open_page(small, signed(small, "analyst"))
    anonymous = open_page(small)
    try:
        deferred = next(e.download_button.deferred_file_id for e in analyst.elements()
                        if e.WhichOneof("type") == "download_button" and e.download_button.deferred_file_id)
        made = small.launcher.deferred_made()
        anonymous.send(deferred_request(deferred, "stolen", anonymous.session_id))
        assert answered(anonymous, "stolen") == []
        assert small.launcher.deferred_made() == made
        analyst.send(deferred_request(deferred, "own", analyst.session_id))
        response = answered(analyst, "own", 30)
        assert response and response[0].deferred_file.url.startswith("/media/")
        assert small.launcher.deferred_made() == made + 1
    finally:
        analyst.close()
        anonymous.close()


def test_an_anonymous_client_cannot_clear_everyones_caches(small):
    """L4: BackMsg.clear_cache from a session nobody signed in to (or a viewer) leaves the cache; an admin's
    clears it (the dashboard offers no such button; the test shows the message is judged, not dropped blindly)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    clear = BackMsg()
    clear.clear_cache = True
    first = open_page(small)
    first.close()
    runs = small.launcher.computed()
    assert runs >= 1
    for cookie in ("", signed(small, "viewer"), signed(small, "analyst")):
        page = stream(small.url, cookie=cookie)
        try:
            page.send(clear)
            page.run()
        finally:
            page.close()
        assert small.launcher.computed() == runs, f"cleared by {cookie or 'an anonymous session'}"
    admin = stream(small.url, cookie=signed(small, "admin"))
    try:
        admin.send(clear)
        admin.run()
    finally:
        admin.close()
    assert small.launcher.computed() == runs + 1


def test_install_skills_requests_are_dropped(small):
    from streamlit.proto.BackMsg_pb2 import BackMsg
    page = open_page(small, signed(small, "admin"))
    try:
        message = BackMsg()
        message.backend_operation_request.request_id = "skills"
        message.backend_operation_request.session_id = page.session_id
        message.backend_operation_request.install_skills.SetInParent()
        page.send(message)
        assert answered(page, "skills", 3) == []
    finally:
        page.close()


def test_metrics_are_shown_to_an_admin(small):
    assert request(small.url, "/_stcore/metrics", headers={"Cookie": signed(small, "analyst")}).status == 403
    answer = request(small.url, "/_stcore/metrics", headers={"Cookie": signed(small, "admin")})
    assert answer.status == 200 and b"session" in answer.body


# --- The sign-in cookie's routes -------------------------------------------------------------------------------

def cookie_attributes(set_cookie: str) -> dict[str, str]:
    parts = [p.strip() for p in set_cookie.split(";")]
    out = {"": parts[0]}
    for part in parts[1:]:
        key, _, value = part.partition("=")
        out[key.lower()] = value
    return out


def handover_code(launcher, role: str) -> tuple[str, str]:
    """(token, one-time code) as the sign-in form makes them for the account of `role`."""
    tokens = launcher.tokens()
    token = tokens.issue(f"nguoi-{role}")
    return token, tokens.handover(token)


def test_the_handover_sets_the_sign_in_cookie_and_goes_on(small):
    token, code = handover_code(small.launcher, "analyst")
    answer = request(small.url, f"{tk.HANDOVER_PATH}?ma={code}&tiep=/bieu-06%3Fky%3Dquarter")
    assert answer.status == 303
    assert answer.header("location") == "/bieu-06?ky=quarter"
    assert answer.header("cache-control") == "no-store"
    cookie = cookie_attributes(answer.header("set-cookie"))
    assert cookie[""] == f"{tk.COOKIE}={token}"
    assert "httponly" in cookie and cookie["samesite"].lower() == "strict" and cookie["path"] == "/"
    assert "secure" not in cookie  # plain HTTP on this computer; over HTTPS it is Secure (below)
    assert "max-age" not in cookie and "expires" not in cookie  # ends with the browser
    assert small.launcher.tokens().bound(token)  # handed to a browser: now only a request carrying it is that person
    # the code is one-time: the second use sets nothing
    again = request(small.url, f"{tk.HANDOVER_PATH}?ma={code}&tiep=/bieu-06")
    assert again.status == 303 and again.header("set-cookie") is None


@pytest.mark.parametrize("tiep", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x",
                                  "", "evil", "/%0d%0aSet-Cookie:x", "/\r\nx"])
def test_the_handover_goes_on_only_to_a_path_of_this_site(small, tiep):
    from urllib.parse import quote
    answer = request(small.url, f"{tk.HANDOVER_PATH}?ma=nothing&tiep={quote(tiep, safe='')}")
    assert answer.status == 303
    location = answer.header("location")
    assert location == "/" or (location.startswith("/") and not location.startswith("//") and "\\" not in location
                               and "\r" not in location and "\n" not in location)
    assert answer.header("set-cookie") is None


def test_sign_out_revokes_the_token_and_deletes_the_cookie(small):
    cookie = signed(small, "analyst")
    token = cookie.split("=", 1)[1]
    assert small.launcher.tokens().check(token, edge.idle_limit()).state == tk.LIVE
    answer = request(small.url, f"{tk.SIGN_OUT_PATH}?tiep=/tong-quan", headers={"Cookie": cookie})
    assert answer.status == 303 and answer.header("location") == "/tong-quan"
    assert small.launcher.tokens().check(token, edge.idle_limit()).state == tk.REVOKED
    deleted = cookie_attributes(answer.header("set-cookie"))
    assert deleted[""] in (f'{tk.COOKIE}=""', f"{tk.COOKIE}=")
    assert deleted.get("max-age") == "0" and deleted["path"] == "/" and "httponly" in deleted
    # and that token no longer uploads
    page = open_page(small)
    try:
        assert upload(small.url, page.session_id, "f", b"x", cookie=cookie).status == 403
    finally:
        page.close()


def test_the_cookie_routes_have_a_budget_per_client(small):
    """SIGN_INS_PER_MINUTE requests a minute from one address (the tests above used some of them): then 429."""
    answers = [request(small.url, f"{tk.HANDOVER_PATH}?ma=guess{n}&tiep=/").status
               for n in range(edge.SIGN_INS_PER_MINUTE + 1)]
    first = answers.index(429)
    assert set(answers[:first]) <= {303} and set(answers[first:]) == {429}
    assert request(small.url, f"{tk.SIGN_OUT_PATH}?tiep=/").status == 429
    assert "retry-after" in request(small.url, f"{tk.SIGN_OUT_PATH}?tiep=/").headers


@pytest.fixture(scope="module")
def small_https(tmp_path_factory):
    launcher = Launcher(tmp_path_factory.mktemp("edge-small-https"), accounts=("viewer",))
    cert = certificate(launcher.folder / "tls", ["may-chu-hdnd.local"])
    port = free_port()
    with serving(launcher.command(port, address="0.0.0.0", tls=cert), f"https://127.0.0.1:{port}",
                 launcher.folder / "server.log", env=launcher.env()) as running:
        running.launcher = launcher
        yield running


def test_over_https_the_cookie_is_secure(small_https):
    token, code = handover_code(small_https.launcher, "viewer")
    answer = request(small_https.url, f"{tk.HANDOVER_PATH}?ma={code}&tiep=/")
    cookie = cookie_attributes(answer.header("set-cookie"))
    assert cookie[""] == f"{tk.COOKIE}={token}" and "secure" in cookie and "httponly" in cookie
    out = request(small_https.url, f"{tk.SIGN_OUT_PATH}?tiep=/", headers={"Cookie": f"{tk.COOKIE}={token}"})
    assert "secure" in cookie_attributes(out.header("set-cookie"))


# --- Single-user mode: uploads only from this computer ---------------------------------------------------------

@pytest.fixture(scope="module")
def single_user(tmp_path_factory):
    launcher = Launcher(tmp_path_factory.mktemp("edge-single"))
    port = free_port()
    with serving(launcher.command(port, "--server.allowedHosts", "127.0.0.1", "--server.allowedHosts",
                                  "may-chu-hdnd.local"), f"http://127.0.0.1:{port}",
                 launcher.folder / "server.log", env={**launcher.env(), "ONESTOP_SINGLE_USER": "1"}) as running:
        running.launcher = launcher
        yield running


def test_single_user_uploads_come_only_from_this_computer_by_a_localhost_name(single_user):
    """M6/M5: single-user mode (explicit) lets a loopback client that names localhost upload; the same loopback
    client naming the server's network name (what a forwarder or proxy on this computer passes on) may not."""
    port = single_user.url.rsplit(":", 1)[1]
    page = open_page(single_user)
    try:
        sid = page.session_id
        assert upload(single_user.url, sid, "here", b"x" * 10, host=f"localhost:{port}").status == 204
        assert upload(single_user.url, sid, "proxied", b"x" * 10, host=f"may-chu-hdnd.local:{port}").status == 403
        assert held_uploads(single_user.url)[sid] == {"here": 10}
    finally:
        page.close()


def test_streamlits_own_websocket_check_takes_the_same_names(single_user):
    """server.allowedHosts here is 127.0.0.1 and may-chu-hdnd.local only; the edge hands Streamlit its whole list,
    so a page at localhost (or at ::1) still gets its WebSocket from Streamlit's own Host check too."""
    port = single_user.url.rsplit(":", 1)[1]
    for host in (f"localhost:{port}", f"[::1]:{port}", f"may-chu-hdnd.local:{port}"):
        page = stream(single_user.url, host=host)
        try:
            page.run()
            assert page.session_id, host
        finally:
            page.close()


# --- The certificate tool and the old command --------------------------------------------------------------------

def test_the_certificate_names_the_server_and_keeps_its_key_private(tmp_path):
    import datetime as dt

    from cryptography import x509
    cert_path, key_path = certificate(tmp_path / "tls", ["May-Chu-HDND", "192.168.1.10"])
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    assert sorted(edge.certificate_names(cert_path)) == sorted(["may-chu-hdnd", "localhost", "192.168.1.10",
                                                                 "127.0.0.1", "::1"])
    assert (key_path.stat().st_mode & 0o777) == 0o600
    lasts = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert dt.timedelta(days=825) <= lasts <= dt.timedelta(days=825, minutes=6)
    assert x509.ExtendedKeyUsageOID.SERVER_AUTH in cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    # the command refuses to replace a certificate that computers already trust, unless told to
    maker = certificate_maker()
    assert maker.main(["may-chu-hdnd", "--out", str(tmp_path / "tls")]) == 1
    assert maker.main(["may-chu-hdnd", "--out", str(tmp_path / "tls"), "--force"]) == 0


def test_an_openssl_certificate_works_too(tmp_path):
    """An office that makes its certificate with openssl (or has its own authority) gets the same server."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "30", "-subj", "/CN=hdnd-openssl.local",
                    "-addext", "subjectAltName=DNS:hdnd-openssl.local,IP:127.0.0.1"],
                   check=True, capture_output=True)
    port = free_port()
    with serving(server_command(port, "0.0.0.0", (cert, key)), f"https://127.0.0.1:{port}", tmp_path / "log",
                 env={"ONESTOP_DATA_DIR": str(tmp_path / "data")}) as running:
        assert request(running.url, "/_stcore/health", host=f"hdnd-openssl.local:{port}").status == 200
        assert request(running.url, "/_stcore/health", host=f"other.local:{port}").status == 421


def test_a_script_served_without_the_edge_shows_only_how_to_start(tmp_path):
    """`streamlit run <script>` without server.py in front (the old `streamlit run dashboard.py`): the script's
    first call, edge.refuse_without_edge(), shows how to start instead of the page, and says it on the terminal."""
    launcher = Launcher(tmp_path / "small")
    port = free_port()
    with serving(server_command(port, "127.0.0.1", None, launcher.script), f"http://127.0.0.1:{port}",
                 tmp_path / "log", env=launcher.env()) as running:
        page = stream(running.url)
        try:
            page.run()
        finally:
            page.close()
        time.sleep(0.5)
        output = running.output()
    assert "streamlit run server.py" in page.texts() and "computed" not in page.texts()
    assert [e for e in page.elements() if e.WhichOneof("type") in ("download_button", "file_uploader")] == []
    assert "streamlit run server.py" in output and launcher.computed() == 0


def test_behind_the_edge_and_in_apptest_the_script_runs(small, tmp_path, monkeypatch):
    page = open_page(small)
    try:
        assert "computed" in page.texts()
    finally:
        page.close()
    from streamlit.testing.v1 import AppTest
    launcher = Launcher(tmp_path / "apptest")
    monkeypatch.setenv("EDGE_TEST_COUNTS", str(launcher.counts))
    at = AppTest.from_file(str(launcher.script), default_timeout=60).run()
    assert not at.exception and any("computed" in m.value for m in at.markdown)


def test_the_old_command_serves_no_dashboard(tmp_path):
    """`streamlit run dashboard.py --server.address 0.0.0.0` (an old note): no page, only how to start."""
    port = free_port()
    with serving(server_command(port, "127.0.0.1", None, "dashboard.py"), f"http://127.0.0.1:{port}",
                 tmp_path / "log", env={"ONESTOP_DATA_DIR": str(tmp_path / "data")}) as running:
        page = stream(running.url)
        try:
            page.run()
        finally:
            page.close()
    assert "streamlit run server.py" in page.texts()
    assert not re.search(r"Đăng nhập|Tổng quan|DỮ LIỆU MẪU", page.texts())


@pytest.mark.parametrize("minutes", [None, "30", "0.25", "90", "khong-phai-so"])
def test_the_edge_reads_the_idle_limit_as_the_sign_in_does(monkeypatch, minutes):
    """A person idle past ONESTOP_IDLE_MINUTES is out for the edge (uploads, downloads) exactly when the screens
    say so (ui/access.idle_limit)."""
    from ui import access
    if minutes is None:
        monkeypatch.delenv("ONESTOP_IDLE_MINUTES", raising=False)
    else:
        monkeypatch.setenv("ONESTOP_IDLE_MINUTES", minutes)
    assert edge.idle_limit() == access.idle_limit()
