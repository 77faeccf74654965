"""The register's own web pages: the citizen catalogue (``/``, ``/offers/{id}``) and the monitoring
dashboard (``/dashboard``). Server-rendered HTML on the same services as the API; no JavaScript
needed, no third-party asset, a strict Content-Security-Policy."""
