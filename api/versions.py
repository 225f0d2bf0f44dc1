"""A version as the API gives it, the same for a letter's and a report's (a report's adds what
it holds of its file)."""


def version_out(version) -> dict:
    return {
        "number": version.number,
        "hash": version.hash,
        "title": version.title,
        "body": version.body,
        "author": version.author.get_username(),
        "note": version.note,
        "created_at": version.created_at,
        "log_index": version.log_index,
    }
