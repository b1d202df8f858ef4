"""HTTP client for the Instasent Ingest API (httpx), its typed spec objects and errors."""
