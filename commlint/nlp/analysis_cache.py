"""A per-user cache of what compiling a pack asks the language model, keyed by exactly what it asked.

Compiling the jargon lexicon tags every term alone and inside carrier sentences to learn its
lemmas: about 3,000 short texts through the tagger, most of a cold `commlint check`'s start-up,
paid again in every `--jobs` worker and every CLI run. The answers depend only on the questions
and the model, so they are stored under a digest of (what is asked, spaCy's version, the model's
name and version, this format's version) and reused by every later process.

Where: `$COMMLINT_ANALYSIS_CACHE`, else `$XDG_CACHE_HOME/commlint/analysis`, else
`~/.cache/commlint/analysis`. Writes are atomic (a temporary file renamed into place), so
processes may share the folder; a missing, unreadable or corrupt entry is recomputed, never an
error. `COMMLINT_ANALYSIS_CACHE=off` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

FORMAT = 1
MAX_ENTRY_BYTES = 64 * 1024 * 1024


def folder() -> Path | None:
    configured = os.environ.get("COMMLINT_ANALYSIS_CACHE")
    if configured is not None:
        return None if configured.strip().lower() in ("", "off", "0", "false", "no") else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "commlint" / "analysis"


def digest(nlp: "Language | None", kind: str, question: Any) -> str:
    """What the answer depends on: the question, and (when a model answers it) spaCy's version and
    the model's name, version and pipes."""
    model: list[Any] = []
    if nlp is not None:
        import spacy

        meta = getattr(nlp, "meta", {}) or {}
        model = [spacy.__version__, meta.get("name"), meta.get("version"), list(nlp.pipe_names)]
    payload = json.dumps([FORMAT, kind, model, question], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def cached(nlp: "Language | None", kind: str, question: Any, compute: Callable[[], Any]) -> Any:
    """The stored answer to `question`, or `compute()` stored for next time. Answers must be JSON."""
    where = folder()
    if where is None:
        return compute()
    path = where / f"{kind}-{digest(nlp, kind, question)}.json"
    try:
        if path.stat().st_size <= MAX_ENTRY_BYTES:
            return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass  # absent or damaged: compute it again
    answer = compute()
    try:
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=where)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(answer, handle, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a read-only home is no reason to fail a check
    return answer
