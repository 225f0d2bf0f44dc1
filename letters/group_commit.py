"""Group commit: the signatures a server process receives at once share one transaction.

Under load, most of a signature's own transaction is what every transaction repeats: taking
the database's write lock (SQLite serialises writers; on PostgreSQL the log head's row lock
serialises appends) and waiting for the commit to reach the disk. So each server process hands
signatures to one committer thread, which runs all those waiting in one transaction and
answers each caller only once that transaction has committed. Nobody is told "signed" before
their signature is on disk.

A job is a generator function in two steps:

    def job():
        ...read and check; return a refusal or an earlier result before writing anything...
        appended = yield [NewEvent(...)]        # the events it records
        ...write its rows, knowing their log indexes...
        return result

The committer runs the first step of every job of the batch, appends all their events at once
(one index reservation and one insert per table, so the log head stays locked only for the
end of the batch), then runs the second steps. A job that refuses in its first step has
written nothing, so it fails alone. If anything fails after the events are appended, the
batch is rolled back and its jobs are run again one by one, so only the failing one fails.

Where batching would be wrong or pointless the job runs at once in the caller's thread: inside
a transaction that is already open (the caller's changes must commit together; tests run in
one), and when GROUP_COMMIT is off.

Lock order: on PostgreSQL a job locks its letter, and the batch's append locks the log head.
A batch locks all its letters first, in id order, so two batches cannot deadlock.
"""

import logging
import queue
import threading
from dataclasses import dataclass, field
from typing import Callable, Generator

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import translation

from record.log import NewEvent, append_events
from undersigned import sql

logger = logging.getLogger(__name__)

Job = Callable[[], Generator[list[NewEvent], list, object]]

MAX_BATCH = 64
IDLE_SECONDS = 5  # an idle committer closes its database connection after this long
_STOP = object()


@dataclass
class _Queued:
    job: Job
    letter_id: int | None
    key: object
    language: str | None
    done: threading.Event = field(default_factory=threading.Event)
    result: object = None
    error: BaseException | None = None


class GroupCommitter:
    def __init__(self):
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._start_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._next_batch: list[_Queued] = []  # the committer thread's own

    def run(self, job: Job, letter_id: int | None = None, key: object = None):
        """Run the job (see the module's docstring) and return its result once committed, or
        raise its error. letter_id names the letter it locks; jobs with the same key (a person
        signing a letter twice, by a double click) never share a batch."""
        if not settings.GROUP_COMMIT or transaction.get_connection().in_atomic_block:
            with transaction.atomic():
                return _run_alone(job)
        queued = _Queued(job, letter_id, key, translation.get_language())
        self._ensure_thread()
        self._queue.put(queued)
        while not queued.done.wait(1):
            self._ensure_thread()  # in case stop() ended the thread just before our job arrived
        if queued.error is not None:
            raise queued.error
        return queued.result

    def stop(self) -> None:
        """Let the thread finish what is queued, close its connection and end (a later run()
        starts a new one). For a test's end, before its database is dropped."""
        with self._start_lock:
            if self._thread is not None and self._thread.is_alive():
                self._queue.put(_STOP)
                self._thread.join(10)
            self._thread = None

    def _ensure_thread(self) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._serve, name="group-commit", daemon=True)
                self._thread.start()

    def _serve(self) -> None:
        while True:
            batch = self._take_batch()
            if batch is None:
                connection.close()
                return
            if not batch:  # idle for a while
                connection.close()
                continue
            try:
                _commit_or_run_one_by_one(batch)
            finally:
                for queued in batch:
                    queued.done.set()
            try:
                close_old_connections()  # a broken connection is replaced before the next batch
            except Exception:
                logger.exception("could not close the committer's database connection")

    def _take_batch(self) -> list[_Queued] | None:
        """What is waiting (at most MAX_BATCH, one job per key), [] after an idle wait, or
        None when asked to stop."""
        batch, self._next_batch = self._next_batch, []
        keys = {queued.key for queued in batch if queued.key is not None}
        while len(batch) < MAX_BATCH:
            try:
                item = self._queue.get_nowait() if batch else self._queue.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                break
            if item is _STOP:
                if not batch:
                    return None
                self._queue.put(_STOP)  # after this batch
                break
            if item.key is not None and item.key in keys:
                self._next_batch.append(item)
                continue
            keys.add(item.key)
            batch.append(item)
        return batch


def _run_alone(job: Job):
    """Both steps of one job, in the caller's open transaction."""
    steps = job()
    try:
        new_events = next(steps)
    except StopIteration as done:
        return done.value
    return _finish(steps, append_events(new_events) if new_events else [])


def _finish(steps, appended: list):
    try:
        steps.send(appended)
    except StopIteration as done:
        return done.value
    raise RuntimeError("a group-commit job must yield once")


def _commit_or_run_one_by_one(batch: list[_Queued]) -> None:
    error = _commit(batch)
    if error is None:
        return
    if len(batch) == 1:
        batch[0].error, batch[0].result = error, None
        return
    logger.warning("a group commit of %d jobs failed (%r); running them one by one", len(batch), error)
    for queued in batch:
        queued.error = queued.result = None
        _commit_or_run_one_by_one([queued])


def _commit(batch: list[_Queued]) -> Exception | None:
    """Run the batch in one transaction; None once it has committed, else what went wrong
    (and then nothing of it is stored)."""
    committed = []
    try:
        with transaction.atomic():
            # First of the after-commit callbacks: from here on the batch is stored, whatever
            # a later callback raises.
            transaction.on_commit(lambda: committed.append(True))
            _lock_letters(sorted({queued.letter_id for queued in batch if queued.letter_id is not None}))
            started = [(queued, steps, new_events) for queued, steps, new_events in map(_first_step, batch)
                       if steps is not None]
            new_events = [event for _, _, events in started for event in events]
            appended = iter(append_events(new_events) if new_events else [])
            for queued, steps, new_events in started:
                with translation.override(queued.language):
                    queued.result = _finish(steps, [next(appended) for _ in new_events])
    except Exception as error:
        if committed:
            logger.exception("an after-commit callback of a group commit failed")
            return None
        return error
    return None


def _first_step(queued: _Queued):
    """Run a job up to its events: (queued, steps, events), or (queued, None, None) when it
    answered (or refused) without writing."""
    try:
        with translation.override(queued.language):
            steps = queued.job()
            return queued, steps, next(steps)
    except StopIteration as done:
        queued.result = done.value
    except Exception as error:  # the job's own refusal, for its caller alone
        queued.error = error
    return queued, None, None


def _lock_letters(letter_ids: list[int]) -> None:
    """Lock the batch's letters in id order (see the module's docstring); SQLite needs none."""
    if letter_ids and connection.features.has_select_for_update:
        sql.fetch_all(f"SELECT id FROM letters_letter WHERE id IN ({sql.in_list(letter_ids)}) ORDER BY id FOR UPDATE",
                      letter_ids)


committer = GroupCommitter()
