"""What every page's template may read."""

from letters import limits as letter_limits


def limits(request) -> dict:
    """The sizes of a letter's inputs, for the forms' maxlength: ``{{ limits.title }}``."""
    return {"limits": letter_limits.FOR_TEMPLATES}
