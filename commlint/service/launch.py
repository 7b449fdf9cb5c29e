"""What `commlint serve` hands to each worker process: the options (through the environment),
the token, uvicorn's logging, and the app factory uvicorn calls. Both the launcher (`server`) and
the supervisor's workers (`workers`) import this; neither imports the other's way back."""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass
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


APP_FACTORY = "commlint.service.launch:app_from_env"


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


