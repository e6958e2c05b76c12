"""Read models for pages and the API: queries only, never a write."""
