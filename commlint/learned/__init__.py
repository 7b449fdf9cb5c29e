"""Learned components shipped with commlint: weights, tables and model cards, one folder each.

Everything here loads with numpy and json alone; `training/` (top level) rebuilds the files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, TypeVar

T = TypeVar("T")

LEARNED_DIR = Path(__file__).resolve().parent


def model_dir(name: str) -> Path:
    """The folder of a shipped model (`commlint/learned/<name>/`)."""
    return LEARNED_DIR / name


def model_options(opts: Any, example: str, unit: str) -> tuple[Path, float]:
    """A learned check's `model:` (a shipped folder, by name only) and `threshold:` (0 to 1), read
    from its pack options, each refused with its line and the fix. `example` names a model for
    the message ("tone"); `unit` says what a higher threshold reports fewer of ("terms")."""
    name = opts.str("model", required=True)
    folder = model_dir(name)
    if "/" in name or "\\" in name or name.startswith(".") or not (folder / "weights.json").is_file():
        raise opts.error("model", f"no shipped model named '{name}' (looked for {folder}/weights.json)",
                         f"use the name of a folder under commlint/learned/, e.g. model: {example}")
    threshold = opts.number("threshold", required=True)
    if threshold is None or not 0.0 < threshold < 1.0:
        raise opts.error("threshold", f"'threshold' must be between 0 and 1, got {threshold}",
                         f"write e.g. threshold: 0.9 (higher reports fewer, surer {unit})")
    return folder, threshold


def load_for_check(opts: Any, folder: Path, loader: Callable[[str], T]) -> T:
    """A learned check's model loaded once per process by its module's `loader`; a damaged or
    stale weights file is a pack error naming the `model:` line and the fix."""
    try:
        return loader(str(folder))
    except (OSError, ValueError, KeyError) as exc:
        raise opts.error("model", f"model '{folder.name}' cannot be loaded: {exc}", "rebuild it with make train") from None


_digest: str | None = None


def learned_digest() -> str:
    """A digest of every shipped model's files: a retrained model changes the findings, so the
    result cache must key on it as it keys on the packs."""
    global _digest
    if _digest is None:
        import hashlib

        h = hashlib.sha256()
        for path in sorted(p for p in LEARNED_DIR.glob("*/*") if p.suffix in (".json", ".npy", ".txt")):
            h.update(path.relative_to(LEARNED_DIR).as_posix().encode("utf-8"))
            h.update(path.read_bytes())
        _digest = h.hexdigest()
    return _digest
