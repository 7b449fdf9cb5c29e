"""One report run: read the exports, lint them in batches on the chosen executor, write the
outputs. The CLI parses options and calls `build_report`; this module prints nothing."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator

from .. import __version__
from ..config import Settings
from ..linter import Linter
from . import page
from .parts import Parts, run_key
from .readers import check_exports, read_exports
from .records import Problem, Reply
from .rows import Task
from .run import Work, batches, dask_client, run_dask, run_in_process, run_local
from .summary import SUMMARY, Aggregator
from .tables import DOCUMENTS, FINDINGS, Tables
from .tabular import Columns


@dataclass(frozen=True)
class ReportOptions:
    paths: tuple[str, ...]
    out: Path
    columns: Columns = Columns()
    source: str = "auto"
    include_text: bool = False
    pseudonymise_salt: str | None = None  # set: agent names become stable salted ids
    jobs: int = 1
    scheduler: str | None = None  # a Dask scheduler address
    dask_workers: int | None = None  # start a local Dask cluster with this many workers
    client: Any = None  # an existing dask.distributed Client (tests, notebooks)
    batch_size: int = 500
    threshold: float | None = None


@dataclass
class ReportResult:
    out: Path
    documents: int = 0
    findings: int = 0
    words: int = 0
    problems: list[Problem] = field(default_factory=list)
    resumed: int = 0  # batches taken from an earlier, unfinished run
    summary: dict[str, Any] = field(default_factory=dict)


def pseudonym(name: str | None, salt: str) -> str | None:
    """A stable salted id for an agent name: the same name and salt always give the same id."""
    if name is None:
        return None
    return "agent-" + hmac.new(salt.encode("utf-8"), name.encode("utf-8"), hashlib.sha256).hexdigest()[:10]


def categories_of(linter: Linter) -> list[str]:
    """The packs' categories, in pack order."""
    return list(dict.fromkeys(rule.category for rule in linter.loaded.rules))


def build_report(options: ReportOptions, settings: Settings, *, model: str | None = None,
                 on_batch: Callable[[int], None] | None = None,
                 on_problem: Callable[[Problem], None] | None = None) -> ReportResult:
    """Read the exports, lint what no earlier run finished, then assemble the outputs from the parts."""
    linter = Linter.shared(settings, model)  # packs load (and fail) here, before any work starts
    check_exports(options.paths, options.columns, options.source)
    result = ReportResult(options.out)

    def problem(item: Problem) -> None:
        result.problems.append(item)
        if on_problem:
            on_problem(item)

    replies: Iterator[Reply] = read_exports(options.paths, options.columns, problem, options.source)
    if options.pseudonymise_salt is not None:
        salt = options.pseudonymise_salt
        replies = (replace(r, agent=pseudonym(r.agent, salt)) for r in replies)
    parts = Parts(options.out, run_key(linter.fingerprint, options.paths, _run_settings(options)))
    count = _lint_unfinished(replies, parts, Work(settings, model, options.include_text), options, result, on_batch)
    aggregator = _assemble(parts, count, categories_of(linter), options, result, problem)
    summary = aggregator.summary(made_with_of(linter, settings, options), options.threshold)
    summary["inputs"] = {"files": [Path(p).name for p in options.paths], "problems": len(result.problems),
                         "problem_list": [str(p) for p in result.problems[:1000]]}
    (options.out / SUMMARY).write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (options.out / page.REPORT).write_text(page.render(summary), encoding="utf-8")
    parts.remove()
    result.summary = summary
    return result


def _lint_unfinished(replies: Iterator[Reply], parts: Parts, work: Work, options: ReportOptions,
                     result: ReportResult, on_batch: Callable[[int], None] | None) -> int:
    """Lint every batch that has no part yet on the chosen executor, writing each part as it comes
    back. Returns the number of batches in the export."""
    order: deque[int] = deque()  # batch numbers in the order they were handed to the executor
    count = 0

    def unfinished() -> Iterator[list[Task]]:
        nonlocal count
        for index, batch in enumerate(batches(replies, options.batch_size)):
            count = index + 1
            if parts.has(index):
                result.resumed += 1
                continue
            order.append(index)
            yield batch

    tasks, several = _peek(unfinished())
    client, owned = (None, False) if not several and options.client is None else _client(options)
    try:
        if client is not None:
            results = run_dask(work, tasks, client)
        elif options.jobs > 1 and several:  # one batch is not worth starting worker processes for
            results = run_local(work, tasks, options.jobs)
        else:
            results = run_in_process(work, tasks)
        for batch in results:
            parts.write(order.popleft(), batch)
            if on_batch:
                on_batch(len(batch["documents"]) + len(batch["problems"]))
    finally:
        if owned:
            _close(client)
    return count


def _assemble(parts: Parts, count: int, categories: list[str], options: ReportOptions, result: ReportResult,
              problem: Callable[[Problem], None]) -> Aggregator:
    """The Parquet files and the totals, from the parts in input order."""
    aggregator = Aggregator(categories)
    tables = Tables(options.out, categories, options.include_text)
    try:
        for index in range(count):
            batch = parts.read(index)
            tables.add(batch["documents"], batch["findings"])
            aggregator.add(batch["documents"], batch["findings"])
            for where, reason in batch["problems"]:
                problem(Problem(where, reason))
            result.documents += len(batch["documents"])
            result.findings += len(batch["findings"])
            result.words += sum(d["words"] for d in batch["documents"])
    finally:
        tables.close()
    return aggregator


def made_with_of(linter: Linter, settings: Settings, options: ReportOptions) -> dict[str, Any]:
    """The pack version and the settings that decide findings, so a report can be reproduced."""
    return {
        "commlint": __version__,
        "fingerprint": linter.fingerprint,
        "packs": [{"name": p.name, "digest": linter.loaded.digest} for p in linter.loaded.packs],
        "rules": len(linter.loaded.rules),
        "settings": {"packs": list(settings.packs), "rules": list(settings.rules), "disable": list(settings.disable),
                     "severity": {k: v.value for k, v in settings.severity}, "known_words": list(settings.known_words),
                     "kind": settings.kind, "strip_quotes": settings.strip_quotes,
                     "config": str(settings.config_path) if settings.config_path else None},
        "options": {"format": options.columns.fmt, "kind": options.columns.kind, "source": options.source,
                    "include_text": options.include_text, "pseudonymised": options.pseudonymise_salt is not None},
        "outputs": [DOCUMENTS, FINDINGS, SUMMARY, page.REPORT],
    }


def _run_settings(options: ReportOptions) -> dict[str, Any]:
    """What, besides the linter and the files, decides the rows (the salt only as a hash)."""
    salt = options.pseudonymise_salt
    return {"columns": options.columns.__dict__, "source": options.source, "batch_size": options.batch_size,
            "include_text": options.include_text,
            "salt": hashlib.sha256(salt.encode("utf-8")).hexdigest() if salt is not None else None}


def _peek(tasks: Iterator[list[Task]]) -> tuple[Iterator[list[Task]], bool]:
    """The same batches, and whether there is more than one."""
    head = list(itertools.islice(tasks, 2))
    return itertools.chain(head, tasks), len(head) > 1


def _client(options: ReportOptions) -> tuple[Any, bool]:
    if options.client is not None:
        return options.client, False
    if options.scheduler or options.dask_workers:
        return dask_client(options.scheduler, options.dask_workers), True
    return None, False


def _close(client: Any) -> None:
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()
