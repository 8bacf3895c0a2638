"""Events, quotes, designations: ``events``, ``explain``, ``quotes``, ``status``, ``designations``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from dyadlens.cli.analysis_commands import page_options, say_window
from dyadlens.cli.app import (
    MODALITY_CHOICE,
    App,
    analysis,
    count_option,
    date_option,
    json_flag,
    known_document,
    main,
    opened_store,
    pass_app,
)
from dyadlens.cli.render import emit_json, hanging, terminal_safe, wrapped

if TYPE_CHECKING:
    from dyadlens.analysis.common import EventRow, QuoteRow, ReportRow


@main.command("events")
@click.option("--source", default=None, metavar="ACTOR", help="Source actor (name, alias or id).")
@click.option("--target", default=None, metavar="ACTOR", help="Target actor (name, alias or id).")
@click.option("--code", default=None, metavar="CAMEO", help="CAMEO code or prefix (08 finds 081, 0831...).")
@click.option("--modality", default=None, type=MODALITY_CHOICE, help="Only events with this modality.")
@date_option("--since", "Events dated on or after (YYYY, YYYY-MM, YYYY-MM-DD).")
@date_option("--until", "Events dated on or before.")
@click.option("--doc", "doc_id", default=None, metavar="ID", help="Only events of this document.")
@page_options(None, "events")
@count_option
@click.option("--reports", "show_reports", is_flag=True, help="List each event's reports under it.")
@json_flag
@pass_app
def events_command(
    app: App, source: str | None, target: str | None, code: str | None, modality: str | None, since: str | None,
    until: str | None, doc_id: str | None, limit: int | None, offset: int, count: str, show_reports: bool,
    as_json: bool,
) -> None:
    """List coded events with their evidence sentences.

    Each event: id, date, source, CAMEO code, target, modality, and the sentence it comes from;
    a real event told several times is one row (its lead report) with its counts (--reports lists
    them; --count reports lists every report, standing facts included).
    """
    from dyadlens.analysis.events import list_events
    from dyadlens.store import EventQuery

    with analysis(app) as ctx:
        known_document(app, ctx.store, doc_id)
        query = EventQuery(
            source=ctx.resolve_actor(source) if source else None,
            target=ctx.resolve_actor(target) if target else None,
            code=code,
            modalities=(modality,) if modality else None,
            since=since,
            until=until,
            doc_id=doc_id,
            count=count,
        )
        rows, window = list_events(ctx, query, limit=limit, offset=offset)
    if app.json_wanted(as_json):
        emit_json([row.as_listing() for row in rows])
        return
    for row in rows:
        click.echo(_event_line(row))
        if show_reports and len(row.reports) > 1:
            click.echo("\n".join(_report_line(report) for report in row.reports))
    say_window(app, window, count)


def _event_line(row: EventRow) -> str:
    source = row.source_name or row.source or "-"
    target = row.target_name or row.target or "-"
    claim = f" (claimed by {row.claimant_name})" if row.claimant else ""
    code = f"{row.code} {row.code_name}"
    observed = "observation: " if row.kind == "observation" else ""
    told = f"  ({row.counts_text})" if row.counts_text else ""
    head = f"{row.id}  {row.date or 'undated'}  {observed}{source} -> {code} -> {target}  [{row.modality}]{claim}{told}"
    return f"{hanging(head, ' ' * (len(row.id) + 2))}\n{wrapped(f'{row.doc_id}: {row.evidence.text}')}"


def _report_line(report: ReportRow) -> str:
    """One report of an event, indented under it: outlet, publication date, its own date and modality, sentence."""
    head = f"      - {report.outlet or report.doc_id}, {report.published or 'undated'}: {report.date or 'undated'}"
    return f"{head} [{report.modality}]\n{wrapped(report.evidence.text, ' ' * 8)}"


@main.command("explain")
@click.argument("event_id")
@json_flag
@pass_app
def explain_command(app: App, event_id: str, as_json: bool) -> None:
    """Show how one event was coded.

    The mentions behind each actor, the trigger and the verb-dictionary entry, the CAMEO code,
    the modality cue, the date rule and the claimant.
    """
    from dyadlens.analysis.events import explain_event

    with opened_store(app) as store:
        explanation = explain_event(store, app.resources(), event_id)
    if explanation is None:
        raise click.ClickException(f"no event {event_id!r} in {app.db} (event ids: 'dyadlens events')")
    payload = explanation.as_dict()
    if app.json_wanted(as_json):
        emit_json(payload)
        return
    claimant = payload.get("claimant")
    payload["claimant_name"] = app.resources().kb.display_name(claimant) if claimant else None
    for line in _explain_lines(payload):
        click.echo(hanging(line))


def _explain_lines(p: dict[str, Any]) -> list[str]:
    lines = [f"event {p['event']} in {p['doc']}", f"  sentence: {' '.join(p['sentence'].split())}"]
    for side in ("source", "target"):
        actor = p[side]
        found = "; ".join(f"{m['text']!r} ({m['label']}, rule {m['rule']})" for m in actor["mentions"])
        found = found or "none in the sentence"
        lines.append(f"  {side}: {actor['name'] or actor['id']} [{actor['id']}] <- mentions: {found}")
    trigger, entry, code = p["trigger"], p["dictionary_entry"], p["code"]
    note = f" ({entry['note']})" if entry["note"] else ""
    lines.append(f"  trigger: {trigger['text']!r} (route: {_routes(trigger)})")
    lines.append(f"  dictionary entry: {entry['id']} {entry['pattern'] or ''}{note}")
    lines.append(
        f"  code: {code['code']} {code.get('name')} | root {code.get('root')} {code.get('root_name')} | "
        f"Goldstein {code.get('goldstein')} | quad class {code.get('quad_class')} {code.get('quad_class_name')}"
        f" | PLOVER {code.get('plover') or '-'}"
    )
    lines.append(f"  modality: {p['modality']['value']} (cue: {p['modality']['cue'] or 'none: asserted by default'})")
    date = p["date"]
    quoted = f", from {date['text']!r})" if date["text"] else ")"
    lines.append(f"  date: {date['value'] or 'none'} (rule {date['rule']}{quoted}")
    lines.append(f"  claimant: {p['claimant_name'] or 'the author'}")
    lines.append(f"  coder: {p['coder']}, score {p['confidence']}")
    return lines


def _routes(trigger: dict[str, Any]) -> str:
    """How the trigger's arguments were found: ``subject; source subject, target object~agent``."""
    sides = ", ".join(f"{side} {trigger[f'{side}_route']}" for side in ("source", "target") if trigger[f"{side}_route"])
    return f"{trigger['route'] or 'none'}; {sides}" if sides else trigger["route"] or "none"


@main.command("quotes")
@click.option("--speaker", default=None, metavar="NAME", help="Speaker name as stored (e.g. 'Zamir Kabulov').")
@click.option("--actor", default=None, metavar="ACTOR", help="Actor the speaker acts for (name, alias or id).")
@click.option("--doc", "doc_id", default=None, metavar="ID", help="Only quotes of this document.")
@click.option("--kind", default=None, type=click.Choice(["direct", "indirect"]), help="Only direct or reported quotes.")
@click.option("--limit", default=None, type=click.IntRange(min=1), help="At most this many quotes.")
@json_flag
@pass_app
def quotes_command(
    app: App, speaker: str | None, actor: str | None, doc_id: str | None, kind: str | None, limit: int | None,
    as_json: bool,
) -> None:
    """List quotations: speaker, role, actor, kind, the words, outlet and date."""
    from dyadlens.analysis.common import to_jsonable
    from dyadlens.analysis.quotes import list_quotes

    with analysis(app) as ctx:
        known_document(app, ctx.store, doc_id)
        actor_id = ctx.resolve_actor(actor) if actor else None
        rows = list_quotes(ctx, speaker=speaker, actor_id=actor_id, doc_id=doc_id, kind=kind, limit=limit)
    if app.json_wanted(as_json):
        emit_json(to_jsonable(rows))
        return
    for row in rows:
        role = f", {row.speaker_role}" if row.speaker_role else ""
        actor_shown = row.speaker_name or row.speaker_actor or "-"
        click.echo(hanging(f"{row.speaker or '?'}{role} [{actor_shown}] ({row.kind}, {row.cue or '-'})"))
        click.echo(wrapped(_quoted(row)))
        click.echo(f"    {terminal_safe(row.outlet or row.doc_id)}, {row.published or 'undated'}")
    if not app.quiet:
        click.echo(f"{len(rows)} quotes", err=True)


def _quoted(row: QuoteRow) -> str:
    words = " ".join(row.text.split())
    return f"“{words}”" if row.kind == "direct" else f"(reported) {words}"


@main.command("status")
@click.argument("designator")
@click.argument("designee")
@date_option("--as-of", "Only the status in force on DATE (YYYY, YYYY-MM, YYYY-MM-DD).")
@json_flag
@pass_app
def status_command(app: App, designator: str, designee: str, as_of: str | None, as_json: bool) -> None:
    """Designation status of DESIGNEE by DESIGNATOR: one track per kind of status.

    Each track (terrorist listing, recognition, ambassador accreditation) is a sequence of
    steps: a state with the date it began, or a pending proposal or promise, each with how
    many reports and observations back it and from which sources. With --as-of: the state in
    force on DATE on each track, and the proposals still open then.
    """
    from dyadlens.analysis.status import pair_status
    from dyadlens.cli.text_views import status_text
    from dyadlens.terminal_safety import escape_for_terminal

    kb = app.resources().kb
    with analysis(app) as ctx:
        status = pair_status(ctx.store, kb, ctx.resolve_actor(designator), ctx.resolve_actor(designee), as_of=as_of)
    if app.json_wanted(as_json):
        emit_json(status.as_dict())
        return
    click.echo(escape_for_terminal(status_text(status, kb.display_name)))


@main.command("designations")
@click.option("--designator", default=None, metavar="ACTOR", help="Only designations by this actor.")
@click.option("--designee", default=None, metavar="ACTOR", help="Only designations of this actor.")
@click.option("--status", default=None, help="Only this status (listed, delisted, recognized, ...).")
@click.option("--year", default=None, metavar="YYYY", help="Only designations dated in this year.")
@click.option("--standing", default=None, type=click.Choice(["act", "standing"]),
              help="Only acts, or only standing facts (the status observed).")
@click.option("--sort", default="date", show_default=True, help="date, published or status; a leading - reverses.")
@page_options(25, "designations")
@json_flag
@pass_app
def designations_command(app: App, designator: str | None, designee: str | None, status: str | None,
                         year: str | None, standing: str | None, sort: str, limit: int, offset: int,
                         as_json: bool) -> None:
    """List designation reports, as /designations does: date, designator, status, designee, source."""
    from dyadlens.analysis.common import to_jsonable
    from dyadlens.analysis.explorers.designations import explore_designations

    filters = {"designator": designator, "designee": designee, "status": status, "year": year, "standing": standing}
    with analysis(app) as ctx:
        listing = explore_designations(ctx, filters, sort=sort, limit=limit, offset=offset, with_facets=False)
    if app.json_wanted(as_json):
        emit_json(to_jsonable(listing.rows))
        return
    for entry in listing.rows:
        d = entry.designation
        observed = " (observed)" if entry.standing else ""
        click.echo(hanging(f"{d.date or 'undated'}  {d.designator_name or d.designator} {d.status}{observed} "
                           f"{d.designee_name or d.designee}"))
        click.echo(wrapped(" ".join(d.evidence.text.split())))
        click.echo(f"    {terminal_safe(d.outlet or d.doc_id)}, {d.published or 'undated'}")
    say_window(app, listing.window, "designations", as_json)
