"""The `undersigned` command: for users, operators and the offline verifier.

`verify` runs before Django is set up and imports only `ledger`, so a verifier needs neither
our server nor its settings.
"""

import argparse
import os
import sys
from pathlib import Path

from core import datafiles

DATA_DIR = datafiles.DATA_DIR


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "verify":
        from ledger.verify_command import main as verify_main

        return verify_main(argv[1:])
    if argv[:2] == ["witness", "serve"]:
        # A witness runs apart from the log's server, with nothing of ours but ledger/.
        from ledger.witness import main as witness_main

        return witness_main(argv[2:])
    if argv[:2] in (["log", "audit"], ["log", "mirror"]):
        return _audit_or_mirror(argv[1], argv[2:])
    if argv and argv[0] == "manage":
        _setup_django()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["undersigned manage", *argv[1:]])
        return 0
    args = _parser().parse_args(argv)
    if not hasattr(args, "run"):
        _parser().print_help()
        return 64
    if getattr(args, "demo_settings", False):
        _demo_environment(args)
    _setup_django()
    status = args.run(args) or 0
    _integrate_before_exit()
    return status


def _audit_or_mirror(command: str, argv: list[str]) -> int:
    """``log audit`` and ``log mirror`` run ledger's code, as an outsider would: over HTTP with
    --url (nothing of ours but ledger/ is loaded), else on this server's database."""
    from ledger import audit_command, mirror

    run = audit_command.main if command == "audit" else mirror.main
    if any(a == "--url" or a.startswith("--url=") for a in argv) or any(a in ("-h", "--help") for a in argv):
        return run(argv)
    _setup_django()
    from record import files, log

    log.integrate()  # every committed entry under a checkpoint first, as the server would soon
    return run(argv, fetch=files.fetch, vkey=log.vkey())


def _integrate_before_exit() -> None:
    # A one-shot command's process ends here; its entries get their checkpoint now rather
    # than from the next server request.
    from record.log import integrate

    integrate()


def _parser() -> argparse.ArgumentParser:
    from orgs.vocabulary import KINDS, ROLES  # plain Python: Django is not set up yet

    parser = argparse.ArgumentParser(prog="undersigned", description="Joint letters on a verifiable record.")
    commands = parser.add_subparsers(metavar="COMMAND")

    demo = commands.add_parser("demo", help="load the 2019 and 2022 letters as demo data and serve them")
    demo.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    demo.add_argument("--no-serve", action="store_true", help="load the data and print the logins only")
    demo.set_defaults(run=_run_demo, demo_settings=True)

    serve = commands.add_parser("serve", help="serve the site with gunicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 0)) or None)
    serve.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", 0)) or None)
    serve.set_defaults(run=_run_serve)

    worker = commands.add_parser("worker", help="send queued mail (Django tasks)")
    worker.set_defaults(run=_run_worker)

    commands.add_parser("verify", help="verify a bundle offline: undersigned verify BUNDLE [--vkey K] [--json]")
    commands.add_parser("manage", help="Django's management commands")

    org = commands.add_parser("org", help="organisations").add_subparsers(metavar="ACTION")
    org_add = org.add_parser("add", help="add an organisation")
    org_add.add_argument("slug")
    org_add.add_argument("--name", required=True)
    org_add.add_argument("--kind", required=True, choices=list(dict(KINDS)))
    org_add.add_argument("--country", default="")
    org_add.add_argument("--email", default="")
    org_add.set_defaults(run=_run_org_add)
    org_import = org.add_parser("import-un", help="load the UN Member and observer States and the OHCHR")
    org_import.add_argument("--csv", type=Path, default=DATA_DIR / "un_states.csv")
    org_import.set_defaults(run=_run_org_import)

    member = commands.add_parser("member", help="members").add_subparsers(metavar="ACTION")
    member_add = member.add_parser("add", help="give a person a role in an organisation")
    member_add.add_argument("username")
    member_add.add_argument("--org", required=True)
    member_add.add_argument("--role", required=True, choices=list(dict(ROLES)))
    member_add.add_argument("--email", default="")
    member_add.set_defaults(run=_run_member_add)

    token = commands.add_parser("token", help="API tokens").add_subparsers(metavar="ACTION")
    token_create = token.add_parser("create", help="create an API token and print it")
    token_create.add_argument("username")
    token_create.set_defaults(run=_run_token_create)

    log = commands.add_parser("log", help="the public record").add_subparsers(metavar="ACTION")
    log_check = log.add_parser("check", help="recompute every tile and checkpoint from the stored entries")
    log_check.set_defaults(run=_run_log_check)
    # Described here for --help; main() hands both to ledger's commands, which parse their arguments.
    log.add_parser(
        "audit",
        help="every event of a letter's handle, chain checked: in this server's log, or with --url BASE "
        "--vkey K in any copy of the public log over HTTP [--witness VKEY]... [--witness-threshold K] [--head FILE]",
    )
    log.add_parser(
        "mirror",
        help="write or update a static copy of the log in DIR: undersigned log mirror DIR [--url BASE --vkey K]",
    )

    witness = commands.add_parser("witness", help="cosign a log's checkpoints (C2SP tlog-witness)")
    witness.add_subparsers(metavar="ACTION").add_parser(
        "serve", help="undersigned witness serve --log-vkey VKEY --db PATH [--port P]: prints its vkey, then serves"
    )

    from register.cli import add_commands as add_register_commands

    add_register_commands(commands)  # register import FILE..., register export DIR
    return parser


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "undersigned.settings")
    import django

    django.setup()


def _demo_environment(args) -> None:
    # The demo runs on plain http://127.0.0.1 and prints mail instead of sending it.
    for name, value in {
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "SITE_URL": f"http://127.0.0.1:{args.port}",
        # Browsers refuse an IP address as a passkey's relying party: the demo's passkeys work at localhost.
        "WEBAUTHN_ORIGIN": f"http://localhost:{args.port}",
    }.items():
        os.environ.setdefault(name, value)


def _fail(message: str) -> int:
    print(f"undersigned: {message}", file=sys.stderr)
    return 1


def _run_demo(args) -> int:
    from django.core.management import call_command

    from undersigned import demo

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    logins = demo.load()
    print(demo.describe(logins, args.port))
    if args.no_serve:
        return 0
    args.host, args.workers, args.threads = "127.0.0.1", None, None
    return _run_serve(args)


def _run_serve(args) -> int:
    from record.health import check_log_on_start

    problem = check_log_on_start()
    if problem:
        return _fail(f"refusing to start: {problem}")
    from record.log import integrate

    integrate()  # entries committed just before a crash get their checkpoint now
    # gunicorn, one process per core (Python's GIL lets a process use one core), each with
    # enough threads that the signatures arriving at once wait together for one group commit
    # (letters/group_commit.py) instead of one transaction each. On PostgreSQL each process
    # holds up to threads + 2 connections (the committer and the log integrator).
    workers = args.workers or (os.cpu_count() or 1)
    threads = getattr(args, "threads", None) or 32
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "undersigned.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "5",
    ]
    os.execv(sys.executable, gunicorn)  # noqa: S606 - our own interpreter, with arguments we built
    return 0


def _run_worker(args) -> int:
    from django.core.management import call_command

    call_command("db_worker")
    return 0


def _run_org_add(args) -> int:
    from core.errors import ActionError
    from orgs.actions import add_organisation

    try:
        organisation, created = add_organisation(args.slug, args.name, args.kind, args.country, email=args.email)
    except ActionError as exc:
        return _fail(exc.message)
    state = "added" if created else "exists"
    print(f"{state}: {organisation.slug} (key registered at log index {organisation.key_log_index})")
    return 0


def _run_org_import(args) -> int:
    from core.errors import ActionError
    from orgs.actions import import_un_states

    try:
        added = import_un_states(args.csv)
    except ActionError as exc:
        return _fail(exc.message)
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"cannot read {args.csv}: {exc}")
    print(f"{added} organisations added")
    return 0


def _run_member_add(args) -> int:
    from core.errors import ActionError
    from orgs.actions import add_member

    try:
        member = add_member(args.username, args.org, args.role, email=args.email)
    except ActionError as exc:
        return _fail(exc.message)
    print(f"{member.user.username} is {member.role} of {member.organisation.slug}")
    return 0


def _run_token_create(args) -> int:
    from django.contrib.auth import get_user_model

    from orgs.models import ApiToken

    user = get_user_model().objects.filter(username=args.username).first()
    if user is None:
        return _fail(f"no user is called {args.username!r}")
    print(ApiToken.issue(user))
    return 0


def _run_log_check(args) -> int:
    from record.health import full_check

    problems = full_check(print)
    return 1 if problems else 0
