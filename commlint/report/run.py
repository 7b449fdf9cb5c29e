"""Running batches of replies: in this process, in local worker processes, or on a Dask
distributed cluster. Every executor runs the same `rows.lint_batch`, keeps a bounded number of
batches in flight (the export is never held whole in memory) and yields results in input order,
so every executor gives the same rows."""

from __future__ import annotations

import multiprocessing
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from ..config import Settings
from ..errors import ConfigError
from .records import Reply
from .rows import Task, lint_batch

Result = dict[str, list[Any]]


def batches(replies: Iterable[Reply], size: int) -> Iterator[list[Task]]:
    batch: list[Task] = []
    for reply in replies:
        batch.append(reply.task())
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(frozen=True)
class Work:
    """What every batch is linted with."""

    settings: Settings
    model: str | None = None
    include_text: bool = False


def run_in_process(work: Work, tasks: Iterable[list[Task]]) -> Iterator[Result]:
    for batch in tasks:
        yield lint_batch(work.settings, work.model, batch, work.include_text)


def _warm(settings: Settings, model: str | None) -> None:
    from ..linter import Linter

    Linter.shared(settings, model).engine  # load packs and the spaCy pipeline once per process


def run_local(work: Work, tasks: Iterable[list[Task]], jobs: int) -> Iterator[Result]:
    """`jobs` worker processes, each with its own linter."""
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ctx.Pool(jobs, initializer=_warm, initargs=(work.settings, work.model)) as pool:
        submit = lambda batch: pool.apply_async(lint_batch, (work.settings, work.model, batch, work.include_text))  # noqa: E731
        yield from _bounded(tasks, submit, lambda handle: handle.get(), in_flight=2 * jobs)


def run_dask(work: Work, tasks: Iterable[list[Task]], client: Any) -> Iterator[Result]:
    """On a Dask distributed cluster through `client`. Workers get plain tuples and return plain rows."""
    workers = max(1, sum(client.nthreads().values()))
    submit = lambda batch: client.submit(lint_batch, work.settings, work.model, batch, work.include_text, pure=False)  # noqa: E731
    yield from _bounded(tasks, submit, lambda future: future.result(), in_flight=2 * workers + 1)


def _bounded(tasks: Iterable[list[Task]], submit: Callable[[list[Task]], Any], wait: Callable[[Any], Result],
             in_flight: int) -> Iterator[Result]:
    """Submit batches keeping at most `in_flight` outstanding; yield results in submission order."""
    pending: deque[Any] = deque()
    for batch in tasks:
        pending.append(submit(batch))
        if len(pending) >= in_flight:
            yield wait(pending.popleft())
    while pending:
        yield wait(pending.popleft())


def dask_client(scheduler: str | None, local_workers: int | None) -> Any:
    """A client for `--scheduler ADDRESS` or a LocalCluster of `local_workers` single-threaded processes."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ConfigError("Dask is not installed — pip install 'commlint[report]' to run on a cluster") from None
    if scheduler:
        try:
            return Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    cluster = LocalCluster(n_workers=local_workers or 1, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    return Client(cluster)
