"""Output formats: one module per `--format` value, each exposing `render(report, out, ctx)`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping, Protocol, TextIO

from ..errors import ConfigError
from ..registry import ModuleRegistry
from ..models import Report, Severity

if TYPE_CHECKING:  # pragma: no cover
    from ..rulepack import RuleSpec

FORMATS = ModuleRegistry({
    "text": "commlint.reporters.text",
    "json": "commlint.reporters.json",
    "sarif": "commlint.reporters.sarif",
    "junit": "commlint.reporters.junit",
    "github": "commlint.reporters.github",
    "concise": "commlint.reporters.concise",
})


@dataclass
class RenderContext:
    """What a reporter may need besides the report: rule metadata and presentation choices."""

    rules: dict[str, "RuleSpec"] = field(default_factory=dict)
    color: bool = False
    verbose: bool = False
    # The --fail-on level: CI formats (junit) mark a file failed at or above it.
    fail_on: Severity = Severity.WARNING
    # Leave out files with nothing to coach (text output).
    quiet: bool = False
    # The config file in use (None: defaults), named in the JSON report and the verbose text output.
    config_path: str | None = None
    # Wording of the built-in directive rules (suppress.directive_rules of the loaded packs).
    directive_rules: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


class Reporter(Protocol):
    def __call__(self, report: Report, out: TextIO, ctx: RenderContext) -> None: ...


def available() -> list[str]:
    return FORMATS.names()


def get_reporter(name: str) -> Reporter:
    module = FORMATS.get(name)
    if module is not None:
        return module.render  # type: ignore[no-any-return]
    raise ConfigError(f"unknown output format {name!r}; use one of: {', '.join(available())}")
