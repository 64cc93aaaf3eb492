"""``ckan solok …`` commands."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import click

from ckanext.solok import seed as demo


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
    click.secho(
        f"Done: {report.created['organization']} organisations, {report.created['dataset']} datasets "
        f"and {report.created['resource']} files created; {report.existing['organization']} organisations "
        f"and {report.existing['dataset']} of {len(datasets)} datasets were already there.",
        fg="green",
    )
