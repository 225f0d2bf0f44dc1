"""What a dishonest server could write in its log, bypassing the checks its actions make: for
tests showing that the offline verifier refuses it anyway."""

from django.db import transaction
from django.utils import timezone

from ledger import events
from orgs.models import OwnKey
from record.log import append_event


def log_own_key_withdrawal(
    letter: dict, signature_index: int, signer: str, key: OwnKey, statement_time: str, proof: dict
):
    """Append a withdrawal of the signature at ``signature_index``, said to be made with ``key``
    (of Pakistan), carrying ``proof`` over a statement of ``statement_time``, as the log keeps one."""
    with transaction.atomic():
        return append_event(
            events.SIGNATURE_WITHDRAWN,
            timezone.now(),
            {"signature": signature_index, "late": False, "key_kind": proof["kind"]},
            {
                "org": "pak",
                "signer": signer,
                "reason": "",
                "statement_time": statement_time,
                "key": key.fingerprint,
                "key_event": key.registered_log_index,
                "proof": proof,
            },
            handle=letter["handle"],
        )
