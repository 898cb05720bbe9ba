"""Versions of what a stage computes and the store keeps, importable without the stage.

A read compares a stored record's version with these to tell whether it is current; the
stages themselves load spaCy and PyTorch, which a read must not pay for.
"""

from __future__ import annotations

# Bump when the cross-check's output changes (facts, verdicts, sources, provenance, timeline):
# every stored cross-check turns stale and is recomputed in the background.
CROSSCHECK_VERSION = "4"  # 4: one magnitude per quake, places the tagger missed, "$43 million"
# 3: background events, "when" key figures, role-named officials
# 2: copyright years and misread relative dates left out of timelines
