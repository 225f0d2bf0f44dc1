"""The register at size: a generated register of 10,000 texts and 500,000 participant rows.

    python bench/register.py [--texts N] [--participants N] [--votes N] [--runs N] [--seed S]
                             [--db sqlite|postgres] [--import-only] [--profile FILE]

A fresh instance (a temp SQLite file in WAL with synchronous=FULL, as the settings configure
it, or a new PostgreSQL database on BENCH_PG_ADMIN_URL's server) is migrated, then this process
sets Django up against it and measures:

1. import: the four generated CSV files (texts, participants, Council terms, votes) through
   register.importer.import_files, one transaction, every check on; rows per second over all
   rows, and the same files imported again (nothing new; every row still read and checked);
2. a tally over 50 random texts (register.queries.tally: bounds, per text, by kind, by group,
   overlaps, Council members on each text's date), median and p95 over --runs;
3. a country's lookup (register.queries.country_detail: terms, texts with events, votes), with
   its number of queries, median and p95 over the 195 States; and the same through the API
   (GET /api/v1/register/countries/{iso3}, Django's test client: routing, the response schema's
   validation, JSON), as the tally too (POST /api/v1/register/tally);
4. the agreement matrix of every pair of States over the 2,000 recorded votes: the ballots read
   from the database, then register.votes.agreement_matrix.

The generated register: texts of the four kinds over 2000–2025 (two fifths of them drafts, the
first --votes of those voted on); 50 participant rows per text on average (supports, and
withdrawals of States that supported earlier), reported counts at or above the list on half the
statements; a Council of 47 (13/13/6/8/7 by group) drawn afresh each year. Prints JSON.

With BENCH_SOURCE=DIR (a frozen copy of a tree, e.g. `git archive` unpacked), the import and
the measurements run DIR's code, as the instance's commands do.

The import's CPU time is given beside its rate: on a shared machine the rate varies with the
load, the CPU time much less. `--import-only` measures the import alone (1.); `--profile FILE`
writes cProfile's statistics of the first import to FILE (read them with `python -m pstats FILE`).
"""

import argparse
import cProfile
import csv
import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
# The import is measured in this process: with BENCH_SOURCE (a frozen copy of a tree) it runs
# that tree's code, as the instance's own commands do, not the code beside this script.
sys.path.insert(0, os.environ.get("BENCH_SOURCE") or str(HERE.parent))

from common import Instance, machine  # noqa: E402

TARGETS = {"import_rows_per_s": 50_000, "tally_50_texts_ms": 50, "country_ms": 100, "agreement_matrix_s": 2.0}
# The four formats' headers, as register/formats.py has them (the files are written before
# Django is set up).
COLUMNS = {
    "texts": (
        "text",
        "kind",
        "forum",
        "session",
        "date",
        "title",
        "lead",
        "symbol",
        "topic",
        "reported_count",
        "source",
    ),
    "participants": ("text", "country", "event", "date", "provenance", "source"),
    "members": ("body", "country", "regional_group", "term_start", "term_end", "suspended_from", "suspended_to"),
    "votes": ("text", "date", "country", "vote"),
}
KINDS = ["joint_statement", "joint_letter", "draft_resolution", "draft_decision"]
SEATS = {
    "African States": 13,
    "Asia-Pacific States": 13,
    "Eastern European States": 6,
    "Latin American and Caribbean States": 8,
    "Western European and other States": 7,
}
YEARS = range(2000, 2026)


def states() -> list[tuple[str, str]]:
    with (HERE.parent / "core" / "data" / "un_states.csv").open(encoding="utf-8") as handle:
        return [(row["iso3"], row["regional_group"]) for row in csv.DictReader(handle)]


def write(path: Path, header: tuple[str, ...], rows) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def generate(directory: Path, texts: int, participants: int, votes: int, rng: random.Random) -> dict:
    everyone = states()
    codes = [iso3 for iso3, _ in everyone]
    council = {}  # year -> {iso3: group}
    for year in YEARS:
        members = {}
        for group, seats in SEATS.items():
            for iso3 in rng.sample([c for c, g in everyone if g == group], seats):
                members[iso3] = group
        council[year] = members
    per_text = participants // texts
    text_rows, participant_rows, vote_rows = [], [], []
    drafts_voted = 0
    for index in range(texts):
        kind = KINDS[index % 5 % 4] if index % 5 != 4 else rng.choice(KINDS[2:])
        year = rng.choice(YEARS)
        day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(300))
        identifier = f"BENCH/{year}/{kind[:2].upper()}.{index}"
        chosen = rng.sample(codes, per_text)
        supports = [
            [
                identifier,
                iso3,
                "signed" if kind.startswith("joint") else "cosponsor",
                day.isoformat(),
                "reported",
                "generated",
            ]
            for iso3 in chosen[: per_text - 2]
        ]
        # Two of the supporters withdraw five days later.
        withdrawals = [
            [
                identifier,
                iso3,
                "withdrew",
                (day + datetime.timedelta(days=5)).isoformat(),
                "published",
                "https://example.org/generated",
            ]
            for iso3 in chosen[:2]
        ]
        rows = supports + withdrawals
        participant_rows.extend(rows)
        listed = len(supports) - len(withdrawals)
        reported = min(195, listed + rng.randrange(40)) if kind == "joint_statement" and index % 2 else None
        text_rows.append(
            [
                identifier,
                kind,
                "HRC",
                str(year - 1956),
                day.isoformat(),
                f"Generated text {index}",
                "",
                "",
                rng.choice(["Xinjiang", "Myanmar", "Syria", "Gaza"]),
                reported or "",
                "generated",
            ]
        )
        if kind.startswith("draft") and drafts_voted < votes:
            drafts_voted += 1
            for iso3 in council[year]:
                vote_rows.append([identifier, day.isoformat(), iso3, rng.choice(["yes", "no", "abstain", "absent"])])
    member_rows = [
        ["HRC", iso3, group, f"{year}-01-01", f"{year}-12-31", "", ""]
        for year, members in council.items()
        for iso3, group in members.items()
    ]
    tables = {"texts": text_rows, "participants": participant_rows, "members": member_rows, "votes": vote_rows}
    counts = {name: write(directory / f"{name}.csv", COLUMNS[name], rows) for name, rows in tables.items()}
    counts["voted_drafts"] = drafts_voted
    return counts


def timed(call, runs: int) -> dict:
    call()  # warm: the States' groups, Python's caches
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 2),
        "runs": runs,
    }


def ok(response):
    if response.status_code != 200:
        raise RuntimeError(f"{response.status_code}: {response.content[:300]!r}")
    return response


def measure(directory: Path, args, rng: random.Random) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from register import queries
    from register.importer import import_files
    from register.models import Country, Text
    from register.votes import agreement_matrix

    files = [directory / name for name in ("votes.csv", "members.csv", "participants.csv", "texts.csv")]
    profiler = cProfile.Profile() if args.profile else None
    started, cpu_started = time.perf_counter(), time.process_time()
    summary = profiler.runcall(import_files, files) if profiler else import_files(files)
    first, first_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if profiler:
        profiler.dump_stats(args.profile)
    rows = sum(summary.added.values())
    started, cpu_started = time.perf_counter(), time.process_time()
    again = import_files(files)
    second, second_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    assert not again.changed
    imported = {
        "rows": rows,
        "added": summary.added,
        "seconds": round(first, 2),
        "rows_per_s": round(rows / first),
        # CPU time of this process, where SQLite runs too: unlike the rate, it hardly depends on
        # what else a shared machine is doing (the disk's waits are not in it).
        "cpu_seconds": round(first_cpu, 2),
        "rows_per_cpu_s": round(rows / first_cpu),
        "again_seconds": round(second, 2),
        "again_rows_per_s": round(rows / second),
        "again_cpu_seconds": round(second_cpu, 2),
        "profiled": bool(profiler),
    }
    if args.import_only:
        return {"import": imported}

    identifiers = list(Text.objects.values_list("identifier", flat=True))
    samples = [rng.sample(identifiers, 50) for _ in range(args.runs)]
    batches = iter(samples * 2)
    tally = timed(lambda: queries.tally(next(batches)), args.runs)

    codes = list(Country.objects.values_list("iso3", flat=True))
    country_calls = iter(codes * 3)
    country = timed(lambda: queries.country_detail(next(country_calls)), len(codes))
    statements = []

    def counted(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        detail = queries.country_detail("PAK")
    client = Client(HTTP_HOST="127.0.0.1")
    api_calls = iter(codes * 3)
    country_api = timed(lambda: ok(client.get(f"/api/v1/register/countries/{next(api_calls)}")), len(codes))
    api_batches = iter(samples * 2)
    tally_api = timed(
        lambda: ok(
            client.post(
                "/api/v1/register/tally", json.dumps({"texts": next(api_batches)}), content_type="application/json"
            )
        ),
        args.runs,
    )

    started = time.perf_counter()
    ballots = list(queries.ballots_by_vote().values())
    loaded = time.perf_counter() - started
    matrix = agreement_matrix(ballots)
    computed = time.perf_counter() - started - loaded

    return {
        "import": imported,
        "tally_50_texts": tally,
        "tally_50_texts_api": tally_api,
        "country": {
            **country,
            "queries": len(statements),
            "texts_of_PAK": len(detail["texts"]),
            "votes_of_PAK": len(detail["votes"]),
        },
        "country_api": country_api,
        "agreement_matrix": {
            "votes": len(ballots),
            "pairs": len(matrix),
            "load_s": round(loaded, 3),
            "compute_s": round(computed, 3),
            "total_s": round(loaded + computed, 3),
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=10_000)
    parser.add_argument("--participants", type=int, default=500_000)
    parser.add_argument("--votes", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--import-only", action="store_true", help="measure the import alone")
    parser.add_argument("--profile", metavar="FILE", help="cProfile's statistics of the first import, to FILE")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with Instance(args.db, label="register") as instance:
        instance.migrate()
        generated = generate(instance.var_dir, args.texts, args.participants, args.votes, rng)
        os.environ.update(instance.env)
        # The API calls below are one client's hundreds of requests.
        os.environ["API_RATE_ANONYMOUS"] = "100000/m"
        results = measure(instance.var_dir, args, rng)
    print(json.dumps({"machine": machine(), "generated": generated, "targets": TARGETS, **results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
