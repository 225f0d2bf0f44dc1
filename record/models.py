"""The log's storage: entries (append-only), openings (private), tiles and checkpoints (derived)."""

from django.db import models


class LogHead(models.Model):
    """One row: the next entry's index. Locking it is how entries get contiguous indexes."""

    size = models.BigIntegerField(default=0)


class Entry(models.Model):
    index = models.BigIntegerField(primary_key=True)
    data = models.BinaryField()
    leaf_hash = models.BinaryField(max_length=32)
    type = models.CharField(max_length=32)
    handle = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["index"]
        verbose_name_plural = "entries"
        # A letter's events in log order: its chain position on every append, its bundle.
        indexes = [models.Index(fields=["handle", "index"], name="entry_handle_index")]


class Opening(models.Model):
    """The salt and private fields behind an entry's commitment: never served unless allowed."""

    entry = models.OneToOneField(Entry, primary_key=True, on_delete=models.PROTECT, related_name="opening")
    salt = models.BinaryField(max_length=32)
    # The exact canonical JSON the commitment was computed over, kept as text so no
    # database round trip can change a byte of it.
    fields_json = models.TextField()


class TreeState(models.Model):
    """One row: how many entries are hashed into tiles. Locked by the integrator."""

    size = models.BigIntegerField(default=0)


class Tile(models.Model):
    # A tile's first W hashes never change as the tree grows, so one row per tile (its widest
    # form so far) serves every partial width C2SP tlog-tiles clients may ask for.
    level = models.PositiveSmallIntegerField()
    number = models.BigIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "number"], name="one_row_per_tile")]


class Checkpoint(models.Model):
    size = models.BigIntegerField(primary_key=True)
    root = models.BinaryField(max_length=32)
    note = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["size"]


class Cosignature(models.Model):
    """A witness's cosignature (C2SP tlog-cosignature v1) on one of our checkpoints, served
    with it at /log/checkpoint and in bundles."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="cosignatures")
    witness = models.CharField(max_length=300)  # the witness key's name+key id
    line = models.TextField()  # the note signature line, as the witness answered it
    timestamp = models.BigIntegerField()  # the time the witness put in it (POSIX seconds)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["checkpoint", "witness"], name="one_cosignature_per_witness")]
