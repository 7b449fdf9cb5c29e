"""spaCy pipeline loading (cached per process) and the annotations checks can ask for."""

from __future__ import annotations

from .pipeline import (
    ANNOTATIONS,
    MODEL_PREFERENCE,
    components_for,
    load_pipeline,
    normalise_needs,
)

__all__ = ["ANNOTATIONS", "MODEL_PREFERENCE", "components_for", "load_pipeline", "normalise_needs"]
