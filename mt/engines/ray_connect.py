"""Reaching a Ray cluster for `--ray ADDRESS`: what the address is, which token to send,
and a quick look at the address before Ray's own client is let loose on it.

Ray's client retries for 30 s whatever the fault and then says "connection timeout"
(plus a UserWarning). Most faults are known in milliseconds, so before `ray.init` this
module asks, in order: does the host name resolve, does anything listen on the port
(a TCP connect, 3 s), and does the Ray server there accept our token (one gRPC
call, 5 s; UNAUTHENTICATED comes back at once). Each fault is its own one-line MtError.

Token authentication (Ray >= 2.52; on by default for new local clusters since 2.59): the
token is taken where Ray's own loader looks, in Ray's order: RAY_AUTH_TOKEN, the file
RAY_AUTH_TOKEN_PATH names, ~/.ray/auth_token (what `ray get-auth-token --generate`
writes). When one is found and RAY_AUTH_MODE is not set, token mode is switched on for
this process so Ray's client sends it (Ray does that only for a cluster it finds itself).
The token is never printed or logged: errors name where it came from, not what it is.
grpc and ray are imported inside functions (the optional `ray` extra).
"""

from __future__ import annotations

import importlib
import os
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mt.errors import MtError

CLIENT_PORT = 10001  # Ray's default --ray-client-server-port
RESOLVE_TIMEOUT_S = 5.0
CONNECT_TIMEOUT_S = 3.0
PING_TIMEOUT_S = 5.0
TOKEN_HINT = ("give mt the head's token: RAY_AUTH_TOKEN=\"$(ray get-auth-token)\" (run that on the head), "
              "or RAY_AUTH_TOKEN_PATH=FILE, or the file ~/.ray/auth_token")


@dataclass(frozen=True)
class RayAddress:
    """`--ray` parsed. kind: local (start a Ray here), auto (the cluster this machine is
    a node of), client (ray://HOST:PORT, Ray client) or gcs (HOST:PORT, a node's GCS)."""

    text: str
    kind: str
    host: str = ""
    port: int = 0

    @property
    def remote(self) -> bool:
        return self.kind in ("client", "gcs")


def parse_address(address: str) -> RayAddress:
    """'local', 'auto', ray://HOST[:PORT] (port 10001 if left out) or HOST:PORT; else a one-line error."""
    if address in ("local", "auto"):
        return RayAddress(address, address)
    kind, rest = ("client", address[len("ray://"):]) if address.startswith("ray://") else ("gcs", address)
    host, sep, port = rest.rstrip("/").rpartition(":")
    if not sep and kind == "client":
        host, port = rest.rstrip("/"), str(CLIENT_PORT)
    host = host.strip("[]")  # [::1]:10001
    if "://" not in rest and host and "/" not in host and port.isdigit() and 0 < int(port) < 65536:
        return RayAddress(address, kind, host, int(port))
    raise MtError(f"'{address}' is not a Ray address",
                  hint="use --ray (a local Ray), --ray=auto, --ray=ray://HOST:10001 or --ray=HOST:6379; "
                       "put --ray after the files")


@dataclass(frozen=True)
class Token:
    """An authentication token and where it came from (only `source` is ever shown)."""

    source: str
    value: str = field(repr=False)


def find_token() -> Token | None:
    """The token Ray's client would send, looked up as Ray's loader does."""
    if os.environ.get("RAY_AUTH_TOKEN", "").strip():
        return Token("RAY_AUTH_TOKEN", os.environ["RAY_AUTH_TOKEN"].strip())
    named = os.environ.get("RAY_AUTH_TOKEN_PATH", "")
    if named:
        try:
            value = Path(named).expanduser().read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise MtError(f"RAY_AUTH_TOKEN_PATH names {named}, which cannot be read "
                          f"({getattr(exc, 'strerror', None) or 'not text'})", hint=TOKEN_HINT) from None
        if not value:
            raise MtError(f"RAY_AUTH_TOKEN_PATH names {named}, which is empty", hint=TOKEN_HINT)
        return Token(f"RAY_AUTH_TOKEN_PATH ({named})", value)
    default = Path.home() / ".ray" / "auth_token"
    try:
        value = default.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return Token(str(default), value) if value else None


def use_token(token: Token | None) -> None:
    """Make Ray's client send `token`: token mode on for this process, unless the user
    set RAY_AUTH_MODE (then theirs holds). Ray reads its config and the token once and
    keeps them, so both are read again (a second cluster in one process has its own)."""
    if token is None:
        return
    os.environ.setdefault("RAY_AUTH_MODE", "token")
    try:
        from ray import _raylet  # Ray >= 2.52 has token auth; older ones have neither class
    except ImportError:
        return
    config: Any = getattr(_raylet, "Config", None)
    loader: Any = getattr(_raylet, "AuthenticationTokenLoader", None)
    if config is not None and loader is not None:
        config.initialize("")
        loader.instance().reset_cache()


def probe(address: RayAddress, token: Token | None) -> None:
    """Fail in one line, within seconds, when `address` cannot work: unknown host,
    unreachable host, closed port, a cluster that refuses our token (or wants one), or a
    port that is not a Ray client server."""
    if not address.remote:
        return
    infos = _resolve(address)
    _connect(address, infos)
    _ping(address, token)


def _resolve(address: RayAddress) -> list[Any]:
    """getaddrinfo with a deadline (it has none of its own; a dead DNS server blocks long)."""
    found: list[Any] = []
    failed: list[BaseException] = []

    def lookup() -> None:
        try:
            found.extend(socket.getaddrinfo(address.host, address.port, type=socket.SOCK_STREAM))
        except OSError as exc:
            failed.append(exc)

    worker = threading.Thread(target=lookup, daemon=True, name="mt-ray-resolve")
    worker.start()
    worker.join(RESOLVE_TIMEOUT_S)
    if failed or not found:
        reason = (getattr(failed[0], "strerror", None) or str(failed[0])) if failed else \
            f"no answer from DNS in {RESOLVE_TIMEOUT_S:.0f} s"
        raise MtError(f"cannot reach Ray at {address.text}: unknown host '{address.host}' ({reason})",
                      hint="check the head's host name or IP address")
    return found


def _connect(address: RayAddress, infos: list[Any]) -> None:
    """One TCP connect per resolved address; the first that answers will do."""
    errors: list[OSError] = []
    for family, kind, proto, _, sockaddr in infos:
        with socket.socket(family, kind, proto) as sock:
            sock.settimeout(CONNECT_TIMEOUT_S)
            try:
                sock.connect(sockaddr)
                return
            except OSError as exc:
                errors.append(exc)
    where = f"{address.host}:{address.port}"
    if any(isinstance(e, ConnectionRefusedError) for e in errors):
        what = "the Ray client server" if address.kind == "client" else "the head's GCS"
        raise MtError(f"cannot reach Ray at {address.text}: connection refused, nothing listens on {where}",
                      hint=f"start the head (`ray start --head`) or check the port: {what} listens on "
                           f"{'--ray-client-server-port (10001 by default)' if address.kind == 'client' else '--port (6379)'}")
    if errors and all(isinstance(e, TimeoutError) for e in errors):
        raise MtError(f"cannot reach Ray at {address.text}: no answer from {where} in {CONNECT_TIMEOUT_S:.0f} s",
                      hint="a firewall drops the packets, or the host is down: open the port to this machine")
    reason = errors[0].strerror if errors and errors[0].strerror else "cannot connect"
    raise MtError(f"cannot reach Ray at {address.text}: {where}: {reason}",
                  hint="check the address and the network route to the head")


def _ping(address: RayAddress, token: Token | None) -> None:
    """One authenticated call, as Ray's own first call: the client server's ping on a
    ray:// address, the GCS's cluster id on HOST:PORT."""
    try:
        import grpc  # comes with ray[client]; plain `ray` lacks it, and so does Ray's client
    except ImportError:
        raise MtError("Ray's client (ray://) needs grpcio, which is not installed",
                      hint="pip install 'mt[ray]' (ray[client])") from None
    from ray.core.generated import gcs_service_pb2_grpc, ray_client_pb2_grpc

    # Generated message modules: mypy sees none of their members.
    client: Any = importlib.import_module("ray.core.generated.ray_client_pb2")
    gcs: Any = importlib.import_module("ray.core.generated.gcs_service_pb2")

    metadata = [] if token is None or os.environ.get("RAY_AUTH_MODE", "token") != "token" else \
        [("authorization", f"Bearer {token.value}")]
    host = f"[{address.host}]" if ":" in address.host else address.host  # IPv6
    with grpc.insecure_channel(f"{host}:{address.port}") as channel:
        try:
            if address.kind == "client":
                request = client.ClusterInfoRequest(type=client.ClusterInfoType.PING)
                ray_client_pb2_grpc.RayletDriverStub(channel).ClusterInfo(
                    request, metadata=metadata, timeout=PING_TIMEOUT_S)
            else:
                gcs_service_pb2_grpc.NodeInfoGcsServiceStub(channel).GetClusterId(
                    gcs.GetClusterIdRequest(), metadata=metadata, timeout=PING_TIMEOUT_S)
        except grpc.RpcError as exc:
            raise _ping_error(address, token, exc.code(), grpc.StatusCode) from None


def _ping_error(address: RayAddress, token: Token | None, code: Any, codes: Any) -> MtError:
    where = f"Ray at {address.text}"
    if code == codes.UNAUTHENTICATED:
        if os.environ.get("RAY_AUTH_MODE", "") == "disabled":
            return MtError(f"{where} wants an authentication token, and RAY_AUTH_MODE=disabled here sends none",
                           hint="unset RAY_AUTH_MODE (or set it to token); " + TOKEN_HINT)
        if token is None:
            return MtError(f"{where} wants an authentication token and none was found", hint=TOKEN_HINT)
        return MtError(f"{where} refused the authentication token from {token.source}",
                       hint="it is not the cluster's token; " + TOKEN_HINT)
    if code == codes.UNIMPLEMENTED and address.kind == "client":
        return MtError(f"{address.host}:{address.port} is not a Ray client server",
                       hint="ray:// takes the head's --ray-client-server-port (10001 by default); "
                            "a GCS port (6379) goes without ray://")
    if code == codes.UNIMPLEMENTED:
        return MtError(f"{address.host}:{address.port} is not a Ray head's GCS",
                       hint="HOST:PORT takes the head's --port (6379 by default); "
                            "the Ray client port (10001) goes with ray://")
    if code == codes.DEADLINE_EXCEEDED:
        return MtError(f"{where} did not answer in {PING_TIMEOUT_S:.0f} s",
                       hint="is that port the head's Ray client server? it may be overloaded")
    server = "Ray client server (--ray-client-server-port)" if address.kind == "client" else "GCS (--port)"
    return MtError(f"cannot reach {where}: {str(code).rpartition('.')[2].lower()}",
                   hint=f"is that port the head's {server}?")
