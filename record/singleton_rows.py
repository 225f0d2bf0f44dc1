"""The log's one-row tables (``LogHead``, ``TreeState``), locked for a change."""

from django.db import IntegrityError, transaction


def locked_singleton(model):
    """Lock the model's one row (pk 1), creating it if a flushed database lost it."""
    row = model.objects.select_for_update().filter(pk=1).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            model.objects.create(pk=1)
    except IntegrityError:
        pass  # another process created it first
    return model.objects.select_for_update().get(pk=1)
