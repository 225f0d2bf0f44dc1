"""The SQLite writer queue (undersigned.db.sqlite): a transaction holds an exclusive flock on
`<database>.writer-lock` from just before its BEGIN IMMEDIATE until it commits, rolls back or its
connection closes, so the next writer waits in the kernel and goes in the moment the lock is
free, instead of sleeping in SQLite's busy handler.

The suite's test database lives in memory, where the backend takes no lock, so each test here
opens connections of its own to a database file of its own. The lock is watched from outside
with a non-blocking flock on the same file, as another writer would take it.
"""

import fcntl
import os
import sqlite3
import threading
import time
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from django.db.backends.sqlite3 import base as django_sqlite
from django.db.utils import ConnectionHandler, OperationalError

from undersigned.db.sqlite import base as writer_queue

# The private methods of Django's SQLite backend that the queue overrides (see its docstring).
OVERRIDDEN = ("_start_transaction_under_autocommit", "_commit", "_rollback", "_close")


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """A fresh database file with one table."""
    path = tmp_path / "queue.sqlite3"
    with django_db_blocker.unblock():
        setup = connection_to(path)
        setup.cursor().execute("CREATE TABLE note (text TEXT NOT NULL)")
        setup.close()
        yield path


@pytest.fixture
def connect(database):
    """Opens connections to the test's database in the test's thread; closed when it ends."""
    opened = []

    def open_connection():
        opened.append(connection_to(database))
        return opened[-1]

    yield open_connection
    for connection in opened:
        connection.close()


def connection_to(path: Path):
    """A connection of its own through our backend, configured as settings configure SQLite, but
    with SQLite's busy timeout at 0: a writer that finds the database locked fails at once, so
    any waiting a test sees is the queue's."""
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "undersigned.db.sqlite",
                "NAME": str(path),
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 0, "init_command": "PRAGMA journal_mode=WAL;"},
            }
        }
    )
    return handler["default"]


@contextmanager
def transaction_on(connection):
    """What transaction.atomic does for an outermost block on SQLite, on a connection that is
    not one of django.db.connections."""
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        yield
    except BaseException:
        connection.rollback()
        connection.set_autocommit(True)
        raise
    connection.commit()
    connection.set_autocommit(True)


def add_note(connection, text: str) -> None:
    connection.cursor().execute("INSERT INTO note (text) VALUES (%s)", [text])


def notes(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as reader:
        return [text for (text,) in reader.execute("SELECT text FROM note ORDER BY rowid")]


def lock_is_free(path: Path) -> bool:
    """Whether another writer could take the queue's lock now (taken and given back at once)."""
    fd = os.open(f"{path}.writer-lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


class Boom(Exception):
    pass


def test_a_transaction_holds_the_writer_lock_until_it_commits(database, connect):
    writer = connect()
    with transaction_on(writer):
        add_note(writer, "committed")
        assert not lock_is_free(database)
    assert lock_is_free(database)
    assert notes(database) == ["committed"]


def test_a_rollback_gives_the_writer_lock_back(database, connect):
    writer = connect()
    with pytest.raises(Boom), transaction_on(writer):
        add_note(writer, "rolled back")
        assert not lock_is_free(database)
        raise Boom
    assert lock_is_free(database)
    assert notes(database) == []


def test_closing_a_connection_in_the_middle_of_a_transaction_gives_the_writer_lock_back(database, connect):
    writer = connect()
    writer.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    add_note(writer, "never committed")
    assert not lock_is_free(database)
    writer.close()
    assert lock_is_free(database)
    assert notes(database) == []


def test_a_begin_that_fails_gives_the_writer_lock_back(database, connect):
    writer = connect()
    writer.ensure_connection()
    # A writer that does not queue (a plain sqlite3 connection) holds SQLite's own write lock.
    with closing(sqlite3.connect(database, isolation_level=None)) as intruder:
        intruder.execute("BEGIN IMMEDIATE")
        with pytest.raises(OperationalError, match="database is locked"), transaction_on(writer):
            pass
        assert lock_is_free(database)
        intruder.execute("ROLLBACK")
    with transaction_on(writer):
        add_note(writer, "after the intruder")
    assert notes(database) == ["after the intruder"]


def test_a_second_writer_waits_in_the_queue_and_goes_in_when_the_first_commits(database, connect):
    if not os.path.exists("/proc/locks"):
        pytest.skip("needs Linux's /proc/locks to see a writer waiting")
    outcome = {}
    first = connect()
    with transaction_on(first):
        add_note(first, "first")
        second = threading.Thread(target=write_in_a_thread, args=(database, "second", outcome), daemon=True)
        second.start()
        wait_until(lambda: not second.is_alive() or someone_waits_for_the_lock(database))
        # SQLite's busy timeout is 0: without the queue the second writer has already failed.
        assert second.is_alive(), outcome
    second.join(timeout=10)
    assert outcome == {"second": "committed"}
    assert notes(database) == ["first", "second"]


def write_in_a_thread(path: Path, text: str, outcome: dict) -> None:
    writer = connection_to(path)
    try:
        with transaction_on(writer):
            add_note(writer, text)
        outcome[text] = "committed"
    except OperationalError as error:
        outcome[text] = str(error)
    finally:
        writer.close()


def someone_waits_for_the_lock(path: Path) -> bool:
    """Whether a flock on the queue's lock file is waiting (Linux lists waiters with "->")."""
    inode = os.stat(f"{path}.writer-lock").st_ino
    with open("/proc/locks") as locks:
        for line in locks:
            fields = line.split()
            if fields[1] == "->" and fields[2] == "FLOCK" and int(fields[6].rsplit(":", 1)[1]) == inode:
                return True
    return False


def wait_until(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def test_the_django_methods_the_queue_overrides_still_exist_in_django():
    """They are private: a Django upgrade may rename them, and Django's set_autocommit calls
    _start_transaction_under_autocommit only if it exists (hasattr). Each test above also fails
    if Django stops calling one of them."""
    for name in OVERRIDDEN:
        assert callable(getattr(django_sqlite.DatabaseWrapper, name, None)), f"Django's SQLite backend has no {name}"
        assert name in vars(writer_queue.DatabaseWrapper), f"the queue no longer overrides {name}"
    also_overridden = {
        name
        for name, value in vars(writer_queue.DatabaseWrapper).items()
        if callable(value) and hasattr(django_sqlite.DatabaseWrapper, name)
    } - set(OVERRIDDEN)
    assert not also_overridden, "name every override of Django's in OVERRIDDEN and in the backend's docstring"
