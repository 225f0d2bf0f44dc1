"""One exception family for verification failures, each mapped to an exit code of
``undersigned verify`` (docs/record.md, "Verification bundle")."""


class VerificationError(Exception):
    """A check failed; ``str(error)`` says what was expected and what was found."""

    exit_code = 1
    step = "verification"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class MalformedBundle(VerificationError):
    exit_code = 2
    step = "shape"


class CheckpointError(VerificationError):
    exit_code = 3
    step = "checkpoint"


class InclusionError(VerificationError):
    exit_code = 4
    step = "inclusion"


class OpeningError(VerificationError):
    exit_code = 5
    step = "openings"


class SignatureError(VerificationError):
    exit_code = 6
    step = "signatures"


class KeyHistoryError(SignatureError):
    """``log audit``: the log's key events do not make one history of the organisations' keys
    (an approval by a key that was not active, an event about a key never registered, ...)."""

    step = "keys"


class ChainError(VerificationError):
    exit_code = 7
    step = "chain"


class StoryError(VerificationError):
    exit_code = 8
    step = "story"


class ConsistencyError(VerificationError):
    exit_code = 9
    step = "consistency"


class FetchError(VerificationError):
    """The log could not be read (``undersigned log audit``): exit 69, sysexits' EX_UNAVAILABLE."""

    exit_code = 69
    step = "fetch"


class WitnessError(VerificationError):
    """Fewer valid cosignatures on the checkpoint than the witnesses and threshold asked for."""

    exit_code = 10
    step = "witnesses"


class HeadError(VerificationError):
    """The letter's signed head is missing, not signed by the log, about another tree or letter,
    or names a later event than the bundle's last: the history may be cut short."""

    exit_code = 11
    step = "head"
