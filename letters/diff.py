"""Word-level differences between two texts, as a diplomat reads them: whole words, in order."""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Words (any script, with trailing punctuation), runs of whitespace, and single other characters.
# Chinese and Japanese have no spaces: each ideograph is its own token so a one-character edit
# does not mark the whole sentence as changed.
TOKEN = re.compile(r"[\u3000-\u9fff\uf900-\ufaff]|[^\W\d_]+[\w'’-]*|\d+(?:[.,]\d+)*|\s+|.", re.UNICODE)


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[dict]:
    """[{"op": "equal"|"delete"|"insert", "text": ...}]; a replacement is a delete then an insert."""
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    ops: list[dict] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(ops, "equal", "".join(a[i1:i2]))
        else:
            _append(ops, "delete", "".join(a[i1:i2]))
            _append(ops, "insert", "".join(b[j1:j2]))
    return ops


def _append(ops: list[dict], op: str, text: str) -> None:
    if not text:
        return
    if ops and ops[-1]["op"] == op:
        ops[-1]["text"] += text
    else:
        ops.append({"op": op, "text": text})


def diff_html(old: str, new: str) -> str:
    """The diff as HTML with <del> and <ins>, every piece of text escaped."""
    parts = []
    for piece in word_diff(old, new):
        text = escape(piece["text"])
        if piece["op"] == "delete":
            parts.append(f"<del>{text}</del>")
        elif piece["op"] == "insert":
            parts.append(f"<ins>{text}</ins>")
        else:
            parts.append(text)
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text was escaped above
