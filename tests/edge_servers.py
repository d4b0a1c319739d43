"""Servers and clients for the tests of the server's edge (edge.py, server.py): the way the app is started, a
certificate made in the test, a raw Streamlit WebSocket client, and a small app behind the same edge.

- `server_command(...)`: `streamlit run server.py` with the options a test needs; the test and benchmark servers of
  other modules start the same way.
- `Launcher`: a small Streamlit script (a cached counter, an eager and a deferred download, a picture, an uploader)
  served by `st.App` with edge.py's middleware and routes, as server.py serves dashboard.py, plus one route for the
  test only (`/_test/uploads`: what Streamlit's upload manager holds); its store has a viewer, an analyst and an
  admin, whose sign-in tokens the test issues with analytics/access/tokens.py.
- `WITHOUT_EDGE` (environment EDGE_TESTS_WITHOUT_EDGE=1): every server here starts as before issue 16
  (`streamlit run dashboard.py`, the launcher without the edge) — the tests then fail, which is how each of them was
  first seen failing.
"""
from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WITHOUT_EDGE = os.environ.get("EDGE_TESTS_WITHOUT_EDGE") == "1"
UNVERIFIED = ssl._create_unverified_context()  # the test's own self-signed certificate


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def network_address() -> str | None:
    """This machine's address on the network (not loopback), if it has one."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def certificate(folder: Path, names: list[str]) -> tuple[Path, Path]:
    """A self-signed certificate for `names` (and the localhost names), made by deploy/certificate.py."""
    return certificate_maker().make(names, folder)


def certificate_maker():
    """deploy/certificate.py as a module (deploy/ is a folder of tools, not a package)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("deploy_certificate", ROOT / "deploy" / "certificate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def server_command(port: int, address: str | None = None, tls: tuple[Path, Path] | None = None,
                   script: str | Path = "server.py", *extra: str) -> list[str]:
    """`streamlit run server.py` as the tests and benchmarks start it (headless, no usage statistics, no file
    watcher); `address` None keeps .streamlit/config.toml's (localhost)."""
    if WITHOUT_EDGE and str(script) == "server.py":
        script = "dashboard.py"
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true", "--server.port",
               str(port), "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    if address is not None:
        command += ["--server.address", address]
    if tls is not None:
        command += ["--server.sslCertFile", str(tls[0]), "--server.sslKeyFile", str(tls[1])]
    return command + list(extra)


@dataclass
class Running:
    process: subprocess.Popen
    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def rss_kb(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS")

    def settled_rss_kb(self, seconds: float = 15) -> int:
        """The resident memory once the server has finished what it does at start (server.py's warm-up builds the
        data's overview on a thread): two readings half a second apart within 1 MB, or the last after `seconds`."""
        deadline, last = time.monotonic() + seconds, self.rss_kb()
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = self.rss_kb()
            if abs(now - last) < 1024:
                return now
            last = now
        return last


def wait_until_up(running: Running, deadline: float) -> None:
    while True:
        if running.process.poll() is not None:
            raise AssertionError(f"the server exited with {running.process.returncode}:\n{running.output()}")
        try:
            with urllib.request.urlopen(f"{running.url}/_stcore/health", timeout=2, context=UNVERIFIED) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.time() > deadline:
            raise AssertionError(f"no answer at {running.url}:\n{running.output()}")
        time.sleep(0.2)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextlib.contextmanager
def serving(command: list[str], url: str, log: Path, env: dict | None = None, up: bool = True):
    """The server of `command`, started in the project's folder; stopped (by its own pid) at the end."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=out,
                                   stderr=subprocess.STDOUT)
    running = Running(process, url, log)
    try:
        if up:
            wait_until_up(running, time.time() + 90)
        yield running
    finally:
        stop(process)


# --- HTTP --------------------------------------------------------------------------------------------------------

@dataclass
class Answer:
    status: int
    headers: dict[str, list[str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[0] if values else None


def request(url: str, path: str, method: str = "GET", host: str | None = None, headers: dict | None = None,
            body: bytes | None = None, timeout: float = 20) -> Answer:
    """One HTTP(S) request with http.client (no redirect followed, any Host header)."""
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout, context=UNVERIFIED)
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host or parts.netloc)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        collected: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            collected.setdefault(name.lower(), []).append(value)
        return Answer(response.status, collected, response.read())
    finally:
        connection.close()


def xsrf(url: str) -> str:
    """The XSRF token Streamlit sets (cookie and header carry the same value, as the browser sends them)."""
    answer = request(url, "/_stcore/health")
    for cookie in answer.headers.get("set-cookie", []):
        if cookie.startswith("_streamlit_xsrf="):
            return cookie.split(";")[0].split("=", 1)[1]
    return "2|00000000|00000000000000000000000000000000|0"  # what the security test made up: accepted as well


def multipart(name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "edgeboundary7d1f"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def upload(url: str, session_id: str, file_id: str, content: bytes, cookie: str = "", host: str | None = None,
           method: str = "PUT") -> Answer:
    token = xsrf(url)
    body, kind = multipart(f"{file_id}.csv", content)
    headers = {"Cookie": f"_streamlit_xsrf={token}" + (f"; {cookie}" if cookie else ""), "X-Xsrftoken": token,
               "Content-Type": kind}
    return request(url, f"/_stcore/upload_file/{session_id}/{file_id}", method, host=host, headers=headers,
                   body=body if method == "PUT" else None)


def blast(url: str, session_id: str, file_id: str, size: int) -> bytes:
    """A PUT of `size` bytes sent as fast as the socket takes them, without waiting for an answer (as an attacker
    sends it); the bytes of whatever came back (b"" when the server closed the connection first)."""
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    token = xsrf(url)
    body, kind = multipart(f"{file_id}.csv", b"x" * size)
    head = (f"PUT /_stcore/upload_file/{session_id}/{file_id} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Cookie: _streamlit_xsrf={token}\r\nX-Xsrftoken: {token}\r\nContent-Type: {kind}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as raw:
        try:
            raw.sendall(head)
            for start in range(0, len(body), 1 << 20):
                raw.sendall(body[start:start + (1 << 20)])
            raw.shutdown(socket.SHUT_WR)
            received = b""
            while chunk := raw.recv(65536):
                received += chunk
            return received
        except OSError:
            return b""


# --- The WebSocket -----------------------------------------------------------------------------------------------

@dataclass
class Stream:
    """A raw Streamlit WebSocket session: what a browser tab is, without the browser."""
    connection: object
    session_id: str = ""
    messages: list = field(default_factory=list)

    def send(self, back_msg) -> None:
        self.connection.send(back_msg.SerializeToString())

    def rerun(self, query: str = "") -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.page_script_hash = ""
        self.send(message)

    def read_until(self, done, timeout: float = 60) -> list:
        """ForwardMsgs until `done(msg)` is true for one of them (or the time is up); all of them are kept."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        deadline = time.time() + timeout
        got = []
        while time.time() < deadline:
            try:
                data = self.connection.recv(timeout=max(0.05, deadline - time.time()))
            except TimeoutError:
                break
            message = ForwardMsg()
            message.ParseFromString(data)
            got.append(message)
            self.messages.append(message)
            if message.WhichOneof("type") == "new_session":
                self.session_id = message.new_session.initialize.session_id
            if done(message):
                break
        return got

    def run(self, query: str = "", timeout: float = 60) -> list:
        """A rerun, and its messages up to script_finished."""
        self.rerun(query)
        return self.read_until(lambda m: m.WhichOneof("type") == "script_finished", timeout)

    def elements(self) -> list:
        return [m.delta.new_element for m in self.messages
                if m.WhichOneof("type") == "delta" and m.delta.WhichOneof("type") == "new_element"]

    def texts(self) -> str:
        out = []
        for element in self.elements():
            kind = element.WhichOneof("type")
            if kind == "markdown":
                out.append(element.markdown.body)
            elif kind == "alert":
                out.append(element.alert.body)
        return "\n".join(out)

    def close(self) -> None:
        self.connection.close()


def stream(url: str, cookie: str = "", host: str | None = None, origin: str | None = None) -> Stream:
    """A WebSocket to /_stcore/stream on `url`'s address, naming `host` in its Host header (default: `url`'s);
    raises websockets' InvalidStatus when the handshake is refused."""
    from urllib.parse import urlsplit

    from websockets.sync.client import connect
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    raw = socket.create_connection((parts.hostname, parts.port), timeout=20)
    connection = connect(f"{'wss' if secure else 'ws'}://{host or parts.netloc}/_stcore/stream", sock=raw,
                         subprotocols=["streamlit"], additional_headers={"Cookie": cookie} if cookie else None,
                         origin=origin, ssl=UNVERIFIED if secure else None,
                         server_hostname=parts.hostname if secure else None, max_size=None, proxy=None,
                         open_timeout=20, legacy=True)
    return Stream(connection)


# --- The launcher: a small script behind the same edge, with accounts ------------------------------------------

SCRIPT = '''
import os
from pathlib import Path

import streamlit as st

import edge

edge.refuse_without_edge()


@st.cache_data
def computed() -> int:
    """Counts its own runs in a file: a cleared cache runs it again."""
    counts = Path(os.environ["EDGE_TEST_COUNTS"])
    n = int(counts.read_text() or 0) + 1 if counts.exists() else 1
    counts.write_text(str(n))
    return n


def deferred() -> bytes:
    made = Path(os.environ["EDGE_TEST_COUNTS"]).with_name("deferred-made")
    made.write_text(str(int(made.read_text()) + 1 if made.exists() else 1))
    return b"deferred secret"


st.markdown(f"computed {computed()}")
st.download_button("Tải ngay", data=b"eager secret", file_name="bieu06.xlsx")
st.download_button("Tải sau", data=deferred, file_name="tre-han.csv")
st.image(bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                       "1f15c4890000000d49444154789c6300010000050001a5f645400000000049454e44ae426082"))
st.file_uploader("Tệp", accept_multiple_files=True, key="tep")
'''

LAUNCHER = '''
import sys

sys.path.insert(0, {root!r})

import streamlit as st
from starlette.responses import JSONResponse
from starlette.routing import Route

import edge


async def uploads(request):
    from streamlit import runtime
    held = runtime.get_instance().uploaded_file_mgr.file_storage
    return JSONResponse({{session: {{f.file_id: len(f.data) for f in files.values()}}
                         for session, files in held.items()}})


if {with_edge!r}:
    _problems = edge.start_problems()
    if _problems:
        print("\\n".join(_problems), file=sys.stderr)
        raise SystemExit(2)
    app = st.App({script!r}, routes=[*edge.routes(), Route("/_test/uploads", uploads)], middleware=edge.middleware())
else:  # as before issue 16: no edge, and so no guard either (the script runs as dashboard.py did)
    edge._ACTIVE.set()
    app = st.App({script!r}, routes=[Route("/_test/uploads", uploads)])
'''

PASSWORDS = {"viewer": "mot mat khau cua nguoi xem", "analyst": "mot mat khau cua chuyen vien",
             "admin": "mot mat khau cua quan tri"}


@dataclass
class Launcher:
    """The small script behind the edge (or, WITHOUT_EDGE, without it), its counters, and its store: an account for
    each role in `accounts` (added with the command line), whose sign-in tokens the test issues with
    analytics/access/tokens.py, as the sign-in form does."""
    folder: Path
    accounts: tuple[str, ...] = ()

    def __post_init__(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        self.data = self.folder / "data"
        self.script = self.folder / "small_app.py"
        self.script.write_text(SCRIPT, encoding="utf-8")
        self.counts = self.folder / "computed"
        self.launcher = self.folder / "launch_small_app.py"
        self.launcher.write_text(LAUNCHER.format(root=str(ROOT), with_edge=not WITHOUT_EDGE, script=str(self.script)),
                                 encoding="utf-8")
        for role in self.accounts:
            done = subprocess.run([sys.executable, "-m", "analytics", "--data-dir", str(self.data), "users", "add",
                                   f"nguoi-{role}", "--role", role], cwd=ROOT, input=PASSWORDS[role] + "\n",
                                  capture_output=True, text=True, timeout=120, check=False)
            assert done.returncode == 0, done.stderr

    def env(self) -> dict:
        return {"EDGE_TEST_COUNTS": str(self.counts), "ONESTOP_DATA_DIR": str(self.data)}

    def tokens(self):
        from analytics.access.tokens import Tokens
        from analytics.dossiers.store import Store
        return Tokens(Store(self.data))

    def signed(self, role: str) -> str:
        """A live sign-in of the account of `role`: the cookie header value that carries its token."""
        from analytics.access.tokens import COOKIE
        return f"{COOKIE}={self.tokens().issue(f'nguoi-{role}')}"

    def computed(self) -> int:
        return int(self.counts.read_text()) if self.counts.exists() else 0

    def deferred_made(self) -> int:
        made = self.counts.with_name("deferred-made")
        return int(made.read_text()) if made.exists() else 0

    def command(self, port: int, *extra: str, address: str | None = "127.0.0.1",
                tls: tuple[Path, Path] | None = None) -> list[str]:
        return server_command(port, address, tls, self.launcher, *extra)


def held_uploads(url: str) -> dict:
    return json.loads(request(url, "/_test/uploads").body)
