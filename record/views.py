"""The log served as C2SP tlog-tiles files under /log/: checkpoint, hash tiles, entry bundles."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from ledger import tiles
from record import log
from record.models import Entry, Tile

IMMUTABLE = "public, max-age=31536000, immutable"
# Tiles of a given width never change, so caches may keep them for ever; a checkpoint is
# replaced as the log grows, so it is cached for seconds.
CHECKPOINT_CACHE = "public, max-age=5"


def _text(body, cache: str, content_type="application/octet-stream") -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = cache
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def checkpoint(request):
    latest = log.latest_checkpoint()
    if latest is None:
        raise Http404("The log is empty.")
    return _text(latest.note, CHECKPOINT_CACHE, "text/plain; charset=utf-8")


@require_GET
def tile(request, path: str):
    try:
        address = tiles.parse_tile_path("tile/" + path)
    except ValueError:
        raise Http404("Not a tile path.")
    size = _integrated_size()
    if address.level is None:  # an entry bundle, tile/entries/...
        return _entry_bundle(address, size)
    return _hash_tile(address, size)


def _integrated_size() -> int:
    latest = log.latest_checkpoint()
    return latest.size if latest else 0


def _available_width(level: int, number: int, size: int) -> int:
    """How many hashes of this tile the tree of `size` leaves has (0..256)."""
    nodes_at_level = size >> (tiles.TILE_HEIGHT * level)
    return max(0, min(tiles.TILE_WIDTH, nodes_at_level - number * tiles.TILE_WIDTH))


def _hash_tile(address, size: int) -> HttpResponse:
    if _available_width(address.level, address.index, size) < address.width:
        raise Http404("No such tile yet.")
    row = Tile.objects.filter(level=address.level, number=address.index).values_list("data", flat=True).first()
    if row is None:
        raise Http404("No such tile yet.")
    return _text(bytes(row)[: address.width * 32], IMMUTABLE)


def _entry_bundle(address, size: int) -> HttpResponse:
    if _available_width(0, address.index, size) < address.width:
        raise Http404("No such entry bundle yet.")
    first = address.index * tiles.TILE_WIDTH
    data = Entry.objects.filter(index__gte=first, index__lt=first + address.width).order_by("index").values_list(
        "data", flat=True
    )
    return _text(tiles.entry_bundle([bytes(d) for d in data]), IMMUTABLE)
