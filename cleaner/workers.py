"""Clean documents on several cores and get the results back in input order.

Documents go to worker processes in chunks (up to :data:`CHUNK_DOCS`
documents or :data:`CHUNK_BYTES` of text); at most two chunks per worker are
in flight, so memory stays bounded however long the input. Each document is
cleaned on its own, so the results, and everything written from them, are the
same byte for byte with one worker or many. An input that fits in one chunk is
cleaned in this process: no workers are started for it.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from .clean import Cleaner
from .document import Document, Result

CHUNK_DOCS = 256
CHUNK_BYTES = 1 << 19

_cleaner: Cleaner | None = None  # one per worker process
_after = None  # and what to do with each chunk's results there


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _context():
    """Workers are forked where the platform can (Linux): they start at once with what the
    parent has loaded, and a library caller's script needs no ``if __name__ == "__main__"``
    guard (Python 3.14 makes forkserver the default, which needs one)."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _init(cleaner: Cleaner, after) -> None:
    global _cleaner, _after
    _cleaner, _after = cleaner, after
    _die_with_parent()


def _die_with_parent() -> None:
    """Workers hold nothing worth saving: they stop at once on SIGTERM, leave Ctrl-C to
    the parent (which stops the pool), and on Linux die with the parent, even when it
    is killed with SIGKILL, so no worker is left behind."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent is already gone
        os._exit(1)


def _clean_chunk(docs: list[Document]) -> list[Result]:
    return _cleaned(_cleaner, _after, docs)


def _cleaned(cleaner: Cleaner, after, docs: list[Document]) -> list[Result]:
    results = list(cleaner.clean_many(docs))
    if after is not None:
        after(results)
    return results


class CleanPool:
    """``map`` items ``(payload, document or None)`` to ``(payload, document, result or None)``, in order.

    >>> with CleanPool(Cleaner(), jobs=2) as pool:
    ...     [(p, r.text if r else None) for p, _, r in pool.map([("a", Document("Menu\\nText.")), ("b", None)])]
    [('a', 'Text.'), ('b', None)]
    """

    def __init__(self, cleaner: Cleaner, jobs: int = 1, after: Callable[[list[Result]], None] | None = None):
        # ``after`` runs on each chunk's results where they were cleaned (in the worker):
        # work that needs only the cleaned text, such as dedup's sketches.
        self.cleaner, self.jobs, self.after = cleaner, max(1, jobs), after
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> CleanPool:
        return self

    def __exit__(self, *exc) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def map(self, items: Iterable[tuple[Any, Document | None]]) -> Iterator[tuple[Any, Document | None, Result | None]]:
        chunks = _chunks(items)
        head = list(itertools.islice(chunks, 2))
        calls = ((chunk, [d for _, d in chunk if d is not None]) for chunk in itertools.chain(head, chunks))
        if self.jobs == 1 or len(head) < 2:
            done = ((chunk, _cleaned(self.cleaner, self.after, docs)) for chunk, docs in calls)
        else:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(self.jobs, _context(), initializer=_init,
                                                     initargs=(self.cleaner, self.after))
            done = _in_order(self._executor, _clean_chunk, calls, 2 * self.jobs)
        for chunk, results in done:
            results = iter(results)
            yield from ((p, d, next(results) if d is not None else None) for p, d in chunk)


class Pool:
    """``jobs`` worker processes started now, for :func:`map_chunks` calls later.

    Forked while this process is still small, they stay small: a pool forked at
    the end of a long run would start as large as the run has grown (and each
    worker of the cleaning pool keeps the peak it reached while cleaning).
    """

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.executor = ProcessPoolExecutor(jobs, _context(), initializer=_die_with_parent)
        for future in [self.executor.submit(os.getpid) for _ in range(jobs)]:
            future.result()

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def map_chunks(fn: Callable[[Any], Any], args: Iterable[Any], jobs: int = 1, pool: Pool | None = None) -> Iterator[Any]:
    """``fn(arg)`` for each arg, in order, on ``pool`` or on ``jobs`` worker processes started
    for this call (in this process for one job, or one call). ``fn`` must be a module-level
    function; at most two calls per worker are in flight."""
    args = iter(args)
    head = list(itertools.islice(args, 2))
    if len(head) < 2 or (pool is None and jobs <= 1):  # one call: no workers to start
        yield from map(fn, itertools.chain(head, args))
        return
    with contextlib.nullcontext(pool) if pool is not None else Pool(jobs) as workers:
        calls = ((None, a) for a in itertools.chain(head, args))
        for _, result in _in_order(workers.executor, fn, calls, 2 * workers.jobs):
            yield result


def _in_order(executor, fn, calls: Iterable[tuple[Any, Any]], window: int) -> Iterator[tuple[Any, Any]]:
    """``(payload, fn(arg))`` for each ``(payload, arg)``, in order, with up to ``window`` calls in flight."""
    pending: deque = deque()
    for payload, arg in calls:
        pending.append((payload, executor.submit(fn, arg)))
        if len(pending) >= window:
            payload, future = pending.popleft()
            yield payload, future.result()
    while pending:
        payload, future = pending.popleft()
        yield payload, future.result()


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Lists of ``size`` items (the last may be shorter)."""
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch


def _chunks(items: Iterable[tuple[Any, Document | None]]) -> Iterator[list]:
    chunk, docs, size = [], 0, 0
    for payload, doc in items:
        chunk.append((payload, doc))
        if doc is not None:
            docs += 1
            size += len(doc.text)
            if docs >= CHUNK_DOCS or size >= CHUNK_BYTES:
                yield chunk
                chunk, docs, size = [], 0, 0
    if chunk:
        yield chunk
