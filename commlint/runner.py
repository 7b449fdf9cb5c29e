"""Linting many files: walking (with `.gitignore`, `exclude:` and per-path `overrides:`),
the result cache, and worker processes. Prints nothing; warnings are returned.

A file's result is cached under a key made of its text's SHA-256, the rule packs' digest,
the settings that shape findings, the file's own options, the commlint version and a digest of its code
(`linter.code_digest`: a checkout updated without a new version never reuses old results), so an
unchanged article is not parsed again. Cache entries are written atomically (a temporary
file, then `os.replace`), so concurrent runs never see half an entry; an entry that cannot
be read or parsed is treated as missing, and a folder that cannot be written is skipped
with a warning — a cache problem never changes a result.

With `jobs > 1` the files that are not cached go to worker processes in batches; each worker
compiles the rules and loads the pipeline once and streams its batches through `nlp.pipe`.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, List, Sequence, Tuple

from .config import Settings
from .errors import CommlintError
from .inputs import DEFAULT_MAX_BYTES, expand_paths, read_text
from .linter import Linter, TextInput
from .models import FileReport, Report, finding_from_dict, finding_to_dict
from .source import format_for_file
from .tree import GitIgnore

DEFAULT_CACHE_DIR = ".commlint_cache"
CACHE_FORMAT = 2
# Files sent to a worker at a time: big enough for nlp.pipe batching, small enough to balance.
WORKER_BATCH = 8


@dataclass
class RunResult:
    report: Report
    warnings: list[str] = field(default_factory=list)
    cached: int = 0  # how many files came from the cache


# -- cache ---------------------------------------------------------------------------------------
class Cache:
    """File results by content key, one JSON file each, in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.warnings: list[str] = []
        self._write_ok = True
        self._read_warned = False

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    # Eviction (after each run): entries unused for MAX_AGE_DAYS go, then the least recently used
    # until the folder is under MAX_BYTES. A hit touches its entry, so what is used stays.
    MAX_BYTES = 256 << 20
    MAX_AGE_DAYS = 30

    def get(self, key: str, display: str) -> FileReport | None:
        path = self._path(key)
        try:
            with path.open("r", encoding="utf-8") as fh:
                data = json.load(fh)
            try:
                os.utime(path)  # recently used: kept longest by evict()
            except OSError:
                pass
            if data.get("format") != CACHE_FORMAT or data.get("key") != key:
                raise ValueError("entry does not match its key")
            return _report_from_dict(data["report"], display)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            if not self._read_warned:
                self.warnings.append(f"cache entry {path} is unreadable or corrupt ({type(exc).__name__}); re-checking the file")
                self._read_warned = True
            return None

    def put(self, key: str, report: FileReport) -> None:
        if not self._write_ok or report.error is not None:
            return
        path = self._path(key)
        payload = json.dumps({"format": CACHE_FORMAT, "key": key, "report": _report_to_dict(report)},
                             ensure_ascii=False, separators=(",", ":"))
        tmp_name = None
        try:
            if not self.folder.is_dir():
                self.folder.mkdir(parents=True, exist_ok=True)
                (self.folder / ".gitignore").write_text("# commlint's result cache\n*\n", encoding="utf-8")
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(payload)
            os.replace(tmp_name, path)
            tmp_name = None
        except OSError as exc:
            self._write_ok = False
            self.warnings.append(f"cache folder {self.folder} is not writable ({exc.strerror or exc}); continuing without caching")
        finally:
            if tmp_name is not None:
                try:
                    os.unlink(tmp_name)
                except OSError:
                    pass


def evict(folder: Path, max_bytes: int = Cache.MAX_BYTES, max_age_days: float = Cache.MAX_AGE_DAYS,
          now: float | None = None) -> int:
    """Delete cache entries unused for `max_age_days`, then the least recently used until the folder
    holds at most `max_bytes`. Returns how many were deleted; a file that cannot be removed is left."""
    import time

    now = time.time() if now is None else now
    entries: list[tuple[float, int, Path]] = []
    try:
        shards = [e for e in os.scandir(folder) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return 0
    for shard in shards:
        try:
            for entry in os.scandir(shard.path):
                if entry.name.endswith(".json") and entry.is_file(follow_symlinks=False):
                    st = entry.stat(follow_symlinks=False)
                    entries.append((st.st_mtime, st.st_size, Path(entry.path)))
        except OSError:
            continue
    entries.sort()
    total = sum(size for _, size, _ in entries)
    removed = 0
    for mtime, size, path in entries:
        if now - mtime <= max_age_days * 86400 and total <= max_bytes:
            break
        try:
            path.unlink()
        except OSError:
            continue
        total -= size
        removed += 1
    return removed


def _report_to_dict(r: FileReport) -> dict[str, Any]:
    return {"score": r.score, "words": r.words, "findings": [finding_to_dict(f) for f in r.findings]}


def _report_from_dict(data: dict[str, Any], display: str) -> FileReport:
    findings = tuple(finding_from_dict(f) for f in data["findings"])
    return FileReport(path=display, score=int(data["score"]), findings=findings, words=int(data["words"]))


def cache_key(fingerprint: str, job: TextInput) -> str:
    h = hashlib.sha256()
    h.update(fingerprint.encode("ascii"))
    options = [job.fmt, job.kind, sorted(job.disable), [(k, v.value) for k, v in job.severity], job.strip_quotes]
    h.update(json.dumps(options).encode("utf-8"))
    h.update(b"\0")
    h.update(job.text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


# -- running -------------------------------------------------------------------------------------
def run(
    paths: Iterable[str],
    linter: Linter,
    *,
    fmt: str | None = None,
    kind: str | None = None,
    max_bytes: int | None = None,
    strip_quotes: bool | None = None,
    jobs: int = 1,
    cache: Cache | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[], None] | None = None,
    gitignore: bool = True,
    force_exclude: bool = False,
) -> RunResult:
    """Lint files and folders; unreadable files become reports with `error` set."""
    settings = linter.settings
    rules = settings.path_rules()
    ignore = GitIgnore() if gitignore else None
    limit = max_bytes or settings.max_bytes or DEFAULT_MAX_BYTES
    fmt = fmt or settings.input_format

    def skip(path: Path, is_dir: bool, root: Path) -> bool:
        return rules.excluded(path, is_dir) or (ignore is not None and ignore.ignored(path, is_dir, root))

    if force_exclude:  # files named on the command line obey exclude: and .gitignore too
        paths = [p for p in paths if not (Path(p).is_file() and skip(Path(p), False, Path(p).parent))]
    results: dict[int, FileReport] = {}
    pending: list[tuple[int, TextInput]] = []
    keys: dict[int, str] = {}
    fingerprint = linter.fingerprint if cache is not None else None
    count = hits = 0
    skipped: list[str] = []
    for index, target in enumerate(expand_paths(list(paths), skip=skip)):
        if target.skipped:
            skipped.append(f"skipped {target.display}: {target.skipped}")
            continue
        count += 1
        if target.error:
            results[index] = FileReport(target.display, 0, (), 0, target.error)
            continue
        options = rules.options_for(target.path)
        try:
            text = read_text(target.path, limit)
        except CommlintError as exc:
            results[index] = FileReport(target.display, 0, (), 0, getattr(exc, "reason", str(exc)))
            continue
        job = TextInput(
            text=text, path=target.display,
            fmt=fmt or options.input_format or format_for_file(target.path, text),
            kind=kind or options.kind or settings.kind,
            disable=options.disable, severity=options.severity,
            strip_quotes=strip_quotes if strip_quotes is not None else options.strip_quotes,
        )
        if cache is not None and fingerprint is not None:
            keys[index] = cache_key(fingerprint, job)
            hit = cache.get(keys[index], target.display)
            if hit is not None:
                results[index] = hit
                hits += 1
                continue
        pending.append((index, job))
    if on_start:
        on_start(count)
        if on_file:
            for _ in range(count - len(pending)):
                on_file()
    for report_index, report in _lint_jobs(pending, linter, jobs, on_file):
        results[report_index] = report
        if cache is not None and report_index in keys:
            cache.put(keys[report_index], report)
    report = Report(files=tuple(results[i] for i in sorted(results)))
    if cache is not None and cache.folder.is_dir():
        evict(cache.folder)
    return RunResult(report, skipped + (list(cache.warnings) if cache is not None else []), hits)


Batch = List[Tuple[int, TextInput]]


def lint_inputs(linter: Linter, inputs: Sequence[TextInput], jobs: int = 1) -> list[FileReport]:
    """Lint texts already in memory, in `jobs` worker processes when there is more than one batch
    of them; the reports come back in the inputs' order."""
    results: dict[int, FileReport] = {}
    for index, report in _lint_jobs(list(enumerate(inputs)), linter, jobs, None):
        results[index] = report
    return [results[i] for i in range(len(inputs))]


def _lint_jobs(pending: Batch, linter: Linter, jobs: int,
               on_file: Callable[[], None] | None) -> Iterator[tuple[int, FileReport]]:
    if not pending:
        return
    workers = max(1, min(jobs, (len(pending) + WORKER_BATCH - 1) // WORKER_BATCH))
    if workers == 1:
        for pair in lint_batch(linter, pending):
            if on_file:
                on_file()
            yield pair
        return
    batches = [pending[i:i + WORKER_BATCH] for i in range(0, len(pending), WORKER_BATCH)]
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ctx.Pool(workers, initializer=_worker_init, initargs=(linter.settings, linter.model)) as pool:
        for batch_result in pool.imap_unordered(_worker_run, batches):
            for pair in batch_result:
                if on_file:
                    on_file()
                yield pair


def lint_batch(linter: Linter, batch: Batch) -> Iterator[tuple[int, FileReport]]:
    """Lint (index, input) pairs in one process, streamed through the linter (and `nlp.pipe`)."""
    for (index, _), report in zip(batch, linter.lint(job for _, job in batch)):
        yield index, report


_WORKER: dict[str, Any] = {}


def _worker_init(settings: Settings, model: str | None) -> None:
    import signal

    # Ctrl-C is the parent's to handle (it stops the pool); workers printing their own
    # KeyboardInterrupt tracebacks would bury the one line that matters.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER["linter"] = Linter.shared(settings, model)


def _worker_run(batch: Batch) -> list[tuple[int, FileReport]]:
    return list(lint_batch(_WORKER["linter"], batch))


# Memory one worker needs (the spaCy pipeline, the compiled packs and a batch of documents).
WORKER_MEMORY = 700 << 20


def default_jobs() -> int:
    """Worker processes for this machine: the CPUs this process may use, capped by the container's
    CPU quota (cgroup cpu.max) and by its memory limit (WORKER_MEMORY each). More workers than
    cores only add memory: --jobs 8 on 2 cores took 5.6 × the time and 3.8 × the memory of 2."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    quota = _cgroup_cpus()
    if quota is not None:
        cpus = min(cpus, quota)
    memory = _cgroup_memory()
    if memory is not None:
        cpus = min(cpus, max(1, memory // WORKER_MEMORY))
    return max(1, cpus)


def _cgroup_cpus(root: Path = Path("/sys/fs/cgroup")) -> int | None:
    """CPUs allowed by the cgroup v2 quota ("max 100000" = none; "150000 100000" = 2)."""
    try:
        quota, period = (root / "cpu.max").read_text().split()[:2]
    except (OSError, ValueError):
        return None
    if quota == "max":
        return None
    return max(1, -(-int(quota) // int(period)))


def _cgroup_memory(root: Path = Path("/sys/fs/cgroup")) -> int | None:
    try:
        value = (root / "memory.max").read_text().strip()
    except OSError:
        return None
    return None if value == "max" or not value.isdigit() else int(value)


def cache_folder(settings: Settings, option: str | None) -> Path:
    configured = option or settings.cache_dir
    folder = Path(str(configured)) if configured else Path(DEFAULT_CACHE_DIR)
    return folder if folder.is_absolute() else settings.base_dir / folder
