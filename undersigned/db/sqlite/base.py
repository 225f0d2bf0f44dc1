"""SQLite with a writer queue that hands over at once.

SQLite lets one writer in at a time. The others wait in its busy handler, which sleeps in
growing steps of up to 100 ms, so under load the database sits idle while requests queue and
the slowest wait seconds. Before BEGIN IMMEDIATE we take an exclusive flock on a file beside
the database: the kernel wakes the next waiter the moment the lock is released, in any thread
or process, and SQLite's own lock is then always free when we ask for it.

Django has no public hook around a transaction's start and end, so the queue overrides four
private methods of its SQLite backend: `_start_transaction_under_autocommit` (the BEGIN that
`transaction.atomic` issues), `_commit`, `_rollback` and `_close` (a connection closed in the
middle of a transaction). When upgrading Django, check that `set_autocommit` still starts
SQLite's transactions through `_start_transaction_under_autocommit` (it looks the method up with
`hasattr`, so a rename would silently bypass the queue) and that `commit`, `rollback` and
`close` still end in the other three; tests/test_sqlite_writer_lock.py fails if one of the four
is missing or no longer takes or gives back the lock.
"""

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_lock_file = None

    def _start_transaction_under_autocommit(self):
        self._take_writer_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private to Django, so not in its stubs
        except BaseException:
            self._release_writer_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()  # type: ignore[misc]  # private to Django, so not in its stubs
        finally:
            self._release_writer_lock()

    def _rollback(self):
        try:
            return super()._rollback()  # type: ignore[misc]  # private to Django, so not in its stubs
        finally:
            self._release_writer_lock()

    def _close(self):
        try:
            return super()._close()  # type: ignore[misc]  # private to Django, so not in its stubs
        finally:
            self._release_writer_lock()

    def _take_writer_lock(self) -> None:
        if self.is_in_memory_db():
            return
        if self._writer_lock_file is None:
            # One open file per connection: flock locks belong to open files, so two threads
            # of one process exclude each other as two processes do.
            path = f"{self.settings_dict['NAME']}.writer-lock"
            self._writer_lock_file = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._writer_lock_file, fcntl.LOCK_EX)

    def _release_writer_lock(self) -> None:
        if self._writer_lock_file is not None:
            fcntl.flock(self._writer_lock_file, fcntl.LOCK_UN)
