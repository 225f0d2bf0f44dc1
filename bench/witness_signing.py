"""Signing over HTTP with witnesses configured against without, alternated in one run.

    python bench/witness_signing.py [--rounds R] [--witnesses N] [--seconds S] [--json]
                                    [any other option of bench/sign_http.py]

Each round runs bench/sign_http.py twice, each on a fresh instance: once without witnesses and
once with `--witnesses N` (N real `undersigned witness serve` processes, named in the server's
LOG_WITNESSES), the order swapped every round so neither always runs second. The load average is
read before and after each run. Prints JSON: every run's rate, server CPU per signature and
checks, then per configuration the median and spread, and per round the ratio of the rate with
witnesses to the rate without.

The target (with witnesses within 10 % of without) is called met only when every round's ratio
is at least 0.90 and the runs without witnesses differ from one another by at most 10 % of
their median; not met when every ratio is below 0.90; inconclusive otherwise. On a shared
machine one round can land on a busy moment, and the spread between runs without witnesses
says how far apart two runs of the same thing can be.
"""

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sign_http

WITHIN = 0.10  # the rate with witnesses may be at most this much below the rate without


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--witnesses", type=int, default=1, help="witnesses in the runs with witnesses")
    parser.add_argument("--json", action="store_true", help="print the JSON on one line")
    ours, rest = parser.parse_known_args(argv)
    return ours, rest


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


def one_run(sign_http_argv: list[str], witnesses: int) -> dict:
    args = sign_http.parse_args([*sign_http_argv, "--witnesses", str(witnesses)])
    before = loadavg()
    result = sign_http.run(args)
    return {
        "witnesses": witnesses,
        "loadavg_before": before,
        "loadavg_after": loadavg(),
        "signatures_per_second": result["signatures_per_second"],
        "latency_ms_201": result["latency_ms_201"],
        "server_cpu_ms_per_request": result["cpu_ms_per_request"]["server"],
        "every_201_stored_once_and_logged": result["check"]["every_201_stored_once_and_logged"],
        "checkpoint_caught_up": result["check"]["checkpoint_caught_up"],
        "server_log_error_lines": result["server_log_error_lines"],
        "witnessing": result.get("witnessing"),
    }


def spread(values: list[float]) -> dict:
    middle = statistics.median(values)
    return {
        "values": values,
        "median": round(middle, 2),
        "min": min(values),
        "max": max(values),
        "spread_of_median": round((max(values) - min(values)) / middle, 3) if middle else None,
    }


def verdict(ratios: list[float], spread_without: float | None) -> str:
    """ "met" only if every round's ratio is within the margin and two runs of the same thing
    (without witnesses) differ by no more than the margin; "not met" if every ratio is below."""
    if all(ratio < 1 - WITHIN for ratio in ratios):
        return "not met"
    noisy = spread_without is None or spread_without > WITHIN or len(ratios) < 2
    if all(ratio >= 1 - WITHIN for ratio in ratios) and not noisy:
        return "met"
    return "inconclusive"


def summarise(runs: list[dict], rounds: list[tuple[dict, dict]]) -> dict:
    summary: dict[str, Any] = {}
    for name, with_witnesses in (("without_witnesses", False), ("with_witnesses", True)):
        chosen = [run for run in runs if bool(run["witnesses"]) == with_witnesses]
        summary[name] = {
            "signatures_per_second": spread([run["signatures_per_second"] for run in chosen]),
            "server_cpu_ms_per_request": spread([run["server_cpu_ms_per_request"] for run in chosen]),
        }
    ratios = [round(with_["signatures_per_second"] / without["signatures_per_second"], 3) for without, with_ in rounds]
    without, with_ = summary["without_witnesses"], summary["with_witnesses"]
    summary["ratio_of_medians"] = round(
        with_["signatures_per_second"]["median"] / without["signatures_per_second"]["median"], 3
    )
    summary["ratio_each_round"] = ratios
    summary["target"] = f"with witnesses at least {1 - WITHIN:.2f} of the rate without"
    summary["verdict"] = verdict(ratios, without["signatures_per_second"]["spread_of_median"])
    summary["every_run_checked"] = all(
        run["every_201_stored_once_and_logged"] and run["checkpoint_caught_up"] for run in runs
    )
    return summary


def main(argv=None) -> int:
    ours, sign_http_argv = parse_args(argv)
    runs, rounds = [], []
    for number in range(ours.rounds):
        order = (0, ours.witnesses) if number % 2 == 0 else (ours.witnesses, 0)
        done = {count: one_run(sign_http_argv, count) for count in order}
        runs += [done[count] for count in order]
        rounds.append((done[0], done[ours.witnesses]))
    result = {
        "benchmark": "witness_signing",
        "sign_http_options": sign_http_argv,
        "rounds": ours.rounds,
        "witnesses": ours.witnesses,
        "runs": runs,
        "summary": summarise(runs, rounds),
    }
    print(json.dumps(result) if ours.json else json.dumps(result, indent=1))
    return 0 if result["summary"]["every_run_checked"] else 1


if __name__ == "__main__":
    sys.exit(main())
