"""The public data files shipped with the code (core/data/, each citing its sources in its README)."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def path(name: str) -> Path:
    return DATA_DIR / name
