"""`undersigned register import FILE...` and `undersigned register export DIR`.

Exit codes follow sysexits.h: 0 done, 65 (EX_DATAERR) the files were refused and nothing was
imported, 66 (EX_NOINPUT) a file cannot be opened, 73 (EX_CANTCREAT) the export cannot be
written. Errors go to standard error, one per line, each naming its file:line.

Nothing here imports Django models at import time: the parser is built before Django is set up.
"""

import sys
from pathlib import Path

EX_DATAERR = 65
EX_NOINPUT = 66
EX_CANTCREAT = 73


def add_commands(commands) -> None:
    register = commands.add_parser("register", help="the register of joint texts, statements and votes")
    actions = register.add_subparsers(metavar="ACTION")
    import_files = actions.add_parser(
        "import", help="import texts, participants, members and votes files (CSV), all or nothing"
    )
    import_files.add_argument("files", nargs="+", type=Path, metavar="FILE")
    import_files.set_defaults(run=run_import)
    export = actions.add_parser(
        "export", help="write the register as texts.csv, participants.csv, members.csv and votes.csv into DIR"
    )
    export.add_argument("directory", type=Path, metavar="DIR")
    export.set_defaults(run=run_export)


def _fail(message: str) -> None:
    print(f"undersigned: {message}", file=sys.stderr)


def run_import(args) -> int:
    from register.importer import ImportRefused, import_files

    unreadable = [path for path in args.files if not path.is_file()]
    for path in unreadable:
        _fail(f"{path}: no such file")
    if unreadable:
        return EX_NOINPUT
    try:
        summary = import_files(args.files)
    except ImportRefused as refused:
        for line in refused.errors:
            print(line, file=sys.stderr)
        return EX_DATAERR
    print(summary.describe())
    return 0


def run_export(args) -> int:
    from register.exporter import export_to

    try:
        written = export_to(args.directory)
    except OSError as exc:
        _fail(f"cannot write into {args.directory}: {exc.strerror or exc}")
        return EX_CANTCREAT
    print("wrote " + ", ".join(f"{count} rows to {name}.csv" for name, count in written.items()))
    return 0
