"""Start uvicorn for `commlint serve`: check the listening address and the token, then run
the app in one or more worker processes (each loads the pipeline once)."""

from __future__ import annotations

import copy
import ipaddress
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import ConfigError

TOKEN_ENV = "COMMLINT_TOKEN"
OPTIONS_ENV = "COMMLINT_SERVE_OPTIONS"  # how the worker processes receive their options


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    config: str | None = None
    token_file: str | None = None
    max_body: int = 256 * 1024


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def read_token(token_file: str | None) -> str | None:
    """The bearer token from --token-file, else $COMMLINT_TOKEN, else None."""
    if token_file:
        try:
            token = Path(token_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{token_file}: cannot read the token file ({exc.strerror}) — check --token-file") from None
        if not token:
            raise ConfigError(f"{token_file}: the token file is empty — put the token on its first line")
        return token
    return os.environ.get(TOKEN_ENV, "").strip() or None


def check_options(options: ServeOptions) -> None:
    """Mistakes the user can fix, found before any worker starts (one line each, exit 2)."""
    from ..config import load_settings
    from ..rulepack import load_packs, resolve_pack
    from ..policy import parse_policy

    settings = load_settings(options.config)
    parse_policy(settings.policy, str(settings.config_path or ".commlint.yaml"))
    load_packs([resolve_pack(ref, settings.base_dir) for ref in settings.packs])
    token = read_token(options.token_file)
    if not is_loopback(options.host) and token is None:
        raise ConfigError(f"listening on {options.host} needs a bearer token — set {TOKEN_ENV} or pass --token-file "
                          "(or listen on 127.0.0.1)")


def app_from_env():  # type: ignore[no-untyped-def]
    """uvicorn factory, run in each worker: options from the environment set by `run`."""
    from .app import AppOptions, create_app

    options = ServeOptions(**json.loads(os.environ.get(OPTIONS_ENV, "{}")))
    return create_app(AppOptions(config=options.config, token=read_token(options.token_file), max_body=options.max_body))


def log_config() -> dict:  # type: ignore[type-arg]
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["commlint"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def run(options: ServeOptions) -> None:
    import uvicorn

    check_options(options)
    if options.workers > 1 and options.port == 0:
        raise ConfigError("--port 0 picks a different port for each worker — give a port, or use --workers 1")
    if options.config is not None:
        options = ServeOptions(**{**asdict(options), "config": str(Path(options.config).resolve())})
    os.environ[OPTIONS_ENV] = json.dumps(asdict(options))
    if options.workers == 1:
        uvicorn.run("commlint.service.server:app_from_env", factory=True, host=options.host, port=options.port,
                    log_config=log_config(), timeout_graceful_shutdown=5)
        return
    from .workers import Supervisor

    raise SystemExit(Supervisor(options.workers).run())
