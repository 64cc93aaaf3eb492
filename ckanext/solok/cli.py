"""``ckan solok …`` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
import click
from ckan import model

from ckanext.solok.demo import credentials as demo_credentials
from ckanext.solok.demo import seed as demo
from ckanext.solok.quality import link_jobs, reminders
from ckanext.solok.quality import score as quality_score
from ckanext.solok.sdi import national_migration
from ckanext.solok.search import reindex as search_reindex


@click.group(short_help="Portal Data Kota Solok commands.")
def solok() -> None:
    """Commands of the Kota Solok open data portal."""


@solok.command("seed")
@click.option(
    "--credentials",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File (mode 0600) that keeps the generated demo passwords for later runs.",
)
def seed_command(credentials: Path | None) -> None:
    """Load the Kota Solok demo data: a sysadmin, the OPDs and their datasets."""
    name = tk.config.get("ckanext.solok.demo.sysadmin_name")
    passwords = demo_credentials.resolve(credentials)
    workflow_names = [u["name"] for u in demo.workflow_demo()["users"]]
    users_existed = [n for n in workflow_names if model.User.get(n) is not None]
    created = demo.ensure_sysadmin(name, passwords.admin)
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
    users = demo.ensure_workflow_users(name, passwords.users)
    demo.seed_workflow(report)
    datasets = datasets + demo.workflow_demo()["datasets"]
    click.secho(
        f"Done: {report.created['organization']} organisations, {report.created['dataset']} datasets "
        f"and {report.created['resource']} files created; {report.existing['organization']} organisations "
        f"and {report.existing['dataset']} of {len(datasets)} datasets were already there.",
        fg="green",
    )
    click.echo("Demo users of the workflow:")
    for user in users:
        click.echo(f"  {user['name']:<16} {user['role']}")
    _report_passwords(name, created, users, users_existed, passwords, credentials)


def _report_passwords(
    admin: str,
    admin_created: bool,
    users: list[dict[str, Any]],
    users_existed: list[str],
    passwords: demo_credentials.Credentials,
    path: Path | None,
) -> None:
    """Keep and print generated passwords once (when made); later runs only say where they are kept."""
    where = f" (kept in {path}, readable by you only)" if path else " (not stored: note them now)"
    used = {demo_credentials.ADMIN_KEY} if admin_created else set()
    if len(users_existed) < len(users):
        used.add(demo_credentials.USERS_KEY)
    if path:
        demo_credentials.save(path, passwords, used)
    if demo_credentials.ADMIN_KEY in passwords.generated:
        if admin_created:
            click.secho(f"Generated password of {admin!r}: {passwords.admin}{where}", fg="yellow")
        else:
            click.secho(f"{admin!r} already existed: its password is unchanged (not the generated one).", fg="yellow")
    if demo_credentials.USERS_KEY in passwords.generated:
        if demo_credentials.USERS_KEY in used:
            click.secho(f"Generated password of the demo workflow users: {passwords.users}{where}", fg="yellow")
        if users_existed:
            click.secho(f"Already existed, password unchanged: {', '.join(users_existed)}.", fg="yellow")
    if path and path.is_file() and not passwords.generated:
        click.echo(f"Demo passwords: see {path}")


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


@solok.command("reminders")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Act as on this day.")
@click.option("--digest/--no-digest", default=None, help="Send (or skip) the Walidata's weekly digest today.")
@click.option("--schedule", is_flag=True, help="Only put the daily job on CKAN's queue (run by `ckan jobs worker`).")
def reminders_command(day: Any, digest: bool | None, schedule: bool) -> None:
    """E-mail the schedule reminders now: OPD producers (due soon, overdue) and the Walidata's digest."""
    if schedule:
        queued = reminders.schedule_daily()
        click.echo("Daily reminder job scheduled." if queued else "The daily reminder job is already scheduled.")
        return
    counts = reminders.send(day.date() if day else None, digest)
    click.secho(
        f"{counts['due_soon']} datasets due soon, {counts['overdue']} overdue; e-mails sent: "
        f"{counts['producer_emails']} to producers, {counts['walidata_emails']} to the Walidata.",
        fg="green",
    )


@solok.command("quality")
def quality_command() -> None:
    """Measure and store the quality of every dataset (after a deployment, so that no page waits for it)."""
    ids = [p.id for p in model.Session.query(model.Package.id).filter(model.Package.state == "active")]
    ratings: dict[str, int] = {}
    with click.progressbar(ids, label="Measuring datasets", show_pos=True) as bar:
        for dataset_id in bar:
            dataset = tk.get_action("package_show")({"ignore_auth": True, "user": ""}, {"id": dataset_id})
            rating = quality_score.result(dataset)["rating"]
            ratings[rating] = ratings.get(rating, 0) + 1
    click.secho(", ".join(f"{n} {rating}" for rating, n in sorted(ratings.items())) or "No dataset.", fg="green")


@solok.command("national-fields")
@click.option("--dry-run", is_flag=True, help="Only list the datasets that would change.")
def national_fields_command(dry_run: bool) -> None:
    """Fill the national SDI fields (producer name, national workflow status …) of existing datasets."""
    report = national_migration.migrate(dry_run=dry_run)
    for name in report.changed:
        click.echo(f"  {name}")
    verb = "would change" if dry_run else "changed"
    click.secho(f"{len(report.changed)} of {report.checked} datasets {verb}.", fg="green")
    if report.changed and not dry_run:
        ids = [p.id for p in (model.Package.get(n) for n in report.changed) if p is not None]
        search_reindex.reindex(ids, workers=1)
        click.echo(f"Re-indexed {len(ids)} datasets.")


@solok.command("links")
@click.option("--schedule", is_flag=True, help="Only put the daily job on CKAN's queue (run by `ckan jobs worker`).")
def links_command(schedule: bool) -> None:
    """Check every link of the published and draft datasets now: status, content type, size, format."""
    if schedule:
        queued = link_jobs.schedule_daily()
        click.echo("Daily link check scheduled." if queued else "The daily link check is already scheduled.")
        return
    pairs = link_jobs.all_links()
    with click.progressbar(length=len(pairs), label="Checking links", show_pos=True) as bar:
        counts = link_jobs.check_links(pairs, progress=bar.update)
    click.secho(
        f"{len(pairs)} links checked: {counts['ok']} answer, {counts['broken']} broken, "
        f"{counts['not_checked']} not checked (private address or not HTTP).",
        fg="green",
    )
