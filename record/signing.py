"""The log's signing key, and what it signs: checkpoints of the tree, and letters' heads
(``ledger/head.py``)."""

import json
from functools import lru_cache

from django.conf import settings

from core.secrets import instance_secret
from ledger import checkpoint as checkpoints
from ledger import head, note
from record.models import Checkpoint, Entry


@lru_cache(maxsize=1)
def log_signer() -> note.Signer:
    private = settings.LOG_SIGNING_KEY or instance_secret(
        settings.VAR_DIR, "log_signing_key", lambda: note.generate_signer_key(settings.LOG_ORIGIN)[0]
    )
    return note.Signer.from_private(private)


def vkey() -> str:
    return log_signer().vkey


def sign_checkpoint(size: int, root: bytes) -> Checkpoint:
    text = checkpoints.format_checkpoint(settings.LOG_ORIGIN, size, root)
    return Checkpoint.objects.create(size=size, root=root, note=log_signer().sign_note(text))


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def signed_head(handle: str, size: int) -> str | None:
    """The log's signed head of a letter (ledger/head.py): its last event in the tree of
    ``size`` entries, signed with the checkpoint key; None if it has no event there."""
    last = Entry.objects.filter(handle=handle, index__lt=size).order_by("-index").values_list("index", "data").first()
    if last is None:
        return None
    index, data = last
    statement = head.Head(settings.LOG_ORIGIN, handle, size, index, json.loads(bytes(data))["seq"])
    return log_signer().sign_note(head.format_head(statement))
