"""Reading a log's tlog-tiles files over HTTP, for ``log audit --url`` and ``log mirror --url``:
a ``Fetch`` returns the bytes at a path under the log's base URL, and ``find_log`` finds that
base URL from the one the reader gave."""

import urllib.error
import urllib.request
from collections.abc import Callable

from .checkpoint import parse_checkpoint
from .errors import FetchError

DEFAULT_TIMEOUT = 30.0

Fetch = Callable[[str], bytes]


class HttpStatusError(FetchError):
    """The server answered, with an HTTP error status (a 404 at a wrong base URL, say)."""


def http_fetch(base_url: str, timeout: float = DEFAULT_TIMEOUT) -> Fetch:
    """A ``fetch`` reading paths under ``base_url`` (e.g. ``https://example.org/log``) with
    urllib; any failure (HTTP status, network, timeout) raises FetchError naming the URL."""
    base = base_url.rstrip("/") + "/"

    def fetch(path: str) -> bytes:
        url = base + path
        # The auditor's own user names the URL; a file: URL reads a local copy, as they chose
        request = urllib.request.Request(url, headers={"User-Agent": "undersigned-audit"})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return response.read()
        except urllib.error.HTTPError as error:
            raise HttpStatusError(f"GET {url}: HTTP {error.code} {error.reason}") from None
        except urllib.error.URLError as error:
            raise FetchError(f"GET {url}: {error.reason}") from None
        except (OSError, ValueError) as error:  # timeouts, resets, malformed URLs
            raise FetchError(f"GET {url}: {error or type(error).__name__}") from None

    return fetch


URL_HINT = "--url is the log's base URL, where its checkpoint is (e.g. https://undersigned.example/log/)"


def find_log(url: str, timeout: float = DEFAULT_TIMEOUT, fetcher: Callable[[str, float], Fetch] = http_fetch) -> Fetch:
    """A ``fetch`` under the log's base URL, given that URL or the site's root: ``url`` when
    ``url``/checkpoint is a checkpoint, else ``url``/log/ when its checkpoint is one. The
    checkpoint found is the one the audit reads. Raises FetchError saying what was tried
    when neither holds one; a server that does not answer at all is not tried twice."""
    tried = []
    for base in _log_bases(url):
        fetch = fetcher(base, timeout)
        try:
            answer = fetch("checkpoint")
        except HttpStatusError as error:
            tried.append(error.message)
            continue
        if _is_checkpoint(answer):
            return _reading_first(fetch, answer)
        tried.append(f"GET {base.rstrip('/')}/checkpoint: not a checkpoint")
    raise FetchError(f"no log checkpoint found ({'; '.join(tried)}); {URL_HINT}")


def _log_bases(url: str) -> list[str]:
    base = url.rstrip("/")
    return [base] if base.endswith("/log") else [base, base + "/log"]


def _is_checkpoint(answer: bytes) -> bool:
    """Whether ``answer`` is a note whose text is a checkpoint (its signature is the audit's step 1)."""
    try:
        text, _, _ = answer.decode("utf-8").rpartition("\n\n")
        parse_checkpoint(text + "\n")
    except ValueError:  # UnicodeDecodeError is one
        return False
    return True


def _reading_first(fetch: Fetch, checkpoint: bytes) -> Fetch:
    return lambda path: checkpoint if path == "checkpoint" else fetch(path)
