"""The report ``undersigned log audit`` fills as its steps run (``ledger.audit``), and the
way a step ends the audit when what follows would rest on data the checkpoint does not vouch for."""

from dataclasses import dataclass, field
from typing import NoReturn

from .errors import VerificationError


@dataclass
class AuditEvent:
    index: int
    seq: object  # as found: an int in a sound log
    type: str
    time: str


@dataclass
class AuditReport:
    handle: str
    origin: str | None = None
    size: int | None = None
    root: str | None = None  # hex
    key: str | None = None  # name+key id of the checkpoint's signer
    tiles_checked: int = 0
    events: list[AuditEvent] = field(default_factory=list)
    status: str | None = None  # the letter's status after its last event, when the story holds
    witnesses: dict[str, int] = field(default_factory=dict)  # label -> cosignature time, with --witness
    head: dict | None = None  # the head checked, with --head
    misbehaviour: dict | None = None  # a false head's proof: the head, the checkpoint, the later entry
    key_events: int = 0  # the log's key events replayed (step 8)
    problems: list[VerificationError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def exit_code(self) -> int:
        return self.problems[0].exit_code if self.problems else 0

    def as_json(self) -> dict:
        return {
            "ok": self.ok,
            "handle": self.handle,
            "log": {"origin": self.origin, "size": self.size, "root": self.root, "key": self.key},
            "tiles_checked": self.tiles_checked,
            "status": self.status,
            "witnesses": self.witnesses,
            "head": self.head,
            "misbehaviour": self.misbehaviour,
            "key_events": self.key_events,
            "events": [{"index": e.index, "seq": e.seq, "type": e.type, "time": e.time} for e in self.events],
            "problems": [{"step": p.step, "code": p.exit_code, "message": p.message} for p in self.problems],
        }


class StopAudit(Exception):
    """Ends the audit after a problem that leaves nothing further worth checking."""


def stop(report: AuditReport, problem: VerificationError) -> NoReturn:
    report.problems.append(problem)
    raise StopAudit
