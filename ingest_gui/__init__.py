"""Instasent Ingest Wizard: import spreadsheets of contacts and events into the Ingest API."""

__version__ = "0.1.0"
APP_NAME = "Instasent Ingest Wizard"
