"""An import-linter contract type for what imports cannot show: that a package never
writes to the database (no commit, no transaction, no session.add, no INSERT/UPDATE/
DELETE). Used in pyproject.toml's [tool.importlinter] for the entrypoints and queries."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    return ""


class NoWritesContract(Contract):
    type_name = "no_writes"

    packages = fields.ListField(subfield=fields.StringField())
    forbidden_calls = fields.ListField(subfield=fields.StringField())

    def check(self, graph, verbose: bool) -> ContractCheck:
        forbidden = list(self.forbidden_calls)  # type: ignore[arg-type]
        violations = []
        for module in sorted(graph.modules):
            if not any(module == p or module.startswith(p + ".") for p in self.packages):  # type: ignore[attr-defined]
                continue
            origin = importlib.util.find_spec(module).origin
            tree = ast.parse(Path(origin).read_text(encoding="utf-8"), origin)
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = dotted(node.func)
                if any(name == f or name.endswith("." + f) for f in forbidden):
                    violations.append(f"{module}:{node.lineno} calls {name}()")
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for line in check.metadata["violations"]:
            output.print_error(line)
