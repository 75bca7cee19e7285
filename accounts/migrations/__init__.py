"""Alembic migrations of the SQL store (account book, ingest generations, conversation memory)."""
