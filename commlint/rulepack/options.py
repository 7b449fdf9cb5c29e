"""Typed access to a rule's options, with `file:line: rule-id: what — how` errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from ..errors import RulePackError
from .yamlfile import LineDict, LineList


class OptionReader:
    """Reads options out of one rule's mapping. Every problem names the file, line and rule.

    Call `finish()` after reading to report options the check does not know.
    """

    def __init__(self, data: LineDict, path: Path | str, rule_id: str, check: str, ignore: Iterable[str] = ()) -> None:
        self.data = data
        self.path = str(path)
        self.rule_id = rule_id
        self.check = check
        self._read: set[str] = set(ignore)

    # -- errors ---------------------------------------------------------------------------
    def line_of(self, key: str | None = None) -> int:
        if key is None:
            return getattr(self.data, "line", 0)
        if isinstance(self.data, LineDict):
            return self.data.line_of(key)
        return 0

    def error(self, key: str | None, problem: str, fix: str, line: int | None = None) -> RulePackError:
        where = f"{self.path}:{line if line is not None else self.line_of(key)}"
        return RulePackError(f"{where}: {self.rule_id}: {problem} — {fix}")

    def child(self, data: LineDict, check: str) -> "OptionReader":
        return OptionReader(data, self.path, self.rule_id, check)

    # -- typed getters --------------------------------------------------------------------
    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str, default: Any = None) -> Any:
        self._read.add(key)
        return self.data.get(key, default)

    def str(self, key: str, default: str | None = None, required: bool = False, choices: Iterable[str] | None = None) -> str | None:
        self._read.add(key)
        if key not in self.data or self.data[key] is None:
            if required:
                raise self.error(None, f"'{key}' is missing", f"add '{key}:' to check '{self.check}'")
            return default
        value = self.data[key]
        if not isinstance(value, str):
            raise self.error(key, f"'{key}' must be a string, got {_kind(value)}", "quote the value")
        if choices is not None:
            allowed = list(choices)
            if value not in allowed:
                raise self.error(key, f"'{key}' is {value!r}", f"use one of: {', '.join(allowed)}")
        return value

    def str_list(self, key: str, required: bool = False, default: list[str] | None = None) -> list[str]:
        self._read.add(key)
        if key not in self.data or self.data[key] is None:
            if required:
                raise self.error(None, f"'{key}' is missing", f"add '{key}:' with a list of strings to check '{self.check}'")
            return list(default or [])
        value = self.data[key]
        if isinstance(value, str):
            raise self.error(key, f"'{key}' must be a list of strings, got a string", "wrap it in [ ]")
        if not isinstance(value, list):
            raise self.error(key, f"'{key}' must be a list of strings, got {_kind(value)}", "write it as a YAML list")
        out: list[str] = []
        for i, item in enumerate(value):
            if isinstance(item, bool) or item is None or isinstance(item, (list, dict)):
                line = value.line_of(i) if isinstance(value, LineList) else None
                raise self.error(key, f"item {i + 1} of '{key}' must be a string, got {_kind(item)}", "quote it", line)
            out.append(str(item))
        if required and not out:
            raise self.error(key, f"'{key}' is empty", "list at least one entry")
        return out

    def number(self, key: str, default: float | None = None, required: bool = False) -> float | None:
        self._read.add(key)
        if key not in self.data or self.data[key] is None:
            if required:
                raise self.error(None, f"'{key}' is missing", f"add '{key}:' with a number")
            return default
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error(key, f"'{key}' must be a number, got {_kind(value)}", "write a number such as 25")
        return float(value)

    def boolean(self, key: str, default: bool = False) -> bool:
        self._read.add(key)
        if key not in self.data or self.data[key] is None:
            return default
        value = self.data[key]
        if not isinstance(value, bool):
            raise self.error(key, f"'{key}' must be true or false, got {_kind(value)}", "write true or false")
        return value

    def mapping_list(self, key: str, required: bool = False) -> list[tuple[LineDict, int]]:
        """A list of mappings, each with its line."""
        self._read.add(key)
        if key not in self.data or self.data[key] is None:
            if required:
                raise self.error(None, f"'{key}' is missing", f"add '{key}:' with a list")
            return []
        value = self.data[key]
        if not isinstance(value, list):
            raise self.error(key, f"'{key}' must be a list, got {_kind(value)}", "write it as a YAML list")
        out = []
        for i, item in enumerate(value):
            line = value.line_of(i) if isinstance(value, LineList) else self.line_of(key)
            out.append((item, line))
        return out

    def finish(self) -> None:
        unknown = [k for k in self.data if k not in self._read]
        if unknown:
            key = unknown[0]
            known = sorted(k for k in self._read if not k.startswith("_"))
            raise self.error(
                key,
                f"unknown option '{key}' for check '{self.check}'",
                f"remove it or use one of: {', '.join(known) or '(none)'}",
            )


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
