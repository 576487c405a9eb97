"""A Python participant in the catalog invalidator's confirmation protocol (clients/PROTOCOL.md).

The same protocol as clients/node/instance-protocol.ts and instance-client.ts, with one dependency,
redis-py 4.x (Debian's python3-redis): register and heartbeat (ZADD live, HSET info), subscribe a
dedicated connection to the invalidation channel, and for each announcement drop the copies it names
and only then acknowledge (HSET of the AckRecord, PEXPIRE, PUBLISH the ack notice, in one MULTI). The
ack key is derived from the job id (checked against JOB_ID) under this participant's own prefix, and
the TTL is bounded: a key named in a message is never written (read_channel_message is the one gate;
a message with anything unexpected is counted, reported to on_ignored, and not acted on). Around it, a tiny in-process cache of provider catalogs whose copies this
module keeps honest: none served while the channel is unproven, none after a sequence gap, none older
than max_age_ms, none stored by a read that an announcement overtook.

Two threads: the heartbeat (commands through the client's pool, which is thread-safe) and the
subscriber, which alone touches the PubSub object (redis-py's is not thread-safe): it reads
messages, acknowledges, and PINGs on the subscribed connection. A PONG proves every message
published before its PING was read, since Redis answers one connection in order; that is what
"healthy" means, as in the TypeScript client.
"""
from __future__ import annotations

import json
import math
import os
import re
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, Optional, Tuple

import redis

FULL = None  # the provider argument that means the full catalog
_JSON = {"separators": (",", ":")}  # JSON.stringify's spacing


def _now_ms() -> int:
    return int(time.time() * 1000)


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


# The grammars and bounds of clients/node/instance-protocol.ts, the same values.
JOB_ID = re.compile(r"[0-9a-z]{9}[0-9a-f]{10}")
PROVIDER_NAME = re.compile(r"[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?")
ACK_TTL_MIN_MS = 600_000
ACK_TTL_MAX_MS = 3650 * 86_400_000
ACK_TTL_DEFAULT_MS = 30 * 86_400_000
_ANNOUNCEMENT_FIELDS = {"type", "jobId", "providers", "global", "at", "ackKey", "ackTtlMs"}
_ANNOUNCEMENT_REQUIRED = {"type", "jobId", "providers", "global", "at"}
_NOTICE_FIELDS = {"type", "jobId", "id"}


def protocol_keys(admin_prefix: str) -> Dict[str, str]:
    """The registry and channel names (instanceProtocolKeys); ack keys come from ack_key()."""
    base = f"{admin_prefix}{{instances}}:"
    return {"live": base + "live", "info": base + "info", "channel": base + "invalidations", "acks": base + "acks:"}


def ack_key(keys: Dict[str, str], job_id: str) -> str:
    """The one builder of a job's ack key (invalidationAcks): refuses what is not a job id."""
    if not (isinstance(job_id, str) and JOB_ID.fullmatch(job_id)):
        raise ValueError("not a job id")
    return keys["acks"] + job_id


def _seq(v: Any) -> bool:
    """A generation as Redis returns it: a decimal counter, as a string."""
    return isinstance(v, str) and v.isascii() and v.isdigit()


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _job_id(v: Any) -> bool:
    return isinstance(v, str) and JOB_ID.fullmatch(v) is not None


def _announcement_fault(m: Dict[str, Any], keys: Dict[str, str]) -> Optional[str]:
    """Why an announcement is refused (the reasons of readChannelMessage), or None: act on it."""
    if not _ANNOUNCEMENT_REQUIRED <= m.keys() <= _ANNOUNCEMENT_FIELDS:
        return "malformed"
    if not _job_id(m["jobId"]):
        return "job_id"
    providers = m["providers"]
    if not isinstance(providers, dict):
        return "malformed"
    if not all(isinstance(p, str) and PROVIDER_NAME.fullmatch(p) for p in providers):
        return "provider"
    if not all(_seq(v) for v in providers.values()):
        return "provider"
    if not (m["global"] is None or _seq(m["global"])) or not _number(m["at"]):
        return "malformed"
    if "ackKey" in m and not (isinstance(m["ackKey"], str) and m["ackKey"]):
        return "malformed"
    if "ackTtlMs" in m:
        ttl = m["ackTtlMs"]
        if not (_number(ttl) and float(ttl).is_integer() and ACK_TTL_MIN_MS <= ttl <= ACK_TTL_MAX_MS):
            return "ack_ttl"
    if "ackKey" in m and m["ackKey"] != ack_key(keys, m["jobId"]):
        return "ack_key"  # a key named by the message: never written, whatever it is
    return None


def read_channel_message(raw: Any, keys: Dict[str, str]) -> Tuple[Optional[Dict[str, Any]], Optional[str]]:
    """(message, None) to act on, or (None, reason): the same gate as readChannelMessage.

    An announcement or an ack notice, checked as zod does (strictly: an unknown field is refused);
    an announcement's ackKey, if any, must be the key derived from its job id under our own prefix.
    """
    try:
        m = json.loads(raw)
    except (ValueError, TypeError):
        return None, "malformed"
    if not isinstance(m, dict):
        return None, "malformed"
    if m.get("type") == "ack":
        if m.keys() != _NOTICE_FIELDS:
            return None, "malformed"
        if not _job_id(m["jobId"]):
            return None, "job_id"
        ok = isinstance(m["id"], str) and 0 < len(m["id"]) <= 512
        return (m, None) if ok else (None, "malformed")
    if m.get("type") != "invalidate":
        return None, "malformed"
    fault = _announcement_fault(m, keys)
    return (m, None) if fault is None else (None, fault)


@dataclass(frozen=True)
class ReadTicket:
    """Taken when a read of Redis begins; put() refuses the answer if anything changed since."""
    provider: Optional[str]
    started_at: int
    epoch: int
    flushes: int
    version: int
    healthy: bool


@dataclass
class _Entry:
    value: Any
    gen: int
    read_at: int


class CatalogConfirm:
    """One participant: call start(), read through get/begin/put, call stop() on the way out.

    on_drop(provider) is called (from the subscriber thread, before the ack) for each held copy an
    announcement dropped, None meaning the full catalog; on_flush(reason) when every copy went:
    "gap" (a sequence skipped: an announcement was missed), "lost" (the subscriber connection
    failed: messages may have been missed), "error" (a callback raised: drop rather than ack a copy).
    on_ignored(reason, raw) when a message on the channel was refused and nothing done for it
    (reasons: "malformed", "job_id", "provider", "ack_key", "ack_ttl"); `ignored` counts them.
    """

    def __init__(self, client: "redis.Redis", admin_prefix: str, *, subscriber: "Optional[redis.Redis]" = None,
                 kind: str = "gateway", version: str = "unknown", heartbeat_ms: int = 2000,
                 health_window_ms: Optional[int] = None, max_age_ms: int = 5000,
                 on_drop: Optional[Callable[[Optional[str]], None]] = None,
                 on_flush: Optional[Callable[[str], None]] = None,
                 on_ignored: Optional[Callable[[str, str], None]] = None,
                 on_error: Optional[Callable[[BaseException, str], None]] = None) -> None:
        self.redis, self._sub_client = client, subscriber or client
        self.keys = protocol_keys(admin_prefix)
        self.since = _now_ms()
        self.id = f"{socket.gethostname()}:{os.getpid()}:{_base36(self.since)}"  # instanceIdOf
        self.kind, self.version, self.heartbeat_ms = kind, version, heartbeat_ms
        self.window_ms = health_window_ms if health_window_ms is not None else 2 * heartbeat_ms
        self.max_age_ms = max_age_ms
        self._on_drop, self._on_flush = on_drop or (lambda p: None), on_flush or (lambda r: None)
        self._on_error = on_error or (lambda e, what: None)
        self._on_ignored = on_ignored or (lambda reason, raw: None)
        self.ignored = 0  # messages refused (touched by the subscriber thread only)
        self._lock = threading.Lock()
        self._cache: Dict[Optional[str], _Entry] = {}
        self._versions: Dict[Optional[str], int] = {}  # announcements applied per key
        self._known: Dict[Optional[str], int] = {}  # highest generation seen per provider (None: global)
        self._flushes = self._epoch = 0
        self._connected = False
        self._last_pong_sent_at: Optional[int] = None
        self._stopped = threading.Event()
        self._threads = [threading.Thread(target=self._subscribe_loop, daemon=True, name="catalog-confirm-sub"),
                         threading.Thread(target=self._heartbeat_loop, daemon=True, name="catalog-confirm-beat")]

    # The cache a gateway reads through -------------------------------------------------------

    def healthy(self) -> bool:
        """Copies may be served: subscribed, and a PING sent less than the window ago was answered."""
        with self._lock:
            return self._healthy_locked()

    def entries(self) -> int:
        """Copies held now (reported at every heartbeat)."""
        with self._lock:
            return len(self._cache)

    def _healthy_locked(self) -> bool:
        pong = self._last_pong_sent_at
        return not self._stopped.is_set() and self._connected and pong is not None and _now_ms() - pong <= self.window_ms

    def get(self, provider: Optional[str]) -> Any:
        """The held copy of a provider's catalog (None: the full catalog), or None: read Redis."""
        with self._lock:
            entry = self._cache.get(provider)
            if entry is None or not self._healthy_locked():
                return None
            if _now_ms() - entry.read_at > self.max_age_ms:
                del self._cache[provider]
                return None
            return entry.value

    def begin(self, provider: Optional[str]) -> ReadTicket:
        """Call before reading Redis; pass the ticket to put() with what the read found."""
        with self._lock:
            return ReadTicket(provider, _now_ms(), self._epoch, self._flushes, self._versions.get(provider, 0), self._healthy_locked())

    def put(self, ticket: ReadTicket, value: Any, gen: str) -> bool:
        """Keeps a copy read at generation `gen` (the fence counter read with it), unless an
        announcement, a flush or a loss of the channel came since begin(). True if kept."""
        with self._lock:
            if not (ticket.healthy and self._healthy_locked()) or (ticket.epoch, ticket.flushes) != (self._epoch, self._flushes):
                return False
            generation = int(gen)
            if self._versions.get(ticket.provider, 0) != ticket.version or generation < self._known.get(ticket.provider, 0):
                return False
            self._known[ticket.provider] = max(generation, self._known.get(ticket.provider, 0))
            self._cache[ticket.provider] = _Entry(value, generation, ticket.started_at)
            return True

    def _flush(self, reason: str, lost: bool = False) -> None:
        with self._lock:
            self._cache.clear()
            self._flushes += 1
            if lost:
                self._epoch += 1
                self._connected, self._last_pong_sent_at = False, None
        self._safely(self._on_flush, reason)

    def _safely(self, callback: Callable[..., None], *args: Any) -> None:
        """Runs a caller's callback on our threads: one that raises must not end the subscriber."""
        try:
            callback(*args)
        except Exception as err:
            try:
                self._on_error(err, "callback")
            except Exception:
                pass

    def _apply(self, a: Dict[str, Any]) -> None:
        """Drops what the announcement names; every copy on a gap. The full catalog always goes."""
        dropped, gap = [], False
        with self._lock:
            named = [(p, int(s)) for p, s in a["providers"].items()] + ([(None, int(a["global"]))] if a["global"] is not None else [])
            for key, generation in named:
                before = self._known.get(key)
                gap = gap or (before is not None and generation > before + 1)
                self._known[key] = max(generation, before or 0)
            for key in [p for p, _ in named if p is not None] + [None]:
                self._versions[key] = self._versions.get(key, 0) + 1
                entry = self._cache.get(key)
                if entry is not None and (key is None or entry.gen < int(a["providers"][key])):
                    del self._cache[key]
                    dropped.append(key)
        for key in dropped:
            self._on_drop(key)  # may raise: _handle then flushes everything before the ack
        if gap:
            self._flush("gap")

    # The protocol ----------------------------------------------------------------------------

    def start(self, timeout_s: float = 10.0) -> None:
        """Registers, subscribes, and returns once the channel is healthy (raises TimeoutError if not)."""
        self._heartbeat()
        for t in self._threads:
            t.start()
        deadline = time.monotonic() + timeout_s
        while not self.healthy():
            if time.monotonic() > deadline:
                raise TimeoutError("the invalidation channel did not become healthy")
            time.sleep(0.01)

    def stop(self) -> None:
        """Leaves the registry (a stopped participant is not awaited) and the channel."""
        self._stopped.set()
        for t in self._threads:
            t.join(timeout=5)
        try:
            self.redis.pipeline(transaction=True).zrem(self.keys["live"], self.id).hdel(self.keys["info"], self.id).execute()
        except redis.RedisError as err:  # unreachable: jobs name us missing until INSTANCE_TTL_MS passes
            self._safely(self._on_error, err, "leaving the registry")

    def _heartbeat(self) -> None:
        at = _now_ms()
        info = {"id": self.id, "kind": self.kind, "version": self.version, "since": self.since, "heartbeatAt": at, "entries": self.entries()}
        self.redis.pipeline(transaction=True).zadd(self.keys["live"], {self.id: at}).hset(self.keys["info"], self.id, json.dumps(info, **_JSON)).execute()

    def _heartbeat_loop(self) -> None:
        while not self._stopped.wait(self.heartbeat_ms / 1000):
            try:
                self._heartbeat()
            except Exception as err:  # Redis down: keep beating; jobs name us missing meanwhile
                self._safely(self._on_error, err, "heartbeat")

    def _acknowledge(self, a: Dict[str, Any]) -> None:
        record = {"providers": a["providers"], "global": a["global"], "at": _now_ms()}
        notice = {"type": "ack", "jobId": a["jobId"], "id": self.id}
        key, ttl_ms = ack_key(self.keys, a["jobId"]), int(a.get("ackTtlMs", ACK_TTL_DEFAULT_MS))  # derived, never the message's key
        (self.redis.pipeline(transaction=True).hset(key, self.id, json.dumps(record, **_JSON))
         .pexpire(key, ttl_ms).publish(self.keys["channel"], json.dumps(notice, **_JSON)).execute())

    def _subscribe_loop(self) -> None:
        """Subscribes, then reads, acks and PINGs; on any failure flushes and subscribes afresh
        (never redis-py's silent reconnect, which would hide the messages missed meanwhile)."""
        backoff, pubsub = 0.05, None
        while not self._stopped.is_set():
            try:
                if pubsub is None:
                    pubsub = self._sub_client.pubsub()
                    pubsub.subscribe(self.keys["channel"])  # connected once its reply is read
                    next_ping = 0.0
                if time.monotonic() >= next_ping:
                    pubsub.ping(f"{self._epoch}:{_now_ms()}")
                    next_ping = time.monotonic() + self.heartbeat_ms / 1000
                message = pubsub.get_message(timeout=min(0.2, max(0.0, next_ping - time.monotonic())))
                backoff = 0.05
                if message is not None:
                    self._handle(message)
            except Exception as err:  # whatever failed, messages may be lost: treat it as a loss
                if pubsub is not None:
                    self._safely(pubsub.close)
                pubsub = None
                with self._lock:
                    was_connected = self._connected
                self._safely(self._on_error, err, "subscriber")
                if was_connected:  # a failed retry while down has nothing more to drop
                    self._flush("lost", lost=True)
                self._stopped.wait(backoff)
                backoff = min(backoff * 2, 1.0)
        if pubsub is not None:
            self._safely(pubsub.close)

    def _handle(self, message: Dict[str, Any]) -> None:
        data = message["data"]
        data = data.decode() if isinstance(data, bytes) else data
        if message["type"] == "subscribe":
            with self._lock:
                self._connected = True
            return
        if message["type"] == "pong":
            epoch, _, sent_at = str(data).partition(":")
            with self._lock:
                if epoch == str(self._epoch) and self._connected and sent_at.isdigit():
                    self._last_pong_sent_at = max(self._last_pong_sent_at or 0, int(sent_at))
            return
        if message["type"] != "message":
            return
        a, reason = read_channel_message(data, self.keys)
        if reason is not None:
            self.ignored += 1
            self._safely(self._on_ignored, reason, str(data)[:300])
            return
        if a is None or a["type"] != "invalidate":  # an ack notice: the waiting job's, not ours
            return
        try:
            self._apply(a)
        except Exception as err:  # could not drop: drop everything rather than ack a copy still held
            self._safely(self._on_error, err, "dropping copies")
            self._flush("error")
        try:
            self._acknowledge(a)
        except redis.RedisError as err:  # not confirmed: the job names us missing
            self._safely(self._on_error, err, "acknowledging")
