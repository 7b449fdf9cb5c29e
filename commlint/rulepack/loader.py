"""Find, read and validate rule packs. Every problem is reported as
`file:line: rule-id: what is wrong — how to fix it`; all problems at once, never a traceback."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..errors import RulePackError
from .schema import RuleSpec, parse_rule
from .yamlfile import MAX_FILE_BYTES, LineDict, LineList, YamlProblem, read_yaml_file

PACK_FILE_KEYS = ("pack", "description", "rules", "lists")
MAX_PACK_FILES = 500
MAX_PACK_ENTRIES = 20_000  # names looked at in a pack folder before it is refused


def bundled_packs_dir() -> Path:
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    return here.parent / "rules"  # pragma: no cover - reported as missing by resolve_pack


def bundled_pack_names() -> list[str]:
    base = bundled_packs_dir()
    return sorted(p.name for p in base.iterdir() if p.is_dir()) if base.is_dir() else []


def resolve_pack(ref: str, base: Path | None = None) -> Path:
    """A pack by bundled name ('default') or by folder path (relative to `base`)."""
    bundled = bundled_packs_dir() / ref
    if "/" not in ref and "\\" not in ref and bundled.is_dir():
        return bundled
    path = Path(ref).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    if path.is_dir():
        return path.resolve()
    if path.is_file() and path.suffix in (".yaml", ".yml"):
        return path.resolve()
    names = ", ".join(bundled_pack_names()) or "(none)"
    raise RulePackError(f"{ref}: no such rule pack — give a folder of YAML files or a bundled pack name ({names})")


@dataclass
class LoadedRules:
    rules: list[RuleSpec] = field(default_factory=list)
    lists: dict[str, Any] = field(default_factory=dict)
    packs: list[Path] = field(default_factory=list)
    digest: str = ""

    def by_id(self, rule_id: str) -> RuleSpec | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def pack_files(pack: Path) -> list[Path]:
    """The YAML files of a pack folder, found by a bounded walk: `packs: [/]` or a home folder is
    refused after MAX_PACK_ENTRIES names, not after walking the whole disk. Linked folders are
    not followed (a pack is one tree)."""
    if pack.is_file():
        return [pack]
    files: list[Path] = []
    seen = 0
    for folder, dirnames, filenames in os.walk(pack):
        seen += len(dirnames) + len(filenames)
        if seen > MAX_PACK_ENTRIES or len(files) > MAX_PACK_FILES:
            raise RulePackError(
                f"{pack}: over {MAX_PACK_ENTRIES} entries or {MAX_PACK_FILES} YAML files — is this really a rule pack "
                "folder? Give the folder that holds the pack's YAML files (e.g. packs: [./house-rules])")
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        files.extend(Path(folder, name) for name in filenames if name.endswith((".yaml", ".yml")))
    if len(files) > MAX_PACK_FILES:
        raise RulePackError(f"{pack}: {len(files)} YAML files, over the limit of {MAX_PACK_FILES} — is this really a rule pack folder?")
    return sorted(f for f in files if f.is_file())


def load_packs(packs: Iterable[Path]) -> LoadedRules:
    loaded = LoadedRules()
    problems: list[str] = []
    first_seen: dict[str, RuleSpec] = {}
    hasher = hashlib.sha256()
    seen_files: set[Path] = set()
    for pack in packs:
        pack = pack.resolve()
        if pack in loaded.packs:
            continue
        loaded.packs.append(pack)
        try:
            files = pack_files(pack)
        except RulePackError as exc:
            problems.extend(exc.problems)
            continue
        if not files:
            problems.append(f"{pack}: no .yaml files in this rule pack — add rule files or remove it from 'packs:'")
        for path in files:
            real = path.resolve()
            if real in seen_files:
                continue
            seen_files.add(real)
            try:
                hasher.update(str(real).encode())
                # Sizes first: a 2 GB (sparse) pack file must be refused, not read whole for its digest.
                if real.stat().st_size <= MAX_FILE_BYTES:
                    hasher.update(real.read_bytes())
            except OSError:
                pass
            _load_file(path, pack.name, loaded, first_seen, problems)
    if problems:
        raise RulePackError(problems)
    loaded.digest = hasher.hexdigest()
    return loaded


def _load_file(path: Path, pack_name: str, loaded: LoadedRules, first_seen: dict[str, RuleSpec], problems: list[str]) -> None:
    try:
        data = read_yaml_file(path)
    except YamlProblem as exc:
        problems.append(f"{path}:{exc.line}: {exc.message}")
        return
    if data is None:
        return
    if not isinstance(data, LineDict):
        problems.append(f"{path}:1: a rule-pack file must be a mapping with 'rules:' and/or 'lists:' — put the rules under 'rules:'")
        return
    for key in data:
        if key not in PACK_FILE_KEYS:
            problems.append(f"{path}:{data.line_of(key)}: unknown top-level key '{key}' — use one of: {', '.join(PACK_FILE_KEYS)}")
    _merge_lists(path, data.get("lists"), data.line_of("lists"), loaded.lists, problems)
    rules = data.get("rules")
    if rules is None:
        return
    if not isinstance(rules, LineList):
        problems.append(f"{path}:{data.line_of('rules')}: 'rules' must be a list of rules — start each rule with '- id: …'")
        return
    for i, raw in enumerate(rules):
        line = rules.line_of(i)
        try:
            spec = parse_rule(raw, path, line, pack_name)
        except RulePackError as exc:
            problems.extend(exc.problems)
            continue
        previous = first_seen.get(spec.id)
        if previous is not None:
            problems.append(f"{path}:{line}: {spec.id}: duplicate rule id, already defined at {previous.where} — rename one of them")
            continue
        first_seen[spec.id] = spec
        loaded.rules.append(spec)


def _merge_lists(path: Path, lists: Any, line: int, into: dict[str, Any], problems: list[str]) -> None:
    if lists is None:
        return
    if not isinstance(lists, LineDict):
        problems.append(f"{path}:{line}: 'lists' must be a mapping of list names to lists or mappings")
        return
    for name, value in lists.items():
        where = f"{path}:{lists.line_of(name)}"
        if isinstance(value, LineList):
            bad = [v for v in value if not isinstance(v, (str, int, float)) or isinstance(v, bool)]
            if bad:
                problems.append(f"{where}: list '{name}' must hold strings — quote each entry")
                continue
            current = into.setdefault(name, [])
            if not isinstance(current, list):
                problems.append(f"{where}: list '{name}' is a mapping in another pack — use the same shape")
                continue
            seen = set(current)
            current.extend(str(v) for v in value if str(v) not in seen)
        elif isinstance(value, LineDict):
            current = into.setdefault(name, {})
            if not isinstance(current, dict):
                problems.append(f"{where}: list '{name}' is a plain list in another pack — use the same shape")
                continue
            current.update(value)
        else:
            problems.append(f"{where}: '{name}' under 'lists' must be a list or a mapping — write it as YAML list or mapping")
