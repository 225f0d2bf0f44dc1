"""A plain register file (no quotes, no carriage returns) is read by splitting it at its line
feeds and commas rather than by csv's parser (register/importer/csvrows.py): for any text, the
rows and the lines they start on are the parser's, a file said to need no stripping has no
printable cell with a space at its edges, and a file is printable but its line feeds exactly when
str.isprintable() says so."""

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from register.importer.csvrows import NotCsv, file_rows, printable_but_line_feeds

# The characters that matter to the parser and to the checks, and a few that do not.
TEXTS = st.text(alphabet=st.sampled_from(['"', ",", "\n", "\r", " ", "\t", "\x00", "\xa0", "a", "é", "7"]), max_size=60)


def parsed(text: str):
    """csv's own reading, as the import used it: (line where the row starts, cells), or the
    line where the parser gave up."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, line = [], 1
    try:
        for cells in reader:
            rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error:
        return rows, line
    return rows, None


def read(text: str):
    rows, strip = file_rows(text)
    kept, line = [], None
    try:
        kept.extend(rows)
    except NotCsv as refusal:
        line = refusal.line
    return kept, line, strip


def blank_as_empty(rows):
    """A blank line is no cells to the parser and one empty cell to str.split: the same to a row
    of data (both are skipped), so only the header must match exactly."""
    return [(line, [] if (cells == [""] and index) else cells) for index, (line, cells) in enumerate(rows)]


@settings(max_examples=500, deadline=None)
@given(TEXTS)
def test_the_rows_and_their_lines_are_the_parsers(text):
    expected, gave_up_at = parsed(text)
    rows, refused_at, _strip = read(text)
    assert blank_as_empty(rows) == blank_as_empty(expected)
    assert refused_at == gave_up_at


@settings(max_examples=500, deadline=None)
@given(TEXTS)
def test_a_file_said_to_need_no_stripping_has_no_printable_cell_with_spaces_at_its_edges(text):
    rows, _refused_at, strip = read(text)
    if strip:
        return
    for _line, cells in rows:
        if "".join(cells).isprintable():
            assert cells == [cell.strip() for cell in cells]


def test_a_header_alone_on_a_blank_line_is_no_columns_as_the_parser_reads_it():
    assert read("\n")[0] == [(1, [])] == parsed("\n")[0]


def test_an_empty_file_has_no_rows():
    assert read("")[0] == [] == parsed("")[0]


def test_a_line_longer_than_the_parser_allows_is_refused_where_the_parser_refuses_it():
    text = "text,kind\n" + "x" * (csv.field_size_limit() + 1) + ",y\n"
    assert read(text)[1] == parsed(text)[1] == 2


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(["\n", "\t", " ", "~", "\x7f", "\x1f", "\x00", "a", "é", "\xa0", "\u200b"])))
def test_a_file_is_printable_but_its_line_feeds_as_str_isprintable_says(text):
    for content in (text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8")):
        assert printable_but_line_feeds(content, text) == text.replace("\n", "").isprintable()
