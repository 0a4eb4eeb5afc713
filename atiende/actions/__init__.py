"""One module per use case. Each runs inside one `Work` (one transaction) and queues its
events there; they are published only after the commit."""
