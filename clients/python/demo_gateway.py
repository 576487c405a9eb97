"""A stand-in for a Python gateway, driven by the tests: it joins the confirmation protocol with
catalog_confirm.py and holds copies of provider catalogs read from Redis (the native layout).

It prints one JSON object per line on stdout: {"event":"ready","id":…} once healthy, then the
client's callbacks ({"event":"dropped","provider":"groq"}, {"event":"flushed","reason":"gap"},
{"event":"ignored","reason":"ack_key"}) and
the answers to commands read from stdin, one per line:
  read <provider>  reads the models hash and its generation in one MULTI, keeps the copy if allowed
                   -> {"event":"read","provider":…,"stored":bool,"gen":…,"cachedAt":…}
  get <provider>   -> {"event":"get","provider":…,"hit":bool,"cachedAt":…} (what it would serve)
  status           -> {"event":"status","healthy":bool,"entries":n}
  stop             leaves the registry and exits
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
from typing import Any, Optional

import redis

from catalog_confirm import CatalogConfirm

_print_lock = threading.Lock()


def emit(**fields: Any) -> None:
    """One line per event; callbacks run on the client's threads, so lines must not interleave."""
    with _print_lock:
        sys.stdout.write(json.dumps(fields) + "\n")
        sys.stdout.flush()


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--redis", required=True, help="redis://host:port of the admin data and the catalog")
    args.add_argument("--subscriber-redis", help="where the subscriber connects (a fault proxy in tests); default --redis")
    args.add_argument("--admin-prefix", required=True)
    args.add_argument("--catalog-prefix", required=True)
    args.add_argument("--heartbeat-ms", type=int, default=2000)
    args.add_argument("--health-window-ms", type=int)
    args.add_argument("--max-age-ms", type=int, default=5000)
    opts = args.parse_args()

    client = redis.Redis.from_url(opts.redis, decode_responses=True, socket_timeout=5, socket_connect_timeout=2)
    subscriber = redis.Redis.from_url(opts.subscriber_redis, decode_responses=True, socket_connect_timeout=2) if opts.subscriber_redis else None
    confirm = CatalogConfirm(
        client, opts.admin_prefix, subscriber=subscriber, version="demo-gateway", heartbeat_ms=opts.heartbeat_ms,
        health_window_ms=opts.health_window_ms, max_age_ms=opts.max_age_ms,
        on_drop=lambda provider: emit(event="dropped", provider=provider if provider is not None else "*full*"),
        on_flush=lambda reason: emit(event="flushed", reason=reason),
        on_ignored=lambda reason, raw: emit(event="ignored", reason=reason),
    )
    confirm.start()
    emit(event="ready", id=confirm.id)

    def read(provider: str) -> None:
        # The native layout (server/redis/keys.ts): the models hash and its fence counter, one slot.
        models, gen_key = f"{opts.catalog_prefix}provider:{{{provider}}}:models", f"{opts.catalog_prefix}provider:{{{provider}}}:gen"
        ticket = confirm.begin(provider)
        (catalog, cached_at, stale), gen = client.pipeline(transaction=True).hmget(models, "catalog", "cachedAt", "stale").get(gen_key).execute()
        gen = gen or "0"
        # Only a plain hit is kept: a stale copy is being rebuilt, a missing one is the app's to rebuild.
        stored = catalog is not None and stale != "1" and confirm.put(ticket, {"catalog": json.loads(catalog), "cachedAt": cached_at}, gen)
        emit(event="read", provider=provider, stored=stored, gen=gen, cachedAt=cached_at)

    for line in sys.stdin:
        command, _, provider = line.strip().partition(" ")
        if command == "read":
            read(provider)
        elif command == "get":
            held: Optional[Any] = confirm.get(provider)
            emit(event="get", provider=provider, hit=held is not None, cachedAt=held["cachedAt"] if held else None)
        elif command == "status":
            emit(event="status", healthy=confirm.healthy(), entries=confirm.entries())
        elif command == "stop":
            break
    confirm.stop()
    emit(event="stopped")


if __name__ == "__main__":
    main()
