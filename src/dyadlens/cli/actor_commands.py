"""Actors: ``actors``, ``actor``, ``kb-check``, ``profile``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from dyadlens.cli.app import App, analysis, count_option, json_flag, main, pass_app
from dyadlens.cli.render import echo_table, emit_json, emit_view, hanging, terminal_safe

if TYPE_CHECKING:
    from dyadlens.analysis.profile import ActorIdentity


@main.command("actors")
@click.option("--unresolved", is_flag=True, help="List names the KB does not know, most frequent first.")
@click.option(
    "--type", "actor_type", default=None, metavar="T",
    help="Only actors of this type (state, armed_group, ...; person: the persons who act for them).",
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most this many rows.")
@json_flag
@pass_app
def actors_command(app: App, unresolved: bool, actor_type: str | None, limit: int | None, as_json: bool) -> None:
    """List the actors in the store, most mentioned first.

    With mention and document counts and the first and last document dates.
    """
    from dataclasses import asdict

    from dyadlens.analysis.actors import actor_table

    with analysis(app) as ctx:
        rows = actor_table(ctx.store, unresolved=unresolved, actor_type=actor_type, kb=ctx.kb)[:limit]
    if app.json_wanted(as_json):
        emit_json([asdict(r) for r in rows])
        return
    if not rows:
        click.echo("no unresolved names" if unresolved else "no actors")
        return
    headers = ["id", "name", "type", "mentions", "docs", "first", "last"]
    echo_table(headers, [[r.id, r.name, r.type, r.mentions, r.documents, r.first, r.last] for r in rows])


@main.command("actor")
@click.argument("name")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Mentions shown.")
@json_flag
@pass_app
def actor_command(app: App, name: str, limit: int, as_json: bool) -> None:
    """One actor by id, name or alias: KB entry and mentions in context."""
    from dyadlens.analysis.actors import UnknownActorError
    from dyadlens.analysis.profile import actor_identity

    with analysis(app) as ctx:
        try:
            actor_id = ctx.resolve_actor(name)
        except UnknownActorError as error:
            raise click.ClickException(f"no actor, person or unresolved name matches {name!r}") from error
        identity = actor_identity(ctx, actor_id, limit=limit)
    if app.json_wanted(as_json):
        emit_json(identity.to_dict())
        return
    for line in _actor_identity_lines(identity):
        click.echo(hanging(line))


def _actor_identity_lines(identity: ActorIdentity) -> list[str]:
    state = "" if identity.resolved else " (unresolved)"
    lines = [f"{identity.name} [{identity.id}] {identity.type}{state}"]
    named = (("aliases", identity.aliases), ("demonyms", identity.demonyms), ("metonyms", identity.metonyms))
    for label, values in named:
        if values:
            lines.append(f"  {label}: {', '.join(values)}")
    if identity.capital:
        lines.append(f"  capital: {identity.capital}")
    for role in identity.roles:
        lines.append(f"  role: {role['role'] or '?'} for {role['actor']} ({_period(role)})")
    for person in identity.people:
        lines.append(f"  person: {person['name']} [{person['id']}], {person['role'] or '?'} ({_period(person)})")
    lines.append(f"  mentions shown: {len(identity.mentions)}")
    for m in identity.mentions:
        context = terminal_safe(f"…{m.before}[{m.text}]{m.after}…")
        lines.append(f"  {m.doc_id} {m.published or '?'} @{m.start} ({m.rule}): {context}")
    return lines


def _period(office: dict[str, Any]) -> str:
    return f"{office['from'] or '?'} to {office['until'] or 'now'}"


@main.command("kb-check")
@json_flag
@pass_app
def kb_check_command(app: App, as_json: bool) -> None:
    """Validate the knowledge base and list aliases shared by several actors.

    Loads the built-in KB plus any --kb files, exactly as ingest would.
    """
    from dataclasses import asdict

    from dyadlens.errors import DataFileError
    from dyadlens.kb.check import kb_check

    try:
        report = kb_check(app.kb_files)
    except DataFileError as exc:
        raise click.ClickException(str(exc)) from exc
    if app.json_wanted(as_json):
        emit_json(asdict(report))
        return
    types = ", ".join(f"{n} {t}" for t, n in report.by_type.items())
    summary = f"KB OK: {report.entities} entities ({types}), {report.agents} agent entries, {len(report.files)} files"
    click.echo(hanging(summary, "  "))
    for warning in report.warnings:
        click.echo(f"warning: {warning}")
    click.echo(f"aliases shared by several actors: {len(report.collisions)}")
    for collision in report.collisions:
        click.echo(f"  {collision.alias!r}: {', '.join(collision.ids)}")


@main.command("profile")
@click.argument("actor")
@count_option
@json_flag
@pass_app
def profile_command(app: App, actor: str, count: str, as_json: bool) -> None:
    """An actor's profile from the events, quotes and designations.

    Aliases and roles (KB), events by CAMEO root as source and as target, partners,
    designations and their status, quotes by and about the actor.
    """
    from dyadlens.analysis.profile import actor_profile
    from dyadlens.cli.text_views import profile_text

    with analysis(app) as ctx:
        emit_view(app.json_wanted(as_json), actor_profile(ctx, ctx.resolve_actor(actor), count=count), profile_text)
