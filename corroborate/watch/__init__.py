"""`corroborate watch`: feeds polled on a schedule, watchlists over stories, and alerts.

config.py reads the TOML config; polling.py fetches feeds politely (per-host spacing,
conditional GET, back-off); watcher.py runs the rounds (poll → pipeline → alerts → webhooks);
alerts.py compares a story's stored cross-check with what its alerts were last computed
from; watchlists.py matches stories to saved queries; atom.py and webhooks.py deliver.
"""
