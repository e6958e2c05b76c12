"""Synthetic but realistic casework data, generated column-wise with numpy and loaded
into PostgreSQL with COPY."""
