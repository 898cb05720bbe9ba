"""Imported first in worker processes, which clean and parse but never embed.

spaCy's thinc imports PyTorch whenever it is installed (it is, for the embedding model),
costing each worker about a second and a few hundred MB for nothing. Marking the module
absent makes thinc's guarded `import torch` fail cleanly, so workers stay lean; the main
process, which embeds, never imports this module.
"""

from __future__ import annotations

import sys

sys.modules.setdefault("torch", None)  # type: ignore[arg-type]
