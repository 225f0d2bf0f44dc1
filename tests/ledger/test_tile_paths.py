"""C2SP tlog-tiles paths and entry bundles."""

import pytest

from ledger.tiles import TileAddress, entries_path, entry_bundle, parse_entry_bundle, parse_tile_path, tile_path


@pytest.mark.parametrize(
    "level, n, width, path",
    [
        (0, 1234, 5, "tile/0/x001/234.p/5"),
        (0, 0, 256, "tile/0/000"),
        (2, 1234067, 256, "tile/2/x001/x234/067"),
        (1, 999, 255, "tile/1/999.p/255"),
    ],
)
def test_tile_paths_are_encoded_in_groups_of_three_digits(level, n, width, path):
    assert tile_path(level, n, width) == path
    assert parse_tile_path(path) == TileAddress(level, n, width)


def test_entry_bundle_paths_use_the_entries_level():
    assert entries_path(1234, 7) == "tile/entries/x001/234.p/7"
    assert parse_tile_path("tile/entries/x001/234.p/7") == TileAddress(None, 1234, 7)


@pytest.mark.parametrize(
    "path",
    [
        "tile/0/1234",
        "tile/0/x000/001",
        "tile/0/001.p/256",
        "tile/0/001.p/0",
        "tile/0/001.p/007",
        "tile/00/001",
        "tile/64/001",
        "tile/0/x001",
        "/tile/0/001",
        "tile/0/001/",
        "tile/-1/001",
        "tile/0/001.p/",
    ],
)
def test_non_canonical_or_malformed_paths_are_refused(path):
    with pytest.raises(ValueError):
        parse_tile_path(path)


@pytest.mark.parametrize("width", [0, 257])
def test_widths_outside_one_to_256_cannot_be_encoded(width):
    with pytest.raises(ValueError):
        tile_path(0, 1, width)


def test_entry_bundles_round_trip_with_uint16_length_prefixes():
    entries = [b"", b"a", b"x" * 300]
    data = entry_bundle(entries)
    assert data[:5] == b"\x00\x00\x00\x01a" and data[5:7] == b"\x01\x2c"
    assert parse_entry_bundle(data) == entries


def test_entries_over_65535_bytes_do_not_fit_a_bundle():
    with pytest.raises(ValueError, match="65535"):
        entry_bundle([b"x" * 65_536])


@pytest.mark.parametrize("data", [b"\x00", b"\x00\x05abc"])
def test_truncated_entry_bundles_are_refused(data):
    with pytest.raises(ValueError, match="ends inside"):
        parse_entry_bundle(data)
