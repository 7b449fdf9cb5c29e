"""Coded errors. Every user mistake raises one of these; the CLI prints one line and exits 2."""

from __future__ import annotations


class CommlintError(Exception):
    """Base class: a problem the user can fix. `code` is stable and machine-readable."""

    code = "commlint"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class RulePackError(CommlintError):
    """A rule pack is broken. The message reads `file:line: rule-id: what is wrong — how to fix it`."""

    code = "rule-pack"

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class ConfigError(CommlintError):
    """The configuration file or a command-line option is invalid."""

    code = "config"


class InputError(CommlintError):
    """An input file cannot be read or decoded."""

    code = "input"

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class ModelNotFoundError(CommlintError):
    """No spaCy English model is installed."""

    code = "model"
