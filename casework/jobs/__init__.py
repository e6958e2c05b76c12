"""RQ entry points and their plumbing. Jobs are thin: they take ids and moments, and
call the same services as the web layer inside the app context the worker provides."""
