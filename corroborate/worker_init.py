"""Imported first in worker processes, which clean and parse but never embed.

Two settings that must come before numpy or spaCy load in the worker:
- spaCy's thinc imports PyTorch whenever it is installed (it is, for the embedding model),
  costing each worker about a second and a few hundred MB for nothing. Marking the module
  absent makes thinc's guarded `import torch` fail cleanly, so workers stay lean; the main
  process, which embeds, never imports this module.
- The pool runs one worker per core, so each worker's BLAS and OpenMP get one thread: two
  threads each would oversubscribe the cores (measured on 2 cores: 11.6-11.9 -> 12.0-12.9
  articles/s through the extract stage). A limit the user set is kept.
"""

from __future__ import annotations

import os
import sys

sys.modules.setdefault("torch", None)  # type: ignore[arg-type]
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
