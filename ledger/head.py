"""A letter's signed head: the log's statement, signed with its checkpoint key as a C2SP
signed-note, of a letter's last event in the tree of a given size (docs/record.md, "Signed
heads"). With it a bundle proves that its events are the letter's whole history at its
checkpoint; a head that a later event of the letter contradicts proves the log lied.

The note's text is six lines::

    undersigned-head/v1
    origin <the log's origin>
    handle <the letter's handle>
    size <the tree size the statement is about: the bundle checkpoint's>
    index <log index of the letter's last event in that tree>
    seq <that event's seq>

The first line keeps a head from being read as a checkpoint (whose second line is a number)
and a checkpoint from being read as a head.
"""

import re
from dataclasses import dataclass

HEAD_FORMAT = "undersigned-head/v1"
_NUMBER = r"(0|[1-9][0-9]*)"
_TEXT = re.compile(
    HEAD_FORMAT
    + r"\norigin (\S+)\nhandle (\S+)\nsize "
    + _NUMBER
    + r"\nindex "
    + _NUMBER
    + r"\nseq "
    + _NUMBER
    + r"\n",
    re.ASCII,
)
_WORD = re.compile(r"\S+", re.ASCII)


@dataclass(frozen=True)
class Head:
    origin: str
    handle: str
    size: int
    index: int
    seq: int

    def describe(self) -> str:
        return f"letter {self.handle}'s last event at size {self.size} is index {self.index}, seq {self.seq}"


def format_head(head: Head) -> str:
    """The note text the log signs."""
    if not (_WORD.fullmatch(head.origin) and _WORD.fullmatch(head.handle)):
        raise ValueError("a head's origin and handle are printable ASCII without spaces")
    if not 0 <= head.index < head.size or head.seq < 0:
        raise ValueError(f"a head names an index below its size and a seq >= 0, not {head}")
    return (
        f"{HEAD_FORMAT}\norigin {head.origin}\nhandle {head.handle}\nsize {head.size}\n"
        f"index {head.index}\nseq {head.seq}\n"
    )


def parse_head(text: str) -> Head:
    """Strict parse of a head's note text (the opened note); raises ValueError."""
    match = _TEXT.fullmatch(text)
    if match is None:
        raise ValueError(f"not an {HEAD_FORMAT} statement: {text[:60]!r}")
    origin, handle, size, index, seq = match.groups()
    head = Head(origin, handle, int(size), int(index), int(seq))
    if head.index >= head.size:
        raise ValueError(f"the head's index {head.index} is not in the tree of size {head.size}")
    return head
