"""The log's public files (C2SP tlog-tiles under /log/): the checkpoint with its cosignatures,
hash tiles and entry bundles, as bytes. The views serve them; ``fetch`` reads them for the
commands that audit or mirror this server's own log with the code an outsider runs."""

from ledger import tiles
from ledger.errors import FetchError
from record import log, witnesses
from record.models import Entry, Tile


def checkpoint() -> bytes | None:
    """The checkpoint to serve, with its witnesses' cosignature lines; None while the log is empty."""
    served = witnesses.checkpoint_to_serve()
    return None if served is None else witnesses.cosigned_note(served).encode("utf-8")


def tile(path: str) -> bytes | None:
    """The hash tile or entry bundle at ``tile/...``, None if there is no such file (yet)."""
    try:
        address = tiles.parse_tile_path(path)
    except ValueError:
        return None
    size = _integrated_size()
    if address.level is None:
        return _entry_bundle(address, size)
    return _hash_tile(address, size)


def fetch(path: str) -> bytes:
    """ledger.audit's and ledger.mirror's ``fetch``, reading this database."""
    data = checkpoint() if path == "checkpoint" else tile(path)
    if data is None:
        raise FetchError(f"{path}: no such file in this log")
    return data


def _integrated_size() -> int:
    latest = log.latest_checkpoint()
    return latest.size if latest else 0


def _hash_tile(address, size: int) -> bytes | None:
    if tiles.tile_width(address.level, address.index, size) < address.width:
        return None
    row = Tile.objects.filter(level=address.level, number=address.index).values_list("data", flat=True).first()
    return None if row is None else bytes(row)[: address.width * 32]


def _entry_bundle(address, size: int) -> bytes | None:
    if tiles.tile_width(0, address.index, size) < address.width:
        return None
    first = address.index * tiles.TILE_WIDTH
    data = (
        Entry.objects.filter(index__gte=first, index__lt=first + address.width)
        .order_by("index")
        .values_list("data", flat=True)
    )
    return tiles.entry_bundle([bytes(d) for d in data])
