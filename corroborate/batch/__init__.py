"""Archive-scale ingest on Ray Data: the per-article stages spread over many processes or
machines, the store written by one driver, clustering and cross-checking from the store.

`corroborate ingest` runs the same stages in a process pool on one machine; this package runs
them as Ray Data `map_batches` over an actor pool, so that a day of CC-NEWS (hundreds of
thousands of articles) can use a cluster's cores. Ray is imported only by `runner.py`, and
only when a batch runs: the rest of the program starts without it.
"""
