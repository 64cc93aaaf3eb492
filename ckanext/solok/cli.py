"""``ckan solok …`` commands."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import click

from ckanext.solok.demo import seed as demo
from ckanext.solok.search import reindex as search_reindex


@click.group(short_help="Portal Data Kota Solok commands.")
def solok() -> None:
    """Commands of the Kota Solok open data portal."""


@solok.command("seed")
def seed_command() -> None:
    """Load the Kota Solok demo data: a sysadmin, the OPDs and their datasets."""
    name = tk.config.get("ckanext.solok.demo.sysadmin_name")
    password = tk.config.get("ckanext.solok.demo.sysadmin_password")
    created = demo.ensure_sysadmin(name, password)
    click.echo(f"Sysadmin {name!r}: {'created' if created else 'already present'}")
    report = demo.SeedReport()
    click.echo("Organisations (OPD)…")
    demo.seed_organizations(name, report)
    datasets = demo.load("datasets.json")

    def progress(items):
        with click.progressbar(
            items, label="Datasets", show_pos=True, item_show_func=lambda d: d["name"] if d else ""
        ) as bar:
            yield from bar

    demo.seed_datasets(name, report, progress)
    users = demo.ensure_workflow_users(name, tk.config.get("ckanext.solok.demo.user_password"))
    demo.seed_workflow(report)
    datasets = datasets + demo.workflow_demo()["datasets"]
    click.secho(
        f"Done: {report.created['organization']} organisations, {report.created['dataset']} datasets "
        f"and {report.created['resource']} files created; {report.existing['organization']} organisations "
        f"and {report.existing['dataset']} of {len(datasets)} datasets were already there.",
        fg="green",
    )
    click.echo("Demo users of the workflow (password from ckanext.solok.demo.user_password):")
    for user in users:
        click.echo(f"  {user['name']:<16} {user['role']}")


@solok.command("reindex")
@click.option(
    "--workers", "-w", type=click.IntRange(min=1), default=None, help="Worker processes (default: one per CPU)."
)
@click.option("--only-missing", is_flag=True, help="Index only datasets that have no index entry.")
def reindex_command(workers: int | None, only_missing: bool) -> None:
    """Rebuild the search index in parallel (same documents as `ckan search-index rebuild`)."""
    ids = search_reindex.dataset_ids(only_missing=only_missing)
    with click.progressbar(length=len(ids), label="Indexing datasets", show_pos=True, show_percent=True) as bar:
        done = search_reindex.reindex(ids, workers=workers, progress=bar.update)
    click.secho(f"Indexed {done} datasets.", fg="green")
