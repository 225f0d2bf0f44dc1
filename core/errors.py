"""Errors an action refuses with: each has a stable code and the HTTP status it maps to."""

from typing import Any


class ActionError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details


class NotFound(ActionError):
    status = 404
    code = "not_found"


class Forbidden(ActionError):
    status = 403
    code = "forbidden"


class Conflict(ActionError):
    """A conflict with the current state. A stale version names the changes the caller has not
    seen as ``changes=(letter id, version shown, current version)``: the domain names them, and
    each interface links to them its own way (the API as a ``diff`` URL)."""

    status = 409
    code = "conflict"


class Invalid(ActionError):
    status = 422
    code = "invalid"


class Busy(ActionError):
    """Not now: the server is at its limit for this kind of work (PDF renders); retry later."""

    status = 503
    code = "busy"
