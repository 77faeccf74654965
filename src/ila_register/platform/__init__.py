"""The platform: what every concept's HTTP and persistence needs (auth, idempotency, leases,
background workers, rate limits, problem details, HTTP helpers). It builds on the kernel and the
database layer, and knows no concept."""
