"""A server made to sign a false head: it hides a letter's last event and signs, with the log's
key, a head that says the event before is the last. The bundle is consistent and verifies;
``log audit --head`` finds the hidden event in the public log and prints the proof."""

import base64
import io
import json

from django.test import Client

from ledger.audit_command import main as audit_main
from ledger.head import Head, format_head, parse_head
from ledger.merkle import leaf_hash, verify_inclusion
from ledger.note import Verifier, open_note
from ledger.verify import verify_bundle
from record import log
from tests.conftest import sign
from undersigned.cli import main


def lying_bundle(honest: dict) -> dict:
    """The bundle without its last event, and a head the server signs to match."""
    lie = json.loads(json.dumps(honest))
    hidden = lie["entries"].pop()
    lie["openings"] = [o for o in lie["openings"] if o["index"] != hidden["index"]]
    last = lie["entries"][-1]
    event = json.loads(base64.b64decode(last["leaf"]))
    size = parse_head(open_note(honest["head"], Verifier.from_vkey(log.vkey()))).size
    false_head = Head(honest["log"]["origin"], event["handle"], size, last["index"], event["seq"])
    lie["head"] = log.log_signer().sign_note(format_head(false_head))
    return lie


def test_a_false_head_verifies_in_its_bundle_but_log_audit_proves_it_false(
    signer, second_signer, penholder, circulating, tmp_path, capsys
):
    sign(signer, circulating)
    sign(second_signer, circulating)  # the event the server will hide
    honest = penholder.api.get(f"/letters/{circulating['id']}/bundle").json()
    lie = lying_bundle(honest)
    assert verify_bundle(lie, log.vkey()).facts["versions"][0]["signatures"] == 1  # one signature fewer, "proven"

    path = tmp_path / "lie.json"
    path.write_text(json.dumps(lie))
    capsys.readouterr()
    assert main(["log", "audit", circulating["handle"], "--head", str(path), "--json"]) == 11
    report = json.loads(capsys.readouterr().out)
    assert report["problems"][0]["step"] == "head" and "false head" in report["problems"][0]["message"]

    proof = report["misbehaviour"]
    hidden = honest["entries"][-1]
    assert proof["head"] == lie["head"] and proof["entry"]["index"] == hidden["index"]
    assert proof["entry"]["leaf"] == hidden["leaf"]
    # Anyone holding the log's key checks it: the head and the checkpoint are the log's,
    # and the entry, of the same letter with a later seq, is in the checkpoint's tree.
    vkey = Verifier.from_vkey(log.vkey())
    head = parse_head(open_note(proof["head"], vkey))
    size, root = open_note(proof["checkpoint"], vkey).split("\n")[1:3]
    entry = base64.b64decode(proof["entry"]["leaf"])
    verify_inclusion(
        leaf_hash(entry),
        proof["entry"]["index"],
        int(size),
        [base64.b64decode(h) for h in proof["entry"]["proof"]],
        base64.b64decode(root),
    )
    assert proof["entry"]["index"] < head.size and json.loads(entry)["seq"] > head.seq


def test_the_public_audit_over_http_prints_the_proof_of_misbehaviour(
    signer, second_signer, penholder, circulating, tmp_path
):
    sign(signer, circulating)
    sign(second_signer, circulating)
    lie = lying_bundle(penholder.api.get(f"/letters/{circulating['id']}/bundle").json())
    path = tmp_path / "lie.json"
    path.write_text(json.dumps(lie))
    web = Client()

    def fetch(file):
        return web.get(f"/log/{file}").content

    out = io.StringIO()
    code = audit_main([circulating["handle"], "--head", str(path)], stdout=out, fetch=fetch, vkey=log.vkey())
    assert code == 11
    assert "PROOF OF MISBEHAVIOUR" in out.getvalue() and lie["head"].split("\n")[0] in out.getvalue()


def test_a_true_head_passes_and_a_head_of_another_key_is_refused(signer, penholder, circulating, tmp_path, capsys):
    sign(signer, circulating)
    bundle = penholder.api.get(f"/letters/{circulating['id']}/bundle").json()
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    assert main(["log", "audit", circulating["handle"], "--head", str(path)]) == 0
    from ledger.note import Signer, generate_signer_key

    forged = Signer.from_private(generate_signer_key(log.log_signer().name)[0])
    (tmp_path / "head.note").write_text(forged.sign_note(open_note(bundle["head"], Verifier.from_vkey(log.vkey()))))
    capsys.readouterr()
    assert main(["log", "audit", circulating["handle"], "--head", str(tmp_path / "head.note")]) == 11
    assert "a head is signed by the log's key" in capsys.readouterr().out
