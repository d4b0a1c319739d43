"""The web server's edge: what every request meets before Streamlit does (security test 2026-12-07, M5–M7, L2, L4, L8).

server.py serves dashboard.py as an ASGI app (`st.App`) with this module's middleware and routes in front:

- **Host** (M6): a request whose Host header is not one of the server's names is refused (421; a WebSocket, 403),
  whatever the path. The names are the localhost names, `server.allowedHosts`, the address the server listens on,
  `browser.serverAddress` and the names the TLS certificate is made for. A page of another site that a rebinding
  DNS points at this computer therefore never reaches the app.
- **HTTPS** (M7): a request over plain HTTP from another computer is refused (403); server.py refuses to start on
  a network address without a certificate, so only a proxy on this computer that forwards plain HTTP can produce
  one.
- **Sign-in cookie**: `HANDOVER_PATH?ma=CODE&tiep=/path` turns a one-time code the sign-in form made into the
  cookie (HttpOnly, SameSite=Strict, Path=/, Secure over HTTPS, no Max-Age: it ends with the browser) and sends the
  browser on to `tiep`; `SIGN_OUT_PATH?tiep=/path` revokes the cookie's token and deletes the cookie. Who a
  request is comes from that cookie through analytics/access/tokens.py (`Tokens.person`, idle limit
  ONESTOP_IDLE_MINUTES as ui/access.py reads it).
- **Uploads** (M5): `PUT`/`DELETE /_stcore/upload_file/...` only for a live analyst or admin, or in single-user mode
  (ONESTOP_SINGLE_USER=1 or `-- --mot-nguoi-dung`, as ui/access.py reads it) from this computer (a loopback client
  that named localhost). Anything else is answered 403 before a byte of the body is read, and the connection is
  closed. Each client has a budget of uploads per minute.
- **Downloads** (L2): a `/media/` answer that is a file download (Content-Disposition: attachment) goes only to a
  live analyst or admin (or single-user on this computer); pictures such as the page icon stay public. A deferred
  download asked over the WebSocket (`backend_operation_request.deferred_file`) runs only for them.
- **Caches** (L4): `BackMsg.clear_cache` is dropped unless an admin (or single-user on this computer) sends it; the
  dashboard offers no such button, so nobody loses anything. Streamlit's "install skills" requests are dropped
  always (they write files into the project's folder).
- **Metrics** (L8): `/_stcore/metrics` only for an admin (or single-user on this computer).
- **Headers** (L8): every HTTP answer carries `X-Frame-Options: DENY`, `Content-Security-Policy: frame-ancestors
  'none'`, `X-Content-Type-Options: nosniff` and `Referrer-Policy: same-origin`.

dashboard.py calls `refuse_without_edge()` first: run as `streamlit run dashboard.py` (no edge in front) it shows
only how to start the server instead, and says so on the terminal.
"""
from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import os
import sys
import threading
import time
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

from analytics.access import tokens as tk

LOG = logging.getLogger("onestop.edge")

SINGLE_USER_VARIABLE = "ONESTOP_SINGLE_USER"
IDLE_VARIABLE, DEFAULT_IDLE_MINUTES = "ONESTOP_IDLE_MINUTES", 30
LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
VIEWER, ANALYST, ADMIN = "viewer", "analyst", "admin"  # analytics/access/users.py's roles, in rising order
_ROLES = (VIEWER, ANALYST, ADMIN)

# Budgets per client address and minute. An analyst's import of a quarter is a few files, each one PUT; 28 files
# at once was the largest import the security test made.
UPLOADS_PER_MINUTE = 120
SIGN_INS_PER_MINUTE = 30  # the two cookie routes together

HEADERS = {  # on every HTTP answer (L8); added only where Streamlit has not set the header itself
    "x-frame-options": "DENY",
    "content-security-policy": "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}

HOST_REFUSED = ("Địa chỉ này không phải của máy chủ bảng điều khiển nên yêu cầu bị từ chối. Hãy mở bảng điều khiển "
                "bằng đúng địa chỉ người quản trị đã cấp.")
PLAIN_HTTP_REFUSED = ("Bảng điều khiển chỉ mở qua HTTPS trên mạng văn phòng. Hãy mở bằng địa chỉ bắt đầu bằng "
                      "https:// mà người quản trị đã cấp.")
UPLOAD_REFUSED = ("Chỉ chuyên viên phân tích hoặc quản trị đã đăng nhập mới tải tệp lên được. Hãy đăng nhập lại "
                  "rồi tải tệp.")
DOWNLOAD_REFUSED = ("Chỉ chuyên viên phân tích hoặc quản trị đã đăng nhập mới tải được tài liệu này. Hãy đăng nhập "
                    "rồi bấm lại nút tải.")
METRICS_REFUSED = "Số liệu vận hành của máy chủ chỉ dành cho người quản trị đã đăng nhập."
TOO_MANY = "Quá nhiều yêu cầu trong một phút từ máy này. Hãy chờ một phút rồi thử lại."
START_WITH_SERVER = ("Bảng điều khiển phải được khởi động bằng server.py để có các lớp bảo vệ (kiểm tra tên máy, "
                     "HTTPS, chặn tải tệp khi chưa đăng nhập). Hãy dừng máy chủ này (Ctrl+C) rồi chạy:\n\n"
                     "    streamlit run server.py\n\n"
                     "(trên mạng văn phòng, thêm địa chỉ và chứng chỉ như README hướng dẫn, mục \"Dùng chung trong "
                     "mạng văn phòng\").")


# --- Who is asking -----------------------------------------------------------------------------------------------

def idle_limit() -> dt.timedelta:
    """ONESTOP_IDLE_MINUTES read as ui/access.idle_limit() reads it (minutes, 30 when unset or not a number)."""
    try:
        return dt.timedelta(minutes=float(os.environ.get(IDLE_VARIABLE, DEFAULT_IDLE_MINUTES)))
    except ValueError:
        return dt.timedelta(minutes=DEFAULT_IDLE_MINUTES)


SINGLE_USER_FLAG = "--mot-nguoi-dung"  # `streamlit run server.py -- --mot-nguoi-dung`, as ui/access.py reads it


def single_user() -> bool:
    """Single-user mode asked for, as ui/access.single_user_asked() reads it (the variable, or the script's flag)."""
    return os.environ.get(SINGLE_USER_VARIABLE, "").strip() == "1" or SINGLE_USER_FLAG in sys.argv


def may(role: str | None, needed: str) -> bool:
    return role in _ROLES and _ROLES.index(role) >= _ROLES.index(needed)


class People:
    """Who a sign-in token stands for, asked of analytics/access/tokens.py in a worker thread (the store is
    DuckDB). A store that cannot answer lets nobody in."""

    def __init__(self):
        self._tokens = None
        self._lock = threading.Lock()

    def tokens(self):
        """The Tokens object on the store of ONESTOP_DATA_DIR."""
        with self._lock:
            if self._tokens is None:
                from analytics.dossiers.store import Store
                self._tokens = tk.Tokens(Store())
            return self._tokens

    def _person(self, token: str) -> tuple[str, str] | None:
        try:
            return self.tokens().person(token, idle_limit())
        except Exception:  # the store busy or broken: nobody is let in, and the log says why
            LOG.exception("Không hỏi được kho về phiên đăng nhập; coi như chưa đăng nhập.")
            return None

    async def role(self, token: str | None) -> str | None:
        if not token:
            return None
        import anyio.to_thread
        found = await anyio.to_thread.run_sync(self._person, token)
        return found[1] if found else None

    def redeem(self, code: str) -> str | None:
        try:
            return self.tokens().redeem(code) if code else None
        except Exception:
            LOG.exception("Không đổi được mã đăng nhập.")
            return None

    def revoke(self, token: str) -> None:
        if token:
            try:
                self.tokens().revoke(token)
            except Exception:
                LOG.exception("Không thu hồi được phiên đăng nhập.")


PEOPLE = People()


class Caller:
    """One request's asker: the sign-in token its cookie carries, and whether it comes from this computer (a
    loopback client that named a localhost name), which is what single-user mode requires."""

    def __init__(self, scope, headers, people: People):
        self.token = _cookie(headers.get("cookie", ""), tk.COOKIE)
        self.local = _is_loopback_client(scope) and _hostname(headers.get("host")) in LOCAL_NAMES
        self._people = people
        self._role: tuple[str | None] | None = None

    async def role(self) -> str | None:
        """The live person's role (asked once per request), or None."""
        if self._role is None:
            self._role = (await self._people.role(self.token),)
        return self._role[0]

    async def may(self, needed: str) -> bool:
        if may(await self.role(), needed):
            return True
        return single_user() and self.local

    async def may_now(self, needed: str) -> bool:
        """As `may`, asking the store again (a WebSocket lives long: its person may have signed out since)."""
        self._role = None
        return await self.may(needed)


def _cookie(header: str, name: str) -> str | None:
    from http.cookies import CookieError, SimpleCookie
    jar = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None and morsel.value else None


def _is_loopback_client(scope) -> bool:
    client = scope.get("client")
    return bool(client) and is_loopback(client[0])


def is_loopback(address: str | None) -> bool:
    """127.0.0.0/8, ::1, or ::ffff:127.x.x.x; "localhost" too (the name)."""
    if not address:
        return False
    if address.strip("[]").lower() == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or bool(mapped and mapped.is_loopback)


def _hostname(host: str | None) -> str | None:
    """The name in a Host header, lowercased, without port or trailing dot; None if it is not a plain host[:port]."""
    if not host:
        return None
    try:
        parts = urlsplit(f"//{host}")
        _ = parts.port  # a port that is not a number makes this raise
    except ValueError:
        return None
    if not parts.hostname or parts.username is not None or parts.password is not None or parts.path \
            or parts.query or parts.fragment:
        return None
    return parts.hostname.lower().rstrip(".")


def host_allowed(host: str | None, names) -> bool:
    """Whether a Host header names one of `names` (exact names, or "*.example.org" for its subdomains; the port is
    not compared, as Streamlit's own server.allowedHosts does)."""
    name = _hostname(host)
    if name is None:
        return False
    for pattern in names:
        pattern = pattern.strip().lower().rstrip(".").strip("[]")
        if pattern.startswith("*.") and name.endswith(pattern[1:]):
            return True
        if name == pattern:
            return True
    return False


# --- The server's names ----------------------------------------------------------------------------------------

def certificate_names(path: str | Path) -> list[str]:
    """The DNS names and IP addresses a PEM certificate is made for (its subjectAltName)."""
    from cryptography import x509
    certificate = x509.load_pem_x509_certificate(Path(path).read_bytes())
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    return [*names.get_values_for_type(x509.DNSName), *(str(ip) for ip in names.get_values_for_type(x509.IPAddress))]


def server_names() -> list[str]:
    """Every name a Host header may carry: the localhost names, server.allowedHosts, the address the server listens
    on (unless it is every address), browser.serverAddress, and the certificate's names."""
    from streamlit import config
    names = list(LOCAL_NAMES)
    names += [h for h in (config.get_option("server.allowedHosts") or []) if h and h.strip()]
    address = (config.get_option("server.address") or "").strip()
    if address and address not in ("0.0.0.0", "::") and not address.startswith("unix://"):
        names.append(address)
    public = (config.get_option("browser.serverAddress") or "").strip()
    if public:
        names.append(public)
    certificate = config.get_option("server.sslCertFile")
    if certificate and Path(certificate).is_file():
        names += certificate_names(certificate)
    seen = []
    for name in names:
        name = name.strip().lower().rstrip(".").strip("[]")
        if name not in seen:
            seen.append(name)
    return seen


def start_problems() -> list[str]:
    """What forbids starting the server as configured, each said in Vietnamese with what to do; [] when it may."""
    from streamlit import config
    problems = []
    address = (config.get_option("server.address") or "0.0.0.0").strip()
    certificate, key = config.get_option("server.sslCertFile"), config.get_option("server.sslKeyFile")
    on_network = not is_loopback(address)
    if on_network and not (certificate and key):
        problems.append(
            f"Không khởi động: máy chủ sẽ mở trên địa chỉ mạng {address} mà không có HTTPS, nên mật khẩu, phiên đăng "
            "nhập và số liệu sẽ đi qua mạng văn phòng ở dạng ai cũng đọc được. Hãy tạo chứng chỉ rồi chạy lại, ví "
            "dụ:\n"
            "    python deploy/certificate.py TÊN-MÁY-CHỦ ĐỊA-CHỈ-IP\n"
            f"    streamlit run server.py --server.address {address} --server.sslCertFile deploy/tls/cert.pem "
            "--server.sslKeyFile deploy/tls/key.pem\n"
            "(README, mục \"Dùng chung trong mạng văn phòng\"). Chỉ dùng trên máy này thì bỏ --server.address.")
    if any(h.strip() == "*" for h in (config.get_option("server.allowedHosts") or [])):
        problems.append("Không khởi động: server.allowedHosts có \"*\" (nhận mọi tên máy), điều đó mở đường cho "
                        "một trang web lạ trỏ tên miền của nó về máy này. Hãy ghi đúng các tên và địa chỉ máy chủ.")
    if on_network and single_user():
        problems.append(f"Không khởi động: {SINGLE_USER_VARIABLE}=1 (chế độ một người dùng, không đăng nhập) chỉ "
                        "dùng trên chính máy chạy bảng điều khiển. Trên mạng văn phòng hãy bỏ biến này (hoặc "
                        f"{SINGLE_USER_FLAG}) và thêm tài khoản (python -m analytics users add TÊN --role admin).")
    return problems


# --- The middleware --------------------------------------------------------------------------------------------

class Budget:
    """At most `limit` events per client address in a sliding minute (one event loop: no lock needed)."""

    def __init__(self, limit: int, window: float = 60.0):
        self.limit, self.window = limit, window
        self._seen: dict[str, deque] = {}

    def take(self, key: str) -> bool:
        now = time.monotonic()
        seen = self._seen.setdefault(key, deque())
        while seen and now - seen[0] > self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        if len(self._seen) > 10_000:  # forget the quiet ones
            for quiet in [k for k, v in self._seen.items() if not v or now - v[-1] > self.window]:
                del self._seen[quiet]
        return True


_ACTIVE = threading.Event()  # set once an EdgeMiddleware exists in this process (see refuse_without_edge)


class EdgeMiddleware:
    """Pure ASGI middleware in front of Streamlit (st.App's `middleware=`), see the module's docstring."""

    def __init__(self, app, people: People | None = None):
        from streamlit import config
        self.app = app
        self.people = people or PEOPLE
        self.names = tuple(server_names())
        base = (config.get_option("server.baseUrlPath") or "").strip("/")
        self.base = f"/{base}" if base else ""
        self.upload_budget = Budget(UPLOADS_PER_MINUTE)
        self.sign_in_budget = Budget(SIGN_INS_PER_MINUTE)
        # Streamlit checks the WebSocket's Host against the same list (its own server.allowedHosts), so that the two
        # checks never disagree (a name in the certificate but not in config.toml, localhost beside a proxy's name).
        config.set_option("server.allowedHosts", list(self.names), "edge.py")
        _ACTIVE.set()
        print(f"  Tên máy được nhận (Host): {', '.join(self.names)}", file=sys.stderr, flush=True)

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        from starlette.datastructures import Headers
        headers = Headers(scope=scope)
        if not host_allowed(headers.get("host"), self.names):
            await self._refuse(scope, receive, send, 421, HOST_REFUSED)
            return
        if scope.get("scheme") in ("http", "ws") and not _is_loopback_client(scope):
            await self._refuse(scope, receive, send, 403, PLAIN_HTTP_REFUSED)
            return
        caller = Caller(scope, headers, self.people)
        if scope["type"] == "websocket":
            await self.app(scope, self._filtered(receive, caller), send)
            return
        path, method = self._path(scope), scope["method"]
        client = (scope.get("client") or ("?",))[0]
        if path.startswith("/_stcore/upload_file/") and method in ("PUT", "DELETE"):
            if not self.upload_budget.take(client):
                await self._refuse(scope, receive, send, 429, TOO_MANY)
                return
            if not await caller.may(ANALYST):
                LOG.warning("Từ chối tải tệp lên từ %s: chưa đăng nhập là chuyên viên phân tích.", client)
                await self._refuse(scope, receive, send, 403, UPLOAD_REFUSED)
                return
        elif path == "/_stcore/metrics" and method == "GET":
            if not await caller.may(ADMIN):
                await self._refuse(scope, receive, send, 403, METRICS_REFUSED)
                return
        elif path in (tk.HANDOVER_PATH, tk.SIGN_OUT_PATH) and not self.sign_in_budget.take(client):
            await self._refuse(scope, receive, send, 429, TOO_MANY)
            return
        media = path.startswith("/media/")
        await self.app(scope, receive, self._answering(send, caller, media))

    def _path(self, scope) -> str:
        path = scope.get("path", "")
        if self.base and (path == self.base or path.startswith(self.base + "/")):
            path = path[len(self.base):] or "/"
        return path

    async def _refuse(self, scope, receive, send, status: int, text: str) -> None:
        if scope["type"] == "websocket":
            await receive()  # websocket.connect
            await send({"type": "websocket.close", "code": 1008})
            return
        body = text.encode("utf-8")
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                   (b"cache-control", b"no-store"), (b"connection", b"close"),
                   *((k.encode(), v.encode()) for k, v in HEADERS.items())]
        if status == 429:
            headers.append((b"retry-after", b"60"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _answering(self, send, caller: Caller, media: bool):
        """`send` with the headers added, and a file download from /media/ replaced by 403 for who may not have it."""
        swallowing = False

        async def answer(message):
            nonlocal swallowing
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                if media and any(k.lower() == b"content-disposition" and v.lower().startswith(b"attachment")
                                 for k, v in headers) and not await caller.may(ANALYST):
                    LOG.warning("Từ chối tải tài liệu từ /media/: chưa đăng nhập là chuyên viên phân tích.")
                    swallowing = True
                    body = DOWNLOAD_REFUSED.encode("utf-8")
                    await send({"type": "http.response.start", "status": 403, "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                        (b"cache-control", b"no-store"), *((k.encode(), v.encode()) for k, v in HEADERS.items())]})
                    await send({"type": "http.response.body", "body": body})
                    return
                headers += [(k.encode(), v.encode()) for k, v in HEADERS.items() if k.encode() not in present]
                message = {**message, "headers": headers}
            elif swallowing:
                return
            await send(message)

        return answer

    def _filtered(self, receive, caller: Caller):
        """`receive` for a WebSocket, without the BackMsgs this caller may not send (L2, L4)."""
        async def filtered():
            while True:
                message = await receive()
                data = message.get("bytes") if message["type"] == "websocket.receive" else None
                if data and not await self._back_message_allowed(data, caller):
                    continue
                return message
        return filtered

    async def _back_message_allowed(self, data: bytes, caller: Caller) -> bool:
        from google.protobuf.message import DecodeError
        from streamlit.proto.BackMsg_pb2 import BackMsg
        message = BackMsg()
        try:
            message.ParseFromString(data)
        except DecodeError:
            return True  # Streamlit closes the connection itself (1002)
        kind = message.WhichOneof("type")
        if kind == "clear_cache":
            allowed = await caller.may_now(ADMIN)
        elif kind == "backend_operation_request":
            payload = message.backend_operation_request.WhichOneof("payload")
            if payload == "deferred_file":
                allowed = await caller.may_now(ANALYST)
            elif payload in ("install_skills", "dismiss_skills_nudge"):
                allowed = False
            else:
                allowed = True
        else:
            return True
        if not allowed:
            LOG.warning("Bỏ qua yêu cầu %s từ một phiên không có quyền.", kind)
        return allowed


# --- The sign-in cookie's routes -------------------------------------------------------------------------------

def routes(people: People | None = None) -> list:
    """HANDOVER_PATH and SIGN_OUT_PATH of analytics/access/tokens.py, which learns that they are served here."""
    import anyio.to_thread
    from starlette.responses import RedirectResponse
    from starlette.routing import Route

    people = people or PEOPLE
    tk.announce_edge()  # only now does the sign-in form send browsers to HANDOVER_PATH

    def cookie_attributes(request) -> dict:
        return {"path": "/", "httponly": True, "samesite": "strict", "secure": request.url.scheme == "https"}

    async def handover(request):
        token = await anyio.to_thread.run_sync(people.redeem, request.query_params.get("ma", ""))
        response = RedirectResponse(tk.safe_next(request.query_params.get("tiep")), status_code=303)
        response.headers["cache-control"] = "no-store"
        if token:
            response.set_cookie(tk.COOKIE, token, **cookie_attributes(request))
        return response

    async def sign_out(request):
        token = request.cookies.get(tk.COOKIE)
        if token:
            await anyio.to_thread.run_sync(people.revoke, token)
        response = RedirectResponse(tk.safe_next(request.query_params.get("tiep")), status_code=303)
        response.headers["cache-control"] = "no-store"
        response.delete_cookie(tk.COOKIE, **cookie_attributes(request))
        return response

    return [Route(tk.HANDOVER_PATH, handover, methods=["GET"]),
            Route(tk.SIGN_OUT_PATH, sign_out, methods=["GET"])]


def middleware() -> list:
    from starlette.middleware import Middleware
    return [Middleware(EdgeMiddleware)]


# --- For dashboard.py ------------------------------------------------------------------------------------------

_told = threading.Event()


def served_without_edge() -> bool:
    """True in a real server that has no EdgeMiddleware (`streamlit run dashboard.py`); False under server.py and
    in AppTest (which runs scripts without a server)."""
    from streamlit import config
    return config._server_mode is not None and not _ACTIVE.is_set()


def refuse_without_edge() -> None:
    """dashboard.py's first call: served without the edge, show only how to start the server, say it once on the
    terminal, and stop the run."""
    if not served_without_edge():
        return
    import streamlit as st
    if not _told.is_set():
        _told.set()
        print(START_WITH_SERVER, file=sys.stderr, flush=True)
    st.error(START_WITH_SERVER, icon=":material/lock:")
    st.stop()
