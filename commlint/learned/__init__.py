"""Learned components shipped with commlint: weights, tables and model cards, one folder each.

Everything here loads with numpy and json alone; `training/` (top level) rebuilds the files.
"""

from __future__ import annotations

from pathlib import Path

LEARNED_DIR = Path(__file__).resolve().parent


def model_dir(name: str) -> Path:
    """The folder of a shipped model (`commlint/learned/<name>/`)."""
    return LEARNED_DIR / name
