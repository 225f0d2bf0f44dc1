"""The log served as C2SP tlog-tiles files under /log/: checkpoint, hash tiles, entry bundles."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from record import files

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
    """The newest checkpoint, with its witnesses' cosignature lines (record/witnesses.py)."""
    note = files.checkpoint()
    if note is None:
        raise Http404("The log is empty.")
    return _text(note, CHECKPOINT_CACHE, "text/plain; charset=utf-8")


@require_GET
def tile(request, path: str):
    data = files.tile("tile/" + path)
    if data is None:
        raise Http404("No such tile yet.")
    return _text(data, IMMUTABLE)
