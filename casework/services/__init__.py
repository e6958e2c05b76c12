"""Use cases. Each public function is one transaction: it checks, changes, writes the
audit event and commits, or raises a workflows.errors.DomainError and changes nothing.
Views, API handlers, CLI commands and jobs call these and nothing else that writes."""
