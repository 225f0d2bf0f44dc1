"""Instance secrets generated on first start and kept under var/ (never committed)."""

import os
import secrets
from collections.abc import Callable
from pathlib import Path


def instance_secret(var_dir: Path | str, name: str, make: Callable[[], str] = lambda: secrets.token_urlsafe(50)) -> str:
    """Read var/<name>, creating it (mode 0600) with make() the first time."""
    path = Path(var_dir) / name
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write a private temporary file, then link it into place: several server processes may
    # start at once, and exactly one value must win without anyone reading a half-written file.
    temporary = path.with_name(f".{name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, make().encode())
    finally:
        os.close(fd)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return path.read_text().strip()
