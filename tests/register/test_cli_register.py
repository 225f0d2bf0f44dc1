"""`undersigned register import FILE...` and `register export DIR`: what they print, and their
exit codes (sysexits: 65 refused data, 66 a file that is not there)."""

from register import formats
from register.models import Text
from tests.register.conftest import REAL_COUNCIL, write
from undersigned.cli import main


def test_import_prints_what_it_added(db, capsys):
    assert main(["register", "import", *map(str, REAL_COUNCIL)]) == 0

    assert capsys.readouterr().out.strip() == "added: 1 texts, 0 participants, 95 membership terms, 47 votes"


def test_a_second_import_says_there_was_nothing_new(db, capsys):
    main(["register", "import", *map(str, REAL_COUNCIL)])

    assert main(["register", "import", *map(str, REAL_COUNCIL)]) == 0
    assert capsys.readouterr().out.strip().endswith("nothing new: the register already holds every row of these files")


def test_refused_files_exit_65_with_each_error_on_stderr(db, capsys, tmp_path):
    bad = write(tmp_path, "votes.csv", formats.VOTES, [["A/HRC/51/L.6", "2022-10-06", "Narnia", "yes"]])

    assert main(["register", "import", str(REAL_COUNCIL[0]), str(bad)]) == 65

    out, err = capsys.readouterr()
    assert f"{bad}:2: country:" in err
    assert err.strip().endswith("nothing was imported")
    assert out == ""
    assert not Text.objects.exists()


def test_a_missing_file_exits_66(db, capsys, tmp_path):
    assert main(["register", "import", str(tmp_path / "nowhere.csv")]) == 66
    assert "nowhere.csv: no such file" in capsys.readouterr().err


def test_export_writes_the_four_files(db, capsys, tmp_path):
    main(["register", "import", *map(str, REAL_COUNCIL)])

    assert main(["register", "export", str(tmp_path / "out")]) == 0

    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "members.csv",
        "participants.csv",
        "texts.csv",
        "votes.csv",
    ]
    assert "95 rows to members.csv" in capsys.readouterr().out


def test_export_into_a_place_it_cannot_write_exits_73(db, capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")

    assert main(["register", "export", str(blocker / "out")]) == 73
    assert "cannot write" in capsys.readouterr().err
