"""Start uvicorn for `commlint serve`: check the listening address and the token, then run
the app in one or more worker processes (each loads the pipeline once)."""

from __future__ import annotations

import ipaddress
import json
import os
from dataclasses import asdict
from pathlib import Path

from ..errors import ConfigError
from .launch import APP_FACTORY, OPTIONS_ENV, TOKEN_ENV, ServeOptions, read_token, uvicorn_settings


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_options(options: ServeOptions) -> None:
    """Mistakes the user can fix, found before any worker starts (one line each, exit 2)."""
    from ..config import load_settings
    from ..rulepack import load_packs, resolve_pack
    from ..policy import parse_policy

    settings = load_settings(options.config)
    parse_policy(settings.policy, str(settings.config_path or ".commlint.yaml"))
    load_packs([resolve_pack(ref, settings.base_dir) for ref in settings.packs])
    for origin in options.allow_origins:
        if origin == "*" or "://" not in origin or origin.endswith("/"):
            raise ConfigError(f"--allow-origin {origin!r}: give one exact origin such as chrome-extension://<id> or "
                              "https://helpdesk.example.com (no '*', no path)")
    token = read_token(options.token_file)
    if not is_loopback(options.host) and token is None:
        raise ConfigError(f"listening on {options.host} needs a bearer token — set {TOKEN_ENV} or pass --token-file "
                          "(or listen on 127.0.0.1)")


def ensure_port_free(host: str, port: int) -> None:
    """Refuse to start on a port something already listens on. The workers bind with SO_REUSEPORT,
    so a second `commlint serve` would otherwise start silently and the kernel would split
    connections between two configs (the same draft blocked 18 times and passed 22 of 40)."""
    import errno
    import socket

    if port == 0:
        return
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    probe = socket.socket(family, socket.SOCK_STREAM)
    # SO_REUSEADDR lets the probe past connections lingering in TIME_WAIT from a stopped server;
    # without SO_REUSEPORT it still cannot bind beside any socket listening there.
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        probe.bind((host.strip("[]"), port))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(f"{host}:{port} is already in use (another commlint serve, or another program) — "
                              "stop it, or pick another --port") from None
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror} — check --host and --port") from None
    finally:
        probe.close()


def run(options: ServeOptions) -> None:
    import uvicorn

    check_options(options)
    ensure_port_free(options.host, options.port)
    if options.workers > 1 and options.port == 0:
        raise ConfigError("--port 0 picks a different port for each worker — give a port, or use --workers 1")
    if options.config is not None:
        options = ServeOptions(**{**asdict(options), "config": str(Path(options.config).resolve())})
    os.environ[OPTIONS_ENV] = json.dumps(asdict(options))
    if options.workers == 1:
        uvicorn.run(APP_FACTORY, host=options.host, port=options.port, **uvicorn_settings())
        return
    from .workers import Supervisor

    raise SystemExit(Supervisor(options.workers).run())
