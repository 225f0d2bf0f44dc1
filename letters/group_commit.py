"""Group commit: the signatures a server process receives at once share one transaction.

Under load, most of a signature's own transaction is what every transaction repeats: taking
the database's write lock (SQLite serialises writers) and waiting for the commit to reach the
disk. So each server process hands signatures to one committer thread, which runs all those
waiting in one transaction, each in its own savepoint, and answers each caller only once that
transaction has committed. Nobody is told "signed" before their signature is on disk, and a
signature that fails rolls back to its savepoint without touching the others.

Where batching would be wrong or pointless the job runs at once in the caller's thread: inside
a transaction that is already open (the caller's changes must commit together; tests run in
one), and when GROUP_COMMIT is off.

Lock order: on PostgreSQL every job locks its letter and then the log head (record.log). Two
batches that each locked some letters and then waited for the other's could deadlock, so a
batch locks all its letters first, in id order, before any job runs.
"""

import logging
import queue
import threading
from dataclasses import dataclass, field
from typing import Callable

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import translation

from undersigned import sql

logger = logging.getLogger(__name__)

MAX_BATCH = 64
IDLE_SECONDS = 5  # an idle committer closes its database connection after this long
_STOP = object()


@dataclass
class _Job:
    run: Callable
    letter_id: int | None
    language: str | None
    done: threading.Event = field(default_factory=threading.Event)
    result: object = None
    error: BaseException | None = None


class GroupCommitter:
    def __init__(self):
        self._queue: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._start_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def run(self, job: Callable, letter_id: int | None = None):
        """Run job() in a transaction (shared with other callers' jobs) and return its result
        once committed, or raise its error. letter_id names the letter the job will lock."""
        if not settings.GROUP_COMMIT or transaction.get_connection().in_atomic_block:
            with transaction.atomic():
                return job()
        queued = _Job(job, letter_id, translation.get_language())
        self._ensure_thread()
        self._queue.put(queued)
        while not queued.done.wait(1):
            self._ensure_thread()  # in case stop() ended the thread just before our job arrived
        if queued.error is not None:
            raise queued.error
        return queued.result

    def _ensure_thread(self) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._serve, name="group-commit", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        """Let the thread finish what is queued, close its connection and end (a later run()
        starts a new one). For a test run's end, whose database is about to be dropped."""
        with self._start_lock:
            if self._thread is not None and self._thread.is_alive():
                self._queue.put(_STOP)
                self._thread.join(10)
            self._thread = None

    def _serve(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                connection.close()
                continue
            if first is _STOP:
                connection.close()
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    break
                if job is _STOP:
                    self._queue.put(_STOP)  # after this batch
                    break
                batch.append(job)
            try:
                _commit(batch)
            finally:
                for job in batch:
                    job.done.set()
            try:
                close_old_connections()  # a broken connection is replaced before the next batch
            except Exception:
                logger.exception("could not close the committer's database connection")


def _commit(batch: list[_Job]) -> None:
    committed = []
    try:
        with transaction.atomic():
            # First of the after-commit callbacks: from here on the batch is stored, whatever
            # a later callback raises.
            transaction.on_commit(lambda: committed.append(True))
            _lock_letters(sorted({job.letter_id for job in batch if job.letter_id is not None}))
            for job in batch:
                _run_in_savepoint(job)
    except Exception as error:
        if committed:
            logger.exception("an after-commit callback of a group commit failed")
            return
        logger.exception("group commit of %d jobs failed; none of them is stored", len(batch))
        for job in batch:
            if job.error is None:
                job.error, job.result = error, None


def _run_in_savepoint(job: _Job) -> None:
    try:
        with transaction.atomic(), translation.override(job.language):
            job.result = job.run()
    except Exception as error:  # the job's own refusal or failure, for its caller alone
        job.error = error


def _lock_letters(letter_ids: list[int]) -> None:
    """Lock the batch's letters in id order (see the module's docstring); SQLite needs none."""
    if letter_ids and connection.features.has_select_for_update:
        sql.fetch_all(f"SELECT id FROM letters_letter WHERE id IN ({sql.in_list(letter_ids)}) ORDER BY id FOR UPDATE",
                      letter_ids)


committer = GroupCommitter()
