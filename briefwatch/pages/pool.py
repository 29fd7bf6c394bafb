"""Worker processes for the CPU-bound half of a pass: parsing pages and reading their claims.

A pool of plain ``python -c`` processes, started on first use and kept for the life of this
one. Each imports only the parsers and the extractor (`briefwatch.pages.read`: no Prefect, no
database layer, ~60 MB and ~0.7 s), and prepares one page at a time, the page's bytes in over a
pipe and the `Prepared` result back. Not `multiprocessing`: its workers import the parent's
``__main__``, which under a Prefect worker is Prefect itself.

The caller takes results in page order (`PagePool.results`). Rather than wait for a page no
worker has started (a worker takes pages only once its imports are done) it prepares it
itself, and while a worker is busy with the page it needs next it prepares the batch's last
page no worker has started (work stealing): a slow start, a dead worker or a small batch costs
nothing, and both the workers and the caller stay busy.

``BRIEFWATCH_WORKERS`` sets the number of worker processes (default: the usable cores less the
one the caller runs on; 0 keeps everything in this process).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import pickle
import subprocess
import sys
import threading
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from typing import IO, Any

from briefwatch.pages.read import Job, prepare
from briefwatch.stories.prepared import Prepared
from parsers.registry import PARSERS

log = logging.getLogger(__name__)

# Pages this process prepares in batches before it starts the pool (`bench.breakeven`): a pool
# already up pays from a batch of two pages (25-35 % less wall per page); starting it costs a
# core ~0.7 s and each worker ~60 MB, and never stalls a batch (no page waits for a worker still
# importing), so a process starts it once it has shown it reads more than a handful of pages.
START_AT = 16
_HEADER = 8  # bytes of a frame's length
_QUEUED, _TAKEN = 0, 1


def worker_count() -> int:
    """How many worker processes to run (``BRIEFWATCH_WORKERS``, else the cores less one)."""
    from briefwatch.config import page_workers  # here: a worker process never needs pydantic

    configured = page_workers()
    if configured is not None:
        return configured
    return max(0, len(os.sched_getaffinity(0)) - 1)


class _Task:
    """One job and, once someone prepared it, its result."""

    __slots__ = ("done", "job", "result", "state")

    def __init__(self, job: Job) -> None:
        self.job = job
        self.state = _QUEUED
        self.result: Prepared | None = None  # None once done: the worker failed, do it here
        self.done = threading.Event()

    def finish(self, result: Prepared | None) -> None:
        self.result = result
        self.done.set()


class PagePool:
    """Worker processes preparing pages, and the queue that feeds them."""

    def __init__(self, workers: int, *, steal: bool = True) -> None:
        # steal=False: the caller never prepares a page a live worker could take (tests that
        # must see the workers work; under load the caller could otherwise take every page).
        self._steal = steal
        self._lock = threading.Lock()
        self._ready = threading.Condition(self._lock)
        self._queue: deque[_Task] = deque()
        self._closed = False
        self.cpu_ns: Counter[str] = Counter()  # what the workers spent, per step (bench/)
        self.peak_rss_kb: dict[int, int] = {}  # per worker process
        self._workers = [_Worker(self) for _ in range(workers)]

    def results(self, jobs: Sequence[Job]) -> Iterator[Prepared]:
        """Each job's `Prepared`, in order; see the module docstring for who prepares which.

        The jobs are queued at once, so the workers start on them while the caller finishes
        earlier work (a pass hands over the next sources' pages before storing this one's);
        the results are taken when iterated.
        """
        tasks = [_Task(job) for job in jobs]
        with self._ready:
            self._queue.extend(tasks)
            self._ready.notify_all()
        return self._collect(tasks)

    def _collect(self, tasks: list[_Task]) -> Iterator[Prepared]:
        tail = [len(tasks)]  # tasks from here on are all taken: where stealing resumes
        try:
            for index, task in enumerate(tasks):
                prepared = self._result(tasks, index, tail)
                task.job, task.result = None, None  # type: ignore[assignment]  # let go
                yield prepared
        finally:  # abandoned half way: the workers need not prepare the rest
            with self._lock:
                for task in tasks:
                    task.state = _TAKEN

    def _result(self, tasks: list[_Task], index: int, tail: list[int]) -> Prepared:
        task = tasks[index]
        while True:
            if (self._steal or not self.alive) and self._take(task):
                return prepare(task.job, read_claims=False)
            if task.done.is_set():
                return task.result or prepare(task.job, read_claims=False)
            # A worker has it: meanwhile prepare the last page no one has started (each page
            # is looked at once: those from ``tail[0]`` on are all taken).
            stolen = None
            while self._steal and stolen is None and tail[0] > index + 1:
                tail[0] -= 1
                candidate = tasks[tail[0]]
                stolen = candidate if self._take(candidate) else None
            if stolen is None:
                # Not stealing, the page may still be queued: look again if the workers die.
                task.done.wait(None if self._steal else 0.05)
            else:
                stolen.finish(prepare(stolen.job, read_claims=False))

    def _take(self, task: _Task) -> bool:
        with self._lock:
            if task.state != _QUEUED:
                return False
            task.state = _TAKEN
            return True

    def _next(self) -> _Task | None:
        """The next task no one has taken (a worker's thread waits here), or None once closed."""
        with self._ready:
            while True:
                while self._queue:
                    task = self._queue.popleft()
                    if task.state == _QUEUED:
                        task.state = _TAKEN
                        return task
                if self._closed:
                    return None
                self._ready.wait()

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify_all()
        for worker in self._workers:
            worker.stop()

    def wait_ready(self, timeout: float = 30.0) -> bool:
        """Wait until every worker has started (bench/ measures a warm pool)."""
        return all(w.ready.wait(timeout) for w in self._workers)

    @property
    def alive(self) -> int:
        return sum(w.alive for w in self._workers)

    def stats(self) -> dict[str, Any]:
        """What the workers cost so far, for bench/: processes, their whole CPU time (start-up
        and pipes included), the CPU of the steps they ran, and their peak memory."""
        tick = os.sysconf("SC_CLK_TCK")
        cpu = 0.0
        for worker in self._workers:
            with (
                contextlib.suppress(OSError, IndexError, ValueError),
                open(f"/proc/{worker.process.pid}/stat") as stat,
            ):
                fields = stat.read().rsplit(")", 1)[1].split()
                cpu += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        with self._lock:
            return {
                "processes": len(self._workers),
                "cpu_s": cpu,
                "step_cpu_ns": dict(self.cpu_ns),
                "peak_rss_mb": sum(self.peak_rss_kb.values()) / 1024,
            }


class _Worker:
    """One worker process and the thread that feeds it."""

    def __init__(self, pool: PagePool) -> None:
        self.pool = pool
        jobs_read, jobs_write = os.pipe()
        results_read, results_write = os.pipe()
        # The parent's import path, so the worker finds the same code (a checkout, a venv).
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from briefwatch.pages.pool import serve; serve()",
             str(jobs_read), str(results_write)],
            pass_fds=(jobs_read, results_write), env=env, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(jobs_read)
        os.close(results_write)
        self.jobs: IO[bytes] = os.fdopen(jobs_write, "wb")
        self.replies: IO[bytes] = os.fdopen(results_read, "rb")
        self.alive = True
        self.ready = threading.Event()  # its imports are done: it takes pages
        self.thread = threading.Thread(target=self._run, name="briefwatch-worker", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:  # no page is handed to a worker still importing: meanwhile the caller reads them
            _, parsers = _receive(self.replies)
        except (OSError, EOFError, pickle.PickleError, ValueError) as exc:
            log.warning("a page worker did not start (%s); pages are read in-process", exc)
            self.alive = False
            return
        if parsers != sorted(PARSERS):  # one registered here at run time: parse it here
            log.info("page workers unused: this process has parsers they do not")
            self.alive = False
            return
        self.ready.set()
        while (task := self.pool._next()) is not None:
            try:
                _send(self.jobs, task.job)
                status, value, records, cpu, rss = _receive(self.replies)
            except (OSError, EOFError, pickle.PickleError, TypeError, ValueError) as exc:
                log.warning("a page worker stopped (%s); its pages are read in-process", exc)
                self.alive = False
                task.finish(None)
                return
            for name, level, message in records:  # the worker's log lines, logged here
                logging.getLogger(name).log(level, "%s", message)
            with self.pool._lock:
                self.pool.cpu_ns.update(cpu)
                self.pool.peak_rss_kb[self.process.pid] = rss
            task.finish(value if status == "ok" else None)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.jobs.close()  # the worker exits at the end of its input
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.thread.join(timeout=5)
        with contextlib.suppress(OSError):
            self.replies.close()


def _send(stream: IO[bytes], value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(_HEADER, "little"))
    stream.write(data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    header = stream.read(_HEADER)
    if len(header) < _HEADER:
        raise EOFError("the worker closed its pipe")
    size = int.from_bytes(header, "little")
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the worker closed its pipe mid-answer")
    return pickle.loads(data)


# -- the one pool of this process ---------------------------------------------------------------

_POOL: PagePool | None = None
_POOL_LOCK = threading.Lock()


_SEEN = 0  # pages prepared in batches of two or more by this process


def pool_for(pages: int) -> PagePool | None:
    """The pool to prepare a batch of ``pages`` on, or None to prepare it in this process: with
    no worker to run, for a single page, and until this process has read `START_AT` pages."""
    global _POOL, _SEEN
    if pages < 2:
        return None
    with _POOL_LOCK:
        _SEEN += pages
        if _POOL is None:
            count = worker_count()
            if _SEEN < START_AT or count == 0:
                return None
            _POOL = PagePool(count)
            atexit.register(shutdown)
        return _POOL if _POOL.alive else None


def start(workers: int, *, steal: bool = True) -> PagePool:
    """Start this process's pool now, replacing any (bench/ measures a warm pool; a test that
    must see the workers read pages passes ``steal=False``)."""
    global _POOL
    shutdown()
    with _POOL_LOCK:
        _POOL = PagePool(workers, steal=steal)
        atexit.register(shutdown)
        return _POOL


def shutdown() -> None:
    """Stop the worker processes (at exit; a later batch starts them again)."""
    global _POOL
    with _POOL_LOCK:
        pool, _POOL = _POOL, None
    if pool is not None:
        pool.close()


def current() -> PagePool | None:
    """The running pool, if any (bench/ reads what its workers spent)."""
    return _POOL


# -- inside a worker process -------------------------------------------------------------------


class _Collect(logging.Handler):
    """Keeps the log records of one job, to be logged again by the parent."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
        self.records.append((record.name, record.levelno, message))


def serve() -> None:
    """A worker's life: prepare each job read from the pipe, until the pipe closes."""
    jobs = os.fdopen(int(sys.argv[1]), "rb")
    results = os.fdopen(int(sys.argv[2]), "wb")
    sys.stdout = sys.stderr  # nothing a library prints may reach the results pipe
    import trafilatura  # noqa: F401  - what `parsers.generic` imports on first use, now

    _send(results, ("ready", sorted(PARSERS)))
    collect = _Collect()
    logging.getLogger().addHandler(collect)
    logging.getLogger().setLevel(logging.INFO)
    while True:
        try:
            job = _receive(jobs)
        except EOFError:
            return
        collect.records = []
        try:
            prepared = prepare(job, read_claims=True)
            status, value = "ok", prepared
        except Exception as exc:  # the parent prepares it again, and sees the error itself
            status, value, prepared = "error", repr(exc), None
        cpu = dict(prepared.cpu_ns) if prepared else {}
        _send(results, (status, value, collect.records, cpu, _peak_rss_kb()))


def _peak_rss_kb() -> int:
    """This process's peak resident memory since it started. Not ``ru_maxrss``: Linux carries
    that over from the parent's fork, so a worker would report the parent's size."""
    with contextlib.suppress(OSError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0
