"""When the emulator tries a webhook again, as Meta does."""

from dataclasses import dataclass

# Meta keeps retrying a webhook the app did not answer 200 "with decreasing frequency until
# the request succeeds, for up to 7 days"; it publishes no exact intervals, so the emulator
# doubles the pause from a second up to an hour within that window.
META_RETRY_WINDOW_SECONDS = 7 * 24 * 3600.0


@dataclass(frozen=True)
class RetryPolicy:
    base_seconds: float = 1.0
    max_seconds: float = 3600.0
    window_seconds: float = META_RETRY_WINDOW_SECONDS
    # Compresses the whole schedule (pauses and window) so that a test or a training session
    # sees days of retries in seconds without changing their shape.
    time_scale: float = 1.0

    def delay_after(self, attempt: int) -> float:
        """Pause before the next attempt once attempt number `attempt` (from 1) failed."""
        pause = min(self.max_seconds, self.base_seconds * 2 ** (attempt - 1))
        return float(pause * self.time_scale)

    @property
    def window(self) -> float:
        return self.window_seconds * self.time_scale

    def gives_up(self, attempt: int, elapsed: float) -> bool:
        """Whether attempt `attempt`, failed `elapsed` seconds after the first one, was the
        last: the next would fall outside Meta's window."""
        return elapsed + self.delay_after(attempt) > self.window

    def schedule(self) -> list[float]:
        """Seconds from the first attempt at which each retry happens, to the window's end."""
        times: list[float] = []
        elapsed, attempt = 0.0, 1
        while not self.gives_up(attempt, elapsed):
            elapsed += self.delay_after(attempt)
            times.append(elapsed)
            attempt += 1
        return times
