"""What a benchmark prints about the machine it ran on: timings on a shared machine mean little
without the load they were taken under."""

from __future__ import annotations

import os


def load_line(*, cores: bool = False) -> str:
    """'load average: 0.12 0.30 0.41' (with '; cores: N' when asked)."""
    line = f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    return f"{line}; cores: {os.cpu_count()}" if cores else line
