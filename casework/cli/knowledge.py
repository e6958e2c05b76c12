from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from .. import clock
from ..permissions import SYSTEM_ACTOR
from ..services import knowledge_import, knowledge_upkeep, search_index, synonyms
from .errors import domain_errors

knowledge_group = AppGroup("knowledge", help="The knowledge base (知识库) and its search index.")


@knowledge_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--publish", is_flag=True, help="Publish the entries at once (the office's own list).")
@click.option("--dry-run", is_flag=True, help="Only check the rows; write nothing.")
def import_(file: Path, publish: bool, dry_run: bool):
    """Import entries from an xlsx/csv table (问题, 答复口径, 类别, 责任单位, 政策依据, 文号, 链接, 有效期至)."""
    content = file.read_bytes()
    with domain_errors():
        rows = knowledge_import.preview(content, file.name)
        for r in rows:
            click.echo(f"{r.line:>4} {'ERR' if r.errors else 'ok '} {r.values['question'][:40]} {'；'.join(r.errors)}")
        if dry_run:
            return
        count = knowledge_import.commit(SYSTEM_ACTOR, content, file.name, publish=publish)
    click.echo(f"imported {count} entr{'y' if count == 1 else 'ies'}")


@knowledge_group.command("reindex")
def reindex():
    """Rebuild the search index from letters, published answers and entries."""
    click.echo(", ".join(f"{kind}: {n}" for kind, n in search_index.reindex().items()))


@knowledge_group.command("expire")
def expire():
    """Take entries past their validity out of publication now (the daily job does this)."""
    ids = knowledge_upkeep.expire_due(clock.now())
    click.echo(f"expired {len(ids)} entr{'y' if len(ids) == 1 else 'ies'}" + (f": {ids}" if ids else ""))


@knowledge_group.command("expired")
def expired():
    """List the expired entries."""
    for e in knowledge_upkeep.expired():
        click.echo(f"#{e.id}\t{e.valid_until}\t{e.question}")


@knowledge_group.command("synonyms")
@click.argument("action", type=click.Choice(["list", "add", "remove", "seed"]))
@click.argument("terms", nargs=-1)
def synonym_command(action: str, terms: tuple[str, ...]):
    """list | add 户籍 户口 … | remove ID | seed (the starter list, into an empty table)."""
    with domain_errors():
        if action == "list":
            for g in synonyms.all_groups():
                click.echo(f"{g.id}\t{g.terms}")
        elif action == "add":
            click.echo(f"added {synonyms.save(' '.join(terms)).terms}")
        elif action == "remove":
            synonyms.remove(int(terms[0]) if terms and terms[0].isdigit() else 0)
            click.echo("removed")
        else:
            click.echo(f"seeded {synonyms.ensure_defaults()} group(s)")
