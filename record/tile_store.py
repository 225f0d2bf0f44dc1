"""The tree's tiles as the database stores them, and the proofs read from them."""

import threading
from collections import OrderedDict

from django.db import connection

from ledger import merkle, tiles
from record.models import Tile


class DatabaseTiles:
    """ledger.tiles.TileRowReader over the Tile table: at most one query per call.

    A stored tile never changes except by growing (a partial tile is a prefix of its later
    forms, a full one is final), so each process keeps the rows (ledger.tiles.tile_rows) of the
    tiles it read most recently and asks the database only for tiles it lacks, or holds too
    narrow for the tree size asked about. Hashing a tile's rows was most of a proof's time.
    """

    _rows: "OrderedDict[tuple[int, int], tuple[bytes, ...]]" = OrderedDict()
    _cache_lock = threading.Lock()
    CACHE_TILES = 1024  # a full tile and its rows are 16 KiB: 16 MiB per process

    def read_tile_rows(self, widths: dict[tuple[int, int], int]) -> dict[tuple[int, int], tuple[bytes, ...]]:
        found, missing = {}, []
        with self._cache_lock:
            for key, width in widths.items():
                rows = self._rows.get(key)
                if rows is not None and len(rows[0]) >= width * merkle.HASH_SIZE:
                    self._rows.move_to_end(key)
                    found[key] = rows
                else:
                    missing.append(key)
        for key, data in self._query(missing).items():
            found[key] = self._remember(key, tiles.tile_rows(data))
        return found

    def read_tiles(self, keys):
        """Tiles as stored (integration reads the right edge this way): full ones from the
        kept rows when there, all others from the database."""
        found, missing = {}, []
        with self._cache_lock:
            for key in keys:
                rows = self._rows.get(key)
                if rows is not None and len(rows[0]) == tiles.FULL_TILE_BYTES:
                    found[key] = rows[0]
                else:
                    missing.append(key)
        found.update(self._query(missing))
        return found

    def _remember(self, key, rows: tuple[bytes, ...]) -> tuple[bytes, ...]:
        with self._cache_lock:
            kept = self._rows.get(key)
            if kept is None or len(kept[0]) < len(rows[0]):  # an older snapshot may read a narrower tile
                self._rows[key] = rows
            self._rows.move_to_end(key)
            while len(self._rows) > self.CACHE_TILES:
                self._rows.popitem(last=False)
        return rows

    @staticmethod
    def _query(keys) -> dict[tuple[int, int], bytes]:
        """The stored tiles of exact (level, number) keys: plain SQL on the unique index, as
        building the ORM query cost more than running it."""
        if not keys:
            return {}
        quote = connection.ops.quote_name
        level, number = quote(Tile._meta.get_field("level").column), quote(Tile._meta.get_field("number").column)
        data = quote(Tile._meta.get_field("data").column)
        where = " OR ".join([f"({level} = %s AND {number} = %s)"] * len(keys))
        with connection.cursor() as cursor:  # names from _meta, quoted; the keys are parameters
            cursor.execute(
                f"SELECT {level}, {number}, {data} FROM {quote(Tile._meta.db_table)} WHERE {where}",  # noqa: S608
                [part for key in keys for part in key],
            )
            return {(lv, n): bytes(tile) for lv, n, tile in cursor.fetchall()}


def inclusion_proof(index: int, size: int) -> list[bytes]:
    return tiles.inclusion_proof(DatabaseTiles(), index, size)


def consistency_proof(old: int, new: int) -> list[bytes]:
    return tiles.consistency_proof(DatabaseTiles(), old, new)
