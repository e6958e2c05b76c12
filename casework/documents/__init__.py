"""What the office issues: 通报 in GB/T 9704-2012 form rendered from .docx templates
(docxtpl), and tables for people (xlsx/csv)."""
