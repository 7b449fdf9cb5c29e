"""Load and validate the labelled development corpus (`corpora/dev/`, see `corpora/README.md`).

`labels.yaml` holds one entry per file, keyed by the path relative to the corpus root.
Loading checks every label against its file, so a typo in a label fails loudly instead of
silently skewing precision and recall.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from commlint.errors import CommlintError

KINDS = frozenset({"reply", "kb"})
LABEL_FILE = "labels.yaml"
_REQUIRED_KEYS = ("kind", "topic", "voice", "acronyms_undefined", "jargon", "condescending", "has_next_steps")
_ALLOWED_KEYS = frozenset(_REQUIRED_KEYS) | {"has_follow_up"}


class DevCorpusError(CommlintError):
    """The dev corpus or its label file is inconsistent."""

    code = "dev-corpus"


@dataclass(frozen=True)
class DevItem:
    """One labelled document of the dev corpus."""

    path: str
    kind: str
    text: str
    topic: str
    voice: str
    acronyms_undefined: tuple[str, ...]
    jargon: tuple[str, ...]
    condescending: tuple[str, ...]
    has_next_steps: bool
    has_follow_up: bool | None


def load_dev_corpus(root: Path) -> list[DevItem]:
    """Every labelled document under `root`, in label-file order; raises DevCorpusError on any inconsistency."""
    label_path = root / LABEL_FILE
    try:
        labels = yaml.safe_load(label_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DevCorpusError(f"{label_path}: cannot read the label file: {exc}") from exc
    if not isinstance(labels, dict):
        raise DevCorpusError(f"{label_path}: expected a mapping of file path -> labels")
    _check_every_file_labelled(root, labels)
    items = [_load_item(root, str(rel), entry) for rel, entry in labels.items()]
    return items


def _check_every_file_labelled(root: Path, labels: dict[Any, Any]) -> None:
    on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.suffix in {".txt", ".md"} and p.name != "manifest.md"}
    unlabelled = sorted(on_disk - set(map(str, labels)))
    if unlabelled:
        raise DevCorpusError(f"{root / LABEL_FILE}: files without labels: {', '.join(unlabelled)}")


def _load_item(root: Path, rel: str, entry: Any) -> DevItem:
    where = f"{root / LABEL_FILE}: {rel}"
    if not isinstance(entry, dict):
        raise DevCorpusError(f"{where}: expected a mapping of labels")
    missing = [key for key in _REQUIRED_KEYS if key not in entry]
    unknown = sorted(set(entry) - _ALLOWED_KEYS)
    if missing or unknown:
        raise DevCorpusError(f"{where}: missing keys {missing}, unknown keys {unknown}")
    path = root / rel
    if not path.is_file():
        raise DevCorpusError(f"{where}: no such file")
    text = path.read_text(encoding="utf-8")
    kind = entry["kind"]
    if kind not in KINDS:
        raise DevCorpusError(f"{where}: kind must be one of {sorted(KINDS)}, got {kind!r}")
    item = DevItem(
        path=rel,
        kind=kind,
        text=text,
        topic=_string(where, entry, "topic"),
        voice=_string(where, entry, "voice"),
        acronyms_undefined=_strings(where, entry, "acronyms_undefined"),
        jargon=_strings(where, entry, "jargon"),
        condescending=_strings(where, entry, "condescending"),
        has_next_steps=_flag(where, entry, "has_next_steps"),
        has_follow_up=_follow_up(where, entry, kind),
    )
    _check_spans(where, item)
    return item


def _string(where: str, entry: dict[str, Any], key: str) -> str:
    value = entry[key]
    if not isinstance(value, str) or not value:
        raise DevCorpusError(f"{where}: {key} must be a non-empty string, got {value!r}")
    return value


def _strings(where: str, entry: dict[str, Any], key: str) -> tuple[str, ...]:
    value = entry[key]
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise DevCorpusError(f"{where}: {key} must be a list of non-empty strings, got {value!r}")
    if len(set(value)) != len(value):
        raise DevCorpusError(f"{where}: {key} lists an item twice: {value!r}")
    return tuple(value)


def _flag(where: str, entry: dict[str, Any], key: str) -> bool:
    value = entry[key]
    if not isinstance(value, bool):
        raise DevCorpusError(f"{where}: {key} must be true or false, got {value!r}")
    return value


def _follow_up(where: str, entry: dict[str, Any], kind: str) -> bool | None:
    value = entry.get("has_follow_up")
    if kind == "reply" and not isinstance(value, bool):
        raise DevCorpusError(f"{where}: a reply needs has_follow_up true or false, got {value!r}")
    if kind == "kb" and value is not None and not isinstance(value, bool):
        raise DevCorpusError(f"{where}: has_follow_up must be true, false or null, got {value!r}")
    return value


def unquoted_text(text: str) -> str:
    """The technician's own words: the text with quoted customer lines (`> ...`) blanked out."""
    return "".join(" " * (len(line) - 1) + "\n" if line.lstrip().startswith(">") else line for line in text.splitlines(keepends=True))


def _check_spans(where: str, item: DevItem) -> None:
    own_words = unquoted_text(item.text)
    for acronym in item.acronyms_undefined:
        if not re.search(rf"(?<!\w){re.escape(acronym)}(?!\w)", own_words):
            raise DevCorpusError(f"{where}: acronym {acronym!r} does not occur as a word outside quoted lines")
    for field in ("jargon", "condescending"):
        for span in getattr(item, field):
            if span not in own_words:
                raise DevCorpusError(f"{where}: {field} span {span!r} does not occur verbatim outside quoted lines")
