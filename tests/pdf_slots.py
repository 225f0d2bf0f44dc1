"""Holding the PDF renderer's slots, as concurrent renders would."""


class every_render_slot_taken:
    """Another request renders in each of the process's PDF slots."""

    def __init__(self, pdf):
        self.slots, self.held = pdf._render_slots, 0

    def __enter__(self):
        while self.slots.acquire(blocking=False):
            self.held += 1

    def __exit__(self, *exc):
        for _ in range(self.held):
            self.slots.release()
