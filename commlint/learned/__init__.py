"""Learned components shipped with commlint: weights, tables and model cards, one folder each.

Everything here loads with numpy and json alone; `training/` (top level) rebuilds the files.
"""

from __future__ import annotations

from pathlib import Path

LEARNED_DIR = Path(__file__).resolve().parent


def model_dir(name: str) -> Path:
    """The folder of a shipped model (`commlint/learned/<name>/`)."""
    return LEARNED_DIR / name


_digest: str | None = None


def learned_digest() -> str:
    """A digest of every shipped model's files: a retrained model changes the findings, so the
    result cache must key on it as it keys on the packs."""
    global _digest
    if _digest is None:
        import hashlib

        h = hashlib.sha256()
        for path in sorted(LEARNED_DIR.glob("*/*.json")):
            h.update(path.relative_to(LEARNED_DIR).as_posix().encode("utf-8"))
            h.update(path.read_bytes())
        _digest = h.hexdigest()
    return _digest
