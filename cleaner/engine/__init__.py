"""Where the pipeline runs: this machine (``cleaner.pipeline``, ``cleaner.workers``) or a Ray cluster (``ray``)."""
