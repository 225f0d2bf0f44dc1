"""``undersigned verify``: readable and JSON output, exit codes, stdin, --since."""

import io
import json

import pytest

from ledger.verify_command import main

from make_fixtures import FIXTURES, ORGS, realistic_history

GOOD = FIXTURES / "good.json"
PIN = json.loads(GOOD.read_text())["log"]["vkey"]


def run(argv, stdin=""):
    out = io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out)
    return code, out.getvalue()


def test_a_good_bundle_exits_zero_with_a_readable_report():
    code, out = run([str(GOOD), "--vkey", PIN])
    assert code == 0
    assert "7. story: ok (status published)" in out
    assert "Verified: letter lt-7Qm2xKc9, status published" in out


def test_json_gives_a_machine_verdict():
    code, out = run([str(GOOD), "--json"])
    verdict = json.loads(out)
    assert code == 0 and verdict["ok"] is True and verdict["error"] is None
    assert verdict["facts"]["status"] == "published"
    assert verdict["facts"]["log"]["size"] == 25


def test_a_truncated_history_fails_at_the_head_with_its_own_exit_code():
    code, out = run([str(FIXTURES / "truncated_before_acknowledgement.json"), "--vkey", PIN])
    assert code == 11
    assert "Verified" not in out and "6. per-letter chain" not in out
    assert (
        "FAILED at head (exit 11): the bundle's events stop before the letter's head: its last event is "
        "index 22, seq 13; the log's signed head at size 25 says index 24, seq 15"
    ) in out


def test_json_says_where_a_truncated_history_fails():
    code, out = run([str(FIXTURES / "truncated_before_closing.json"), "--json"])
    verdict = json.loads(out)
    assert code == 11 and verdict["ok"] is False
    assert verdict["error"]["step"] == "head" and verdict["error"]["code"] == 11
    assert "status" not in verdict["facts"]  # no status is claimed for a history cut short


def test_the_head_proves_the_status_even_when_the_log_goes_on_after_the_letter(tmp_path):
    log, letter, other = realistic_history()
    other.sign(ORGS["ita"], 1)  # the log goes on after the letter's publication
    (tmp_path / "bundle.json").write_text(json.dumps(letter.bundle(log.checkpoint())))
    code, out = run([str(tmp_path / "bundle.json"), "--json"])
    facts = json.loads(out)["facts"]
    assert code == 0 and facts["complete"] is True
    assert facts["status"] == facts["status_at_last_event"] == "published"
    assert facts["head"] == {"size": 26, "index": 24, "seq": 15}
    code, out = run([str(tmp_path / "bundle.json")])
    assert "Verified: letter lt-7Qm2xKc9, status published" in out
    assert (
        "complete at the checkpoint: the log's signed head at size 26 names its last event (seq 15, log index 24, "
        "letter.published at"
    ) in out


def test_a_history_ending_at_the_trees_last_entry_is_complete(tmp_path):
    log, letter, _ = realistic_history()
    log.entries, letter.indexes = log.entries[: letter.indexes[9] + 1], letter.indexes[:10]  # up to a signature
    letter.openings = [o for o in letter.openings if o["index"] in letter.indexes]
    (tmp_path / "bundle.json").write_text(json.dumps(letter.bundle(log.checkpoint())))
    code, out = run([str(tmp_path / "bundle.json"), "--json"])
    facts = json.loads(out)["facts"]
    assert code == 0 and facts["complete"] is True
    assert facts["status"] == facts["status_at_last_event"] == "circulating"


def test_a_failure_reports_the_step_code_and_message():
    code, out = run([str(FIXTURES / "wrong_proof.json"), "--json"])
    verdict = json.loads(out)
    assert code == 4 and verdict["ok"] is False
    assert verdict["error"]["step"] == "inclusion" and verdict["error"]["code"] == 4
    assert "expected root" in verdict["error"]["message"]


def test_the_bundle_can_come_from_stdin():
    assert run(["-"], stdin=GOOD.read_text())[0] == 0


def test_a_leading_verify_word_is_accepted():
    assert run(["verify", str(GOOD)])[0] == 0


@pytest.mark.parametrize("content, code", [("not json", 2), ("{}", 2), ('{"format": "x"}', 2)])
def test_unreadable_bundles_exit_two(content, code):
    assert run(["-"], stdin=content)[0] == code


def test_a_missing_bundle_file_exits_two(tmp_path):
    code, out = run([str(tmp_path / "absent.json")])
    assert code == 2 and "cannot read" in out


@pytest.mark.parametrize("argv", [[], ["a", "b"], ["--bogus", "x"]])
def test_usage_errors_exit_64(argv):
    assert run(argv)[0] == 64


def _history_with_earlier_checkpoint():
    log, letter, _ = realistic_history()
    letter.log.entries, later = letter.log.entries[:10], letter.log.entries[10:]
    earlier = log.checkpoint()
    old_size = log.size
    log.entries += later
    return log, letter, earlier, old_size


def test_since_accepts_a_consistent_earlier_checkpoint(tmp_path):
    log, letter, earlier, old_size = _history_with_earlier_checkpoint()
    bundle = letter.bundle(log.checkpoint(), consistency_from=old_size)
    (tmp_path / "old.note").write_text(earlier)
    (tmp_path / "bundle.json").write_text(json.dumps(bundle))
    code, out = run([str(tmp_path / "bundle.json"), "--since", str(tmp_path / "old.note")])
    assert code == 0 and "8. consistency: ok (size 25 extends size 10)" in out


def test_since_rejects_a_forked_log(tmp_path):
    log, letter, earlier, old_size = _history_with_earlier_checkpoint()
    log.entries[3] = log.entries[3].replace(b'"kind":"state"', b'"kind":"igo"')  # history rewritten
    log.store, log.size = type(log.store)(), 0
    bundle = letter.bundle(log.checkpoint(), consistency_from=old_size)
    (tmp_path / "old.note").write_text(earlier)
    (tmp_path / "bundle.json").write_text(json.dumps(bundle))
    code, out = run([str(tmp_path / "bundle.json"), "--since", str(tmp_path / "old.note"), "--json"])
    assert code == 9
    assert "old root of size 10" in json.loads(out)["error"]["message"]


def test_since_without_a_proof_in_the_bundle_fails_consistency(tmp_path):
    log, letter, earlier, _ = _history_with_earlier_checkpoint()
    (tmp_path / "old.note").write_text(earlier)
    (tmp_path / "bundle.json").write_text(json.dumps(letter.bundle(log.checkpoint())))
    assert run([str(tmp_path / "bundle.json"), "--since", str(tmp_path / "old.note")])[0] == 9


def test_a_bundle_nested_thousands_deep_is_malformed_not_a_crash():
    code, out = run(["-", "--json"], stdin="[" * 200_000 + "]" * 200_000)
    verdict = json.loads(out)
    assert code == 2 and verdict["error"]["step"] == "shape"
    assert "nested too deeply" in verdict["error"]["message"]
