"""Group commit: the signatures a server process receives at once share one transaction.

Under load, most of a signature's own transaction is what every transaction repeats: taking
the database's write lock (SQLite serialises writers; on PostgreSQL the log head's row lock
serialises appends), a dozen statements, and waiting for the commit to reach the disk. So each
server process hands signatures to one committer thread, which gives all those waiting to one
batch function in one transaction, and answers each caller only once that transaction has
committed. Nobody is told "signed" before their signature is on disk.

A batch function takes a list of requests and returns, in order, each one's answer: its result,
or the exception that refuses it. A refused request must have written nothing (the actions
check before they write), so it fails alone. If the batch function raises, or the commit fails,
the batch is rolled back and its requests run again one by one, so only a failing one fails.
Requests with the same key (a person signing a letter twice, by a double click) never share a
batch; a batch holds one batch function's requests, so its locks are taken in that function's
order (letters in id order) and two batches cannot deadlock each other. Other transactions
must not take a lock that blocks a batch's inserts while they wait for the log head (see
create_letter's NO KEY lock); PostgreSQL would end such a deadlock by failing one side.

Where batching would be wrong or pointless the request runs at once in the caller's thread:
inside a transaction that is already open (the caller's changes must commit together; tests
run in one), and when GROUP_COMMIT is off.
"""

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import close_old_connections, connection, transaction

logger = logging.getLogger(__name__)

BatchFunction = Callable[[list], list]

MAX_BATCH = 64
IDLE_SECONDS = 5  # an idle committer closes its database connection after this long
_STOP = object()


@dataclass
class _Queued:
    function: BatchFunction
    request: object
    key: object
    done: threading.Event = field(default_factory=threading.Event)
    answer: object = None


class GroupCommitter:
    def __init__(self):
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._start_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._next_batch: list[_Queued] = []  # the committer thread's own

    def run(self, function: BatchFunction, request, key: object = None):
        """function([request]) in a transaction, maybe with other callers' requests; return this
        request's result once committed, or raise what refused it."""
        if not settings.GROUP_COMMIT or transaction.get_connection().in_atomic_block:
            with transaction.atomic():
                [answer] = function([request])
                if isinstance(answer, Exception):
                    raise answer
                return answer
        queued = _Queued(function, request, key)
        self._ensure_thread()
        self._queue.put(queued)
        while not queued.done.wait(1):
            self._ensure_thread()  # in case stop() ended the thread just before our request arrived
        if isinstance(queued.answer, Exception):
            raise queued.answer
        return queued.answer

    def stop(self) -> None:
        """Let the thread finish what is queued, close its connection and end (a later run()
        starts a new one). For a test's end, before its database is dropped; a batch that
        outlasted the join's 10 s would leave the old thread running beside a new one."""
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
        """What is waiting (at most MAX_BATCH, one batch function, one request per key), [] after
        an idle wait, or None when asked to stop. Requests left out wait for the next batch."""
        batch: list[_Queued] = []
        keys: set[object] = set()
        carried, self._next_batch = self._next_batch, []
        for item in carried:
            self._add_or_defer(batch, keys, item)
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
            self._add_or_defer(batch, keys, item)
        return batch

    def _add_or_defer(self, batch: list[_Queued], keys: set[object], item: _Queued) -> None:
        if (
            len(batch) >= MAX_BATCH
            or (item.key is not None and item.key in keys)
            or (batch and item.function is not batch[0].function)
        ):
            self._next_batch.append(item)
            return
        keys.add(item.key)
        batch.append(item)


def _commit_or_run_one_by_one(batch: list[_Queued]) -> None:
    error = _commit(batch)
    if error is None:
        return
    if len(batch) == 1:
        batch[0].answer = error
        return
    logger.warning(
        "a group commit of %d requests failed (%s); running them one by one", len(batch), type(error).__name__
    )
    for queued in batch:
        connection.close_if_unusable_or_obsolete()  # a lost connection is replaced, not reused
        _commit_or_run_one_by_one([queued])


def _commit(batch: list[_Queued]) -> Exception | None:
    """Run the batch in one transaction and give each request its answer; return None once it
    has committed, else what went wrong (and then nothing of it is stored)."""
    committed = []
    try:
        with transaction.atomic():
            # First of the after-commit callbacks: from here on the batch is stored, whatever
            # a later callback raises.
            transaction.on_commit(lambda: committed.append(True))
            answers = batch[0].function([queued.request for queued in batch])
            if len(answers) != len(batch):
                raise RuntimeError(f"a batch function answered {len(answers)} of {len(batch)} requests")
    except Exception as error:
        if committed:
            logger.exception("an after-commit callback of a group commit failed")
        else:
            return error
    for queued, answer in zip(batch, answers, strict=True):
        queued.answer = answer
    return None


committer = GroupCommitter()
