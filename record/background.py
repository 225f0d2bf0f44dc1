"""A thread per server process that a request wakes instead of doing slow work itself: the log's
integrator (``record.integration``) and each witness's submitter (``record.witnesses``).

The thread starts at the first wake-up (and again if it died), so a process that never
appends starts none; a subclass writes the loop, ``_run``, around ``_wait``.
"""

import threading


class BackgroundWorker:
    """Started and woken by ``wake_up``, ended by ``stop``; ``_run`` is the thread's loop."""

    THREAD_NAME = "background-worker"
    STOP_WAIT_SECONDS = 10.0  # how long stop() waits for the current pass to end

    def __init__(self) -> None:
        self._wake = threading.Event()
        self._start_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def wake_up(self) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=self.THREAD_NAME, daemon=True)
                self._thread.start()
        self._wake.set()

    def stop(self) -> None:
        """End the thread after its current pass (for tests)."""
        with self._start_lock:
            thread, self._thread = self._thread, None
            if thread is not None and thread.is_alive():
                self._stopping = True
                self._wake.set()
                thread.join(self.STOP_WAIT_SECONDS)
            self._stopping = False

    def _wait(self, timeout: float) -> bool:
        """Wait for a wake-up or ``timeout`` seconds; True when woken. A wake-up that came
        during the last pass counts: it wakes this wait at once."""
        woken = self._wake.wait(timeout)
        self._wake.clear()
        return woken

    def _run(self) -> None:
        raise NotImplementedError
