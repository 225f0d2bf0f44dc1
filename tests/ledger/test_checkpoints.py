"""C2SP tlog-checkpoint bodies are formatted and parsed strictly."""

import pytest

from ledger.checkpoint import Checkpoint, format_checkpoint, parse_checkpoint
from ledger.encoding import b64encode

ROOT = bytes(range(32))


def test_a_checkpoint_is_origin_size_and_base64_root_on_three_lines():
    text = format_checkpoint("example.org/log", 17, ROOT)
    assert text == f"example.org/log\n17\n{b64encode(ROOT)}\n"
    assert parse_checkpoint(text) == Checkpoint("example.org/log", 17, ROOT, ())


def test_extension_lines_are_kept():
    text = format_checkpoint("o", 0, ROOT) + "extra line\n"
    assert parse_checkpoint(text).extensions == ("extra line",)


@pytest.mark.parametrize(
    "text",
    [
        f"o\n017\n{b64encode(ROOT)}\n",  # leading zero
        f"o\n-1\n{b64encode(ROOT)}\n",
        f"o\n1 \n{b64encode(ROOT)}\n",
        f"o\n1\n{b64encode(ROOT[:31])}\n",  # short root
        f"o\n1\n{b64encode(ROOT)}",  # no final newline
        f"\n1\n{b64encode(ROOT)}\n",  # empty origin
        f"o\n1\n{b64encode(ROOT)}\n\n",  # empty extension line
        "o\n1\n",
    ],
)
def test_malformed_checkpoints_are_refused(text):
    with pytest.raises(ValueError):
        parse_checkpoint(text)
