"""Integration: every committed entry not yet in the tree is hashed into tiles and a new
checkpoint signed, in one transaction, after the commit of the change that appended it. In the
server a background thread does it (``BackgroundIntegrator``), so no request waits for it."""

import logging
import time

from django.conf import settings
from django.db import close_old_connections, connection, transaction

from ledger import tiles
from record.background import BackgroundWorker
from record.models import Entry, Tile, TreeState
from record.signing import sign_checkpoint
from record.singleton_rows import locked_singleton
from record.tile_store import DatabaseTiles

logger = logging.getLogger(__name__)

INTEGRATION_BATCH = 20_000


def integrate() -> int:
    """Hash committed entries into the tree and sign a checkpoint; return the new tree size.

    The tree state row is locked, and waited for: an integrator that is busy may already have
    read the entries before ours committed, so skipping it could leave our entry without a
    checkpoint until the next commit. In the server this runs in a background thread, so no
    request waits here.
    """
    while True:
        with transaction.atomic():
            state = locked_singleton(TreeState)
            pending = list(
                Entry.objects.filter(index__gte=state.size)
                .order_by("index")
                .values_list("index", "leaf_hash")[:INTEGRATION_BATCH]
            )
            if not pending:
                return state.size
            _check_contiguous(state.size, pending)
            result = tiles.integrate(DatabaseTiles(), state.size, [bytes(h) for _, h in pending])
            _store_tiles(result.tiles)
            sign_checkpoint(result.size, result.root)
            TreeState.objects.filter(pk=1).update(size=result.size)
            transaction.on_commit(_submit_to_witnesses)


def _submit_to_witnesses() -> None:
    from record import witnesses  # it reads checkpoints and proofs from here

    witnesses.checkpoint_made()


def integrate_quietly() -> None:
    """Integration after a commit must never turn a committed change into an error response."""
    try:
        integrate()
    except Exception:
        logger.exception("integration failed; the next one will pick the entries up")


def integrate_after_commit() -> None:
    if settings.LOG_INTEGRATION == "inline":
        integrate_quietly()
    else:
        _background.wake_up()


class BackgroundIntegrator(BackgroundWorker):
    """One thread per server process hashes committed entries into the tree.

    A request only wakes it and returns: the entry is already durable, and a checkpoint that
    covers it follows shortly. After each pass the thread rests LOG_INTEGRATION_INTERVAL
    seconds, so under load one integration (one write transaction, one signed checkpoint)
    serves every request committed meanwhile instead of competing with them for the database.

    The thread keeps its database connection while busy (opening one per pass cost more than
    the pass, on PostgreSQL) and gives it back after IDLE_SECONDS without a wake-up; then it
    also integrates once more, so entries left behind by a failed pass get their checkpoint
    without waiting for the next commit. After that idle pass it touches the database again
    only when woken.
    """

    IDLE_SECONDS = 5
    THREAD_NAME = "log-integrator"

    def _run(self) -> None:
        busy = False  # passes ran since the last idle one
        while True:
            woken = self._wait(self.IDLE_SECONDS)
            if self._stopping:
                connection.close()
                return
            if not woken and not busy:
                continue  # idle, and the idle pass is done: no database work at all
            try:
                integrate_quietly()
            finally:
                if woken:
                    close_old_connections()  # replace a broken connection before the next pass
                else:
                    connection.close()
            busy = woken
            if woken:
                time.sleep(settings.LOG_INTEGRATION_INTERVAL)


_background = BackgroundIntegrator()


def _check_contiguous(start: int, pending) -> None:
    for offset, (index, _) in enumerate(pending):
        if index != start + offset:
            raise RuntimeError(f"log entries are not contiguous: expected index {start + offset}, found {index}")


def _store_tiles(changed: dict) -> None:
    Tile.objects.bulk_create(
        [Tile(level=level, number=number, data=data) for (level, number), data in changed.items()],
        update_conflicts=True,
        unique_fields=["level", "number"],
        update_fields=["data"],
    )
