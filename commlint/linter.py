"""The one front door: settings + text → report.

`Linter(settings)` owns the whole pipeline: it loads the rule packs once, compiles them into an
`Engine` (lazily, on first use), prepares each text (the source format's prose, then quoted
history and the signature left out when wanted), runs the rules and scores the result. The CLI,
the service, `rules test`, the evaluation, the archive report and the editor integrations all
call it; nothing else assembles the pipeline.

    linter = Linter.shared(load_settings())      # one per process and settings
    report = linter.lint_text("Flush your DNS cache.")
    for report in linter.lint(TextInput(t, path=p, fmt="markdown") for p, t in texts): ...

Files and folders (walking, `.gitignore`, the result cache, worker processes) are one layer
above, in `runner`, which feeds this class.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from . import __version__
from .config import Settings
from .engine import Document, Engine
from .errors import CommlintError
from .models import FileReport, Severity
from .rulepack import LoadedRules, load_packs, resolve_pack
from .source import extract
from .source.quoting import QuoteMarkers, Range, Stripped, strip_quoted

@dataclass(frozen=True)
class TextInput:
    """One text to lint and how to read it. `kind`/`strip_quotes` None = the settings decide."""

    text: str
    path: str = "<stdin>"
    fmt: str = "plain"
    kind: str | None = None
    strip_quotes: bool | None = None
    audience: str | None = None  # None: the settings' audience
    # Per-document rule selection (config `overrides:`, a service request): ids, categories or prefixes.
    select: tuple[str, ...] = ()
    disable: frozenset[str] = frozenset()
    severity: tuple[tuple[str, Severity], ...] = ()
    # Words this reader knows, on top of the settings' known_words (a service request's
    # `known_words`, the page's "Add to known words"): a finding on exactly these words is dropped.
    known_words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Checked:
    """A report and the source ranges preparation left out (quoted history, signature)."""

    report: FileReport
    ignored: tuple[Range, ...] = field(default_factory=tuple)


class Linter:
    """Rule packs compiled for one `Settings`; lint any number of texts with it."""

    def __init__(self, settings: Settings | None = None, *, model: str | None = None,
                 loaded: LoadedRules | None = None) -> None:
        self.settings = settings or Settings()
        self.model = model
        self.loaded = loaded if loaded is not None else load_settings_packs(self.settings)
        self._engine: Engine | None = None
        # Built now, so a broken quote-marker list is a pack error at load, not a per-text error.
        self.markers = QuoteMarkers.from_lists(self.loaded.lists)
        self._lock = threading.Lock()

    # -- shared instances ------------------------------------------------------------------
    _shared: dict[tuple[object, ...], "Linter"] = {}
    _shared_lock = threading.Lock()

    @classmethod
    def shared(cls, settings: Settings | None = None, model: str | None = None) -> "Linter":
        """The process's linter for these settings (packs loaded and compiled once, then reused)."""
        settings = settings or Settings()
        key = (settings.findings_key(), model)
        with cls._shared_lock:
            linter = cls._shared.get(key)
            if linter is None:
                linter = cls._shared[key] = cls(settings, model=model)
        return linter

    # -- what it is built from -----------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        """The compiled rules and the spaCy pipeline (built on first use)."""
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = Engine(self.loaded, self.settings, self.model)
        return self._engine

    @property
    def fingerprint(self) -> str:
        """What, besides a text, decides its findings: the commlint version and its code (a checkout
        updated without a new version number must not reuse old results), the packs' digest, the
        models and the settings that shape findings. The result cache keys on it."""
        from .learned import learned_digest

        parts = [__version__, code_digest(), self.loaded.digest, self.settings.findings_key(), self.model, learned_digest()]
        return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()

    # -- preparing ---------------------------------------------------------------------------
    def kind_of(self, inp: TextInput) -> str:
        return inp.kind or self.settings.kind

    def strips_quotes(self, inp: TextInput) -> bool:
        """The input's choice, else the config's `strip_quotes`, else on for replies and chat, off for KB."""
        if inp.strip_quotes is not None:
            return inp.strip_quotes
        if self.settings.strip_quotes is not None:
            return self.settings.strip_quotes
        return self.kind_of(inp) != "kb"

    def checks_quoted(self, inp: TextInput) -> bool:
        """Asked explicitly not to strip quotes (`--no-strip-quotes`, `strip_quotes: false`): the
        quoted part is then checked like the writer's own words. Left unstripped only because of
        the kind (KB articles), block quotes stay someone else's words."""
        return inp.strip_quotes is False or (inp.strip_quotes is None and self.settings.strip_quotes is False)

    def prepare(self, inp: TextInput) -> Stripped:
        """Source text → the writer's own prose (quoted history and signature left out when wanted)."""
        prose = extract(inp.text, inp.fmt)
        if inp.fmt == "plain":
            prose = self.markers.orders_back_to_sentences(prose)
        if not self.strips_quotes(inp):
            return Stripped(prose, [])
        return strip_quoted(prose, inp.fmt, self.markers)

    # -- linting -----------------------------------------------------------------------------
    def check(self, inputs: Iterable[TextInput]) -> Iterator[Checked]:
        """Lint inputs in order, streamed through the pipeline. A text that cannot be prepared
        (a bad format name, say) becomes a report with `error` set; the rest go on."""
        engine = self.engine
        pending: dict[int, tuple[TextInput, tuple[Range, ...]]] = {}
        failed: dict[int, Checked] = {}

        def documents() -> Iterator[Document]:
            for index, inp in enumerate(inputs):
                try:
                    stripped = self.prepare(inp)
                except CommlintError as exc:
                    failed[index] = Checked(FileReport(inp.path, 0, (), 0, getattr(exc, "reason", str(exc))))
                    continue
                pending[index] = (inp, tuple(stripped.ignored))
                yield Document(path=str(index), prose=stripped.prose, kind=self.kind_of(inp), select=inp.select,
                               disable=inp.disable, severity=inp.severity, check_quoted=self.checks_quoted(inp),
                               known_words=frozenset(w.casefold() for w in inp.known_words),
                               audience=inp.audience or self.settings.audience)

        next_index = 0
        for report in engine.lint(documents()):
            index = int(report.path)
            while next_index < index:  # inputs that failed before this one, in order
                yield failed.pop(next_index)
                next_index += 1
            inp, ignored = pending.pop(index)
            yield Checked(FileReport(inp.path, report.score, report.findings, report.words, report.error), ignored)
            next_index = index + 1
        for index in sorted(failed):
            yield failed[index]

    def lint(self, inputs: Iterable[TextInput]) -> Iterator[FileReport]:
        for checked in self.check(inputs):
            yield checked.report

    def check_one(self, inp: TextInput) -> Checked:
        return next(iter(self.check([inp])))

    def lint_text(self, text: str, *, path: str = "<stdin>", fmt: str = "plain", kind: str | None = None,
                  strip_quotes: bool | None = None) -> FileReport:
        """Lint one text. `fmt` is the input format (plain, markdown, html)."""
        return self.check_one(TextInput(text, path=path, fmt=fmt, kind=kind, strip_quotes=strip_quotes)).report


_CODE_DIGESTS: dict[str, str] = {}


def code_digest(package: Path | None = None) -> str:
    """A digest of the package's Python sources (once per process): the result cache keys on it, so
    results are never reused across a code change, also one that kept the version number."""
    root = package or Path(__file__).resolve().parent
    key = str(root)
    if key not in _CODE_DIGESTS:
        h = hashlib.sha256()
        for path in sorted(root.rglob("*.py")):
            h.update(path.relative_to(root).as_posix().encode("utf-8"))
            h.update(path.read_bytes())
        _CODE_DIGESTS[key] = h.hexdigest()
    return _CODE_DIGESTS[key]


def load_settings_packs(settings: Settings) -> LoadedRules:
    """The rule packs the settings name, loaded and validated."""
    return load_packs([resolve_pack(ref, settings.base_dir) for ref in settings.packs])
