"""A register file's text as rows of cells, each with the line where it starts.

csv's parser reads any file; a plain one (no quotes, no carriage returns, the common case of
generated and exported files) is split at its line feeds and commas instead, to the same cells in
a fraction of the time: half a million participants were a large part of an import's reading.
"""

import csv
import io
import itertools
from collections.abc import Iterator

Rows = Iterator[tuple[int, list[str]]]


def file_rows(text: str) -> tuple[Rows, bool]:
    """The rows of the file's text, and whether their cells may need stripping of spaces."""
    lines = _plain_lines(text)
    if lines is None:
        return _csv_rows(text), True
    return _split_rows(lines), _spaces_at_cell_edges(text)


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


def printable_but_line_feeds(content: bytes, text: str) -> bool:
    """Whether every character of the file (`content` decoded is `text`) but its line feeds is
    printable, as str.isprintable() says. An ASCII file is asked of its bytes, in a fifth of the
    time: its printable characters are exactly the bytes from space to tilde."""
    if content.isascii():
        return not content.translate(None, _PRINTABLE_ASCII).replace(b"\n", b"")
    return text.replace("\n", "").isprintable()


class NotCsv(Exception):
    def __init__(self, line: int, reason: csv.Error):
        super().__init__(line, reason)
        self.line, self.reason = line, reason


def _csv_rows(text: str) -> Rows:
    """Each row's cells, with the line where it starts (a quoted cell may hold line breaks)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as exc:
        raise NotCsv(line, exc) from exc


def _plain_lines(text: str) -> list[str] | None:
    """The file's lines, when csv's parser would read each line as one row of its text split at
    the commas: no quote, no carriage return, no NUL and no line longer than the parser's limit
    on a cell. Then str.split reads the rows in a fraction of the parser's time, to the same
    cells; any other file goes through the parser."""
    if '"' in text or "\r" in text or "\0" in text:
        return None
    lines = text.split("\n")
    if lines[-1] == "":  # the line feed that ends the last line begins no row
        lines.pop()
    if lines and max(map(len, lines)) > csv.field_size_limit():
        return None
    return lines


def _split_rows(lines: list[str]) -> Rows:
    """_csv_rows() of plain lines. The parser reads an empty line as no cells, str.split as one
    empty cell: the same to a row (a blank line is skipped), not to a header."""
    if not lines:
        return iter(())
    header = lines[0].split(",") if lines[0] else []
    rows = zip(itertools.count(2), map(str.split, itertools.islice(lines, 1, None), itertools.repeat(",")))
    return itertools.chain([(1, header)], rows)


def _spaces_at_cell_edges(text: str) -> bool:
    """Whether a cell of a file read by _plain_lines() may begin or end with a space. Only the
    ASCII space needs looking for: every other kind of space is not printable, so a row holding
    one is checked in full, stripped as any row is."""
    return " ," in text or ", " in text or " \n" in text or "\n " in text or text[:1] == " " or text[-1:] == " "
