"""corroborate: tells an analyst what a news story really rests on."""

from __future__ import annotations

__version__ = "0.1.0"
