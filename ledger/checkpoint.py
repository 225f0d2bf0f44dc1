"""C2SP tlog-checkpoint bodies (https://c2sp.org/tlog-checkpoint)."""

import re
from dataclasses import dataclass

from .encoding import b64decode, b64encode
from .merkle import HASH_SIZE

_SIZE = re.compile(r"0|[1-9][0-9]*")


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()


def format_checkpoint(origin: str, size: int, root: bytes) -> str:
    """``<origin>\\n<size>\\n<b64 root>\\n``: the note text the log signs."""
    if not origin or "\n" in origin or size < 0 or len(root) != HASH_SIZE:
        raise ValueError("a checkpoint needs a one-line origin, a size >= 0 and a 32-byte root")
    return f"{origin}\n{size}\n{b64encode(root)}\n"


def parse_checkpoint(text: str) -> Checkpoint:
    """Strict parse of a checkpoint body (the text of an opened note); raises ValueError."""
    if not text.endswith("\n"):
        raise ValueError("checkpoint must end with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise ValueError(f"checkpoint has {len(lines)} lines, expected at least 3")
    origin, size, root, *extensions = lines
    if not origin:
        raise ValueError("checkpoint origin is empty")
    if not _SIZE.fullmatch(size):
        raise ValueError(f"checkpoint size {size!r} is not a decimal without leading zeros")
    if any(not line for line in extensions):
        raise ValueError("checkpoint has an empty extension line")
    root_bytes = b64decode(root)
    if len(root_bytes) != HASH_SIZE:
        raise ValueError(f"checkpoint root is {len(root_bytes)} bytes, expected {HASH_SIZE}")
    return Checkpoint(origin, int(size), root_bytes, tuple(extensions))
