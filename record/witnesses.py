"""The log's witnesses (LOG_WITNESSES, C2SP tlog-witness): each new checkpoint goes to every
witness after integration, and the cosignatures they answer are kept and served with it.

Nothing here is waited for by a request that changes a letter. Integration runs after the
change's commit; it only wakes one thread per witness (in the server), which submits the
newest checkpoint over a keep-alive connection, at most one per Submitter.PAUSE_SECONDS.
Checkpoints made while a submission is under way or during the pause are covered by the next
one (a witness cosigns a checkpoint only if it extends the last it cosigned, so skipping some
loses nothing). A witness that does not answer is retried with
growing pauses and never holds up integration, signing or another witness.
"""

import datetime
import http.client
import logging
import threading
import time
import urllib.parse
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Count

from ledger.cosignature import WitnessKey
from ledger.note import NoteError, split_note
from ledger.witness import SIZE_CONTENT_TYPE, add_checkpoint_body
from record import log
from record.background import BackgroundWorker
from record.models import Checkpoint, Cosignature

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5.0  # per request: a witness slower than this is retried later
RETRY_SECONDS = (1, 2, 5, 10, 30, 60)  # pauses after 1, 2, ... failures in a row
# A checkpoint every witness cosigned is served instead of a newer one still waiting for its
# cosignatures, unless it is older than the newest by more than this (a witness down for long
# must not freeze the checkpoint everyone reads).
GRACE_SECONDS = 10


class Witness(NamedTuple):
    url: str  # its submission prefix: requests go to <url>/add-checkpoint
    key: WitnessKey


def parse_witnesses(pairs) -> list[Witness]:
    """``[(url, vkey), ...]`` as settings.LOG_WITNESSES holds them; raises ValueError."""
    witnesses = []
    for pair in pairs:
        if len(pair) != 2:
            raise ValueError(f"{' '.join(pair)!r} is not 'URL VKEY'")
        url, vkey = pair
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(f"{url!r} is not an http:// or https:// URL")
        try:
            witnesses.append(Witness(url, WitnessKey.from_vkey(vkey)))
        except NoteError as error:
            raise ValueError(f"{vkey!r} is not a witness vkey: {error}") from None
    return witnesses


@lru_cache(maxsize=4)
def _configured(pairs: tuple) -> list[Witness]:
    return parse_witnesses(pairs)


def configured() -> list[Witness]:
    return _configured(tuple(tuple(pair) for pair in settings.LOG_WITNESSES))


# --- serving checkpoints with their cosignatures -------------------------------------------


def cosigned_note(checkpoint: Checkpoint) -> str:
    """The checkpoint's note with every cosignature kept for it: the log's signature line, then
    the witnesses'. A verifier that knows only the log's key ignores the lines it does not know."""
    lines = checkpoint.cosignatures.order_by("witness").values_list("line", flat=True)
    return checkpoint.note + "".join(lines)


def checkpoint_to_serve(covering: int = 0) -> Checkpoint | None:
    """The checkpoint to hand out (at /log/checkpoint, or in a bundle of entries below
    ``covering``): the newest one every configured witness cosigned, if it is recent enough
    (GRACE_SECONDS), else the newest."""
    newest = log.latest_checkpoint()
    witnesses = configured()
    if newest is None or not witnesses or newest.size < covering:
        return newest
    labels = [witness.key.label for witness in witnesses]
    recent = newest.created_at - datetime.timedelta(seconds=GRACE_SECONDS)
    cosigned = (
        Checkpoint.objects.filter(size__gte=covering, created_at__gte=recent, cosignatures__witness__in=labels)
        .annotate(witnesses=Count("cosignatures"))
        .filter(witnesses=len(labels))
        .order_by("-size")
        .first()
    )
    return cosigned or newest


# --- submitting -----------------------------------------------------------------------------


class WitnessUnavailable(Exception):
    """The witness did not answer, or answered with a server error: try again later."""


class WitnessClient:
    """Submits the log's newest checkpoint to one witness, over one keep-alive connection."""

    def __init__(self, witness: Witness, timeout: float = TIMEOUT_SECONDS):
        self.witness, self.timeout = witness, timeout
        parts = urllib.parse.urlsplit(witness.url)
        self._https, self._netloc = parts.scheme == "https", parts.netloc
        self._path = parts.path.rstrip("/") + "/add-checkpoint"
        self._connection: http.client.HTTPConnection | None = None
        self.known_size: int | None = None  # the witness's latest size of our log, as far as we know

    def submit_latest(self) -> None:
        """Submit the newest checkpoint unless this witness cosigned it already; raises
        WitnessUnavailable when the witness should be asked again later."""
        latest = log.latest_checkpoint()
        label = self.witness.key.label
        if latest is None or Cosignature.objects.filter(checkpoint_id=latest.size, witness=label).exists():
            return
        if self.known_size is None:
            self.known_size = self._size_cosigned_before()
        for _ in range(2):  # a 409 tells the witness's size: one more try, with a proof from there
            if self.known_size > latest.size:
                return  # it holds a newer checkpoint of ours already (another server process sent it)
            old = self.known_size
            proof = log.consistency_proof(old, latest.size) if 0 < old < latest.size else []
            status, body = self._post(add_checkpoint_body(old, proof, latest.note))
            if status == 200:
                self._keep(latest, body)
                self.known_size = latest.size
                return
            if status != 409 or not body.strip().isdigit():
                break
            self.known_size = int(body)
        logger.error(
            "witness %s refused the checkpoint of size %s: HTTP %s %s",
            label,
            latest.size,
            status,
            body[:200].decode("utf-8", "replace").strip(),
        )

    def _size_cosigned_before(self) -> int:
        """The largest checkpoint this witness cosigned, as kept here (0 if none): the witness's
        size unless another log process has submitted since, which a 409 then tells."""
        sizes = Cosignature.objects.filter(witness=self.witness.key.label).order_by("-checkpoint_id")
        return sizes.values_list("checkpoint_id", flat=True).first() or 0

    def _keep(self, checkpoint: Checkpoint, body: bytes) -> None:
        """Store the witness's valid cosignature lines of the answer; others are ignored."""
        try:
            text, signatures = split_note(checkpoint.note + body.decode("utf-8"))
        except (UnicodeDecodeError, NoteError) as error:
            logger.error("witness %s answered no cosignature lines: %s", self.witness.key.label, error)
            return
        kept = []
        for signature in signatures:
            timestamp = self.witness.key.timestamp_of(text, signature)
            if timestamp is not None:
                kept.append(
                    Cosignature(
                        checkpoint=checkpoint, witness=self.witness.key.label, line=signature.line, timestamp=timestamp
                    )
                )
        if not kept:
            logger.error("witness %s answered 200 without a valid cosignature", self.witness.key.label)
        Cosignature.objects.bulk_create(kept[-1:], ignore_conflicts=True)

    def _post(self, body: bytes) -> tuple[int, bytes]:
        """``(status, body)`` of a POST over the kept connection; raises WitnessUnavailable."""
        try:
            return self._post_once(body)
        except (OSError, http.client.HTTPException):
            self.close()  # the witness may have closed the kept connection: once more, on a new one
        try:
            return self._post_once(body)
        except (OSError, http.client.HTTPException) as error:
            self.close()
            raise WitnessUnavailable(f"POST {self.witness.url}/add-checkpoint: {error}") from None

    def _post_once(self, body: bytes) -> tuple[int, bytes]:
        if self._connection is None:
            kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            self._connection = kind(self._netloc, timeout=self.timeout)
        self._connection.request("POST", self._path, body, {"Content-Type": "text/plain; charset=utf-8"})
        response = self._connection.getresponse()
        answer = response.read()
        if response.will_close:
            self.close()
        if response.status >= 500:
            raise WitnessUnavailable(f"POST {self.witness.url}/add-checkpoint: HTTP {response.status}")
        if response.status == 409 and response.getheader("Content-Type", "") != SIZE_CONTENT_TYPE:
            logger.warning("witness %s answered 409 as %s", self.witness.key.label, response.getheader("Content-Type"))
        return response.status, answer

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class Submitter(BackgroundWorker):
    """One thread per witness and server process, woken after each integration.

    After a submission the thread pauses PAUSE_SECONDS before the next, so that under load,
    when every integration pass makes a checkpoint, the witness is sent one checkpoint (the
    newest, with a proof from the last it cosigned) per pause instead of each of them. Every
    submission ends in a write of the cosignature, and on SQLite that write waits its turn
    with the signatures and holds them up while it commits: sent for every checkpoint, these
    writes made signing measurably slower (docs/benchmarks.md, section 10).
    """

    IDLE_SECONDS = 5  # without a wake-up for this long, the thread gives its connections back
    PAUSE_SECONDS = 1.0  # at least this long between two submissions (well within GRACE_SECONDS)
    THREAD_NAME = "log-witness"
    STOP_WAIT_SECONDS = TIMEOUT_SECONDS * 3  # a submission under way may make several requests

    def __init__(self, witness: Witness):
        super().__init__()
        self.client = WitnessClient(witness)
        self._next_submission_at = 0.0  # time.monotonic() before which the thread pauses

    def _run(self) -> None:
        failures, retry_at = 0, None
        while True:
            timeout = self.IDLE_SECONDS if retry_at is None else max(0.0, retry_at - time.monotonic())
            woken = self._wait(timeout)
            if self._stopping:
                break
            if retry_at is not None and time.monotonic() < retry_at:
                continue  # pausing after a failure: the retry will send the newest checkpoint
            if not woken and retry_at is None:
                self.client.close()
                connection.close()
                continue
            self._pause_since_last_submission()
            if self._stopping:
                break
            try:
                self._next_submission_at = time.monotonic() + self.PAUSE_SECONDS
                self.client.submit_latest()
                failures, retry_at = 0, None
            except Exception as error:  # a witness's trouble must never end the thread
                failures += 1
                retry_at = time.monotonic() + RETRY_SECONDS[min(failures, len(RETRY_SECONDS)) - 1]
                logger.warning(
                    "witness %s: %s; retrying in %ss",
                    self.client.witness.key.label,
                    error,
                    RETRY_SECONDS[min(failures, len(RETRY_SECONDS)) - 1],
                    exc_info=not isinstance(error, WitnessUnavailable),
                )
            finally:
                close_old_connections()
        self.client.close()
        connection.close()

    def _pause_since_last_submission(self) -> None:
        """Wait until PAUSE_SECONDS have passed since the last submission began. Wake-ups that
        come meanwhile need nothing more: the submission that follows sends the newest checkpoint."""
        while not self._stopping:
            remaining = self._next_submission_at - time.monotonic()
            if remaining <= 0:
                return
            self._wait(remaining)


_submitters: dict[Witness, Submitter] = {}
_submitters_lock = threading.Lock()


def _submitter(witness: Witness) -> Submitter:
    with _submitters_lock:
        if witness not in _submitters:
            _submitters[witness] = Submitter(witness)
        return _submitters[witness]


def checkpoint_made() -> None:
    """After a new checkpoint is committed: in the server, wake each witness's thread; with
    inline integration (tests, one-shot commands), submit now, each witness once."""
    for witness in configured():
        if settings.LOG_INTEGRATION == "inline":
            submit_now(witness)
        else:
            _submitter(witness).wake_up()


def submit_now(witness: Witness) -> None:
    client = WitnessClient(witness)
    try:
        client.submit_latest()
    except Exception as error:  # never let a witness turn a committed change into an error
        logger.warning("witness %s: %s", witness.key.label, error, exc_info=not isinstance(error, WitnessUnavailable))
    finally:
        client.close()


def stop_submitters() -> None:
    with _submitters_lock:
        submitters = list(_submitters.values())
    for submitter in submitters:
        submitter.stop()
