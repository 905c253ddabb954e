"""Per-source rate limits: a token bucket per API key (``BUNKO_RATE_LIMIT_*``).

Each key may make ``burst`` requests at once and ``per_minute`` a minute after that; a
request over the limit gets 429 with ``Retry-After``. The buckets live in the API process
(``bunko serve`` runs one), so a limit holds per process.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class RateLimited(Exception):
    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"too many requests from this API key: retry in {retry_after_s} s")
        self.retry_after_s = retry_after_s


class RateLimiter:
    def __init__(
        self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._rate = per_minute / 60.0
        self._burst = float(burst)
        self._clock = clock
        self._buckets: dict[int, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key_id: int) -> None:
        """Spend one request of ``key_id``'s allowance; ``RateLimited`` when none is left."""
        with self._lock:
            now = self._clock()
            tokens, then = self._buckets.get(key_id, (self._burst, now))
            tokens = min(self._burst, tokens + (now - then) * self._rate)
            if tokens < 1.0:
                self._buckets[key_id] = (tokens, now)
                raise RateLimited(max(1, math.ceil((1.0 - tokens) / self._rate)))
            self._buckets[key_id] = (tokens - 1.0, now)
