"""Commands for the analyst's corrections and the coder trained from them (docs/learned-coder.md)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dyadlens.cli.app import MODALITY_CHOICE, App, json_flag, main, opened_store, pass_app
from dyadlens.cli.render import echo_table, emit_json

if TYPE_CHECKING:
    from dyadlens.model import Event
    from dyadlens.store.corrections import Correction
    from dyadlens.store.store import Store

class _EventByDefault(click.Group):
    """``correct`` names a subcommand (``actor``, ``outlet``, ``merge``, ``split``) or, by
    default, an event: ``correct EVENT_ID --reject`` is ``correct event EVENT_ID --reject``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["event", *args]
        return super().parse_args(ctx, args)


def _judgement(command: Callable[..., None]) -> Callable[..., None]:
    """The options every correction takes: why, who, and --json."""
    command = click.option("--note", default=None, help="Why (kept with the correction).")(command)
    command = click.option("--analyst", default=None, envvar="DYADLENS_ANALYST",
                           help="Who (default: $DYADLENS_ANALYST).")(command)
    return json_flag(command)


def _record(app: App, store: Store, found: list[Correction], analyst: str | None, as_json: bool) -> None:
    from dyadlens.store.corrections import record_correction

    saved = [record_correction(store, dataclasses.replace(c, analyst=analyst)) for c in found]
    if app.json_wanted(as_json):
        emit_json(asdict(saved[0]) if len(saved) == 1 else [asdict(c) for c in saved])
        return
    for c in saved:
        where = f"{c.doc_id} {c.start}-{c.end}" if c.doc_id else "the whole store"
        click.echo(f"recorded {c.action} {c.id} ({where})")


def _actor_id(app: App, store: Store, name: str | None) -> str | None:
    """An actor given by id or by any of its names (analysis.actors.resolve_actor)."""
    from dyadlens.analysis.actors import resolve_actor

    return None if name is None else resolve_actor(store, app.resources().kb, name)


def _event(store: Store, event_id: str) -> Event:
    event = store.event(event_id)
    if event is None:
        raise click.ClickException(f"no event {event_id!r} in the store (event ids: 'dyadlens events')")
    return event


@main.group("correct", cls=_EventByDefault)
def correct_group() -> None:
    """Correct the coded data; the corrections are kept in the store, keyed on evidence, and
    survive re-ingesting (docs/corrections.md).

    \b
    correct EVENT_ID --reject | --code/--source/--target/--modality/--date
    correct --add DOC:SENTENCE --source A --target B --code C
    correct merge EVENT OTHER | correct split EVENT OTHER
    correct actor merge A B | correct actor alias NAME ACTOR
    correct outlet DOC OUTLET
    """


@correct_group.command("event")
@click.argument("event_id", required=False)
@click.option("--reject", is_flag=True, help="The event is wrong: no such event in its sentence.")
@click.option("--code", default=None, help="The right CAMEO code (recode, or the code of an added event).")
@click.option("--source", default=None, help="The right source actor (id or name).")
@click.option("--target", default=None, help="The right target actor (id or name).")
@click.option("--modality", default=None, type=MODALITY_CHOICE, help="The right modality.")
@click.option("--date", default=None, help="The right date of the event (YYYY, YYYY-MM, YYYY-MM-DD).")
@click.option("--add", "add_in", default=None, metavar="DOC:SENTENCE",
              help="Add an event the coders missed, in sentence SENTENCE (its index) of document DOC.")
@_judgement
@pass_app
def correct_command(
    app: App, event_id: str | None, reject: bool, code: str | None, source: str | None, target: str | None,
    modality: str | None, date: str | None, add_in: str | None, note: str | None, analyst: str | None,
    as_json: bool,
) -> None:
    """Correct a coded event: --reject it, recode it (--code, --source, --target, --modality),
    redate it (--date), or --add DOC:SENTENCE an event the coders missed. `dyadlens train`
    learns from them."""
    from dyadlens.store.corrections import event_corrections

    with opened_store(app) as store:
        source_id, target_id = _actor_id(app, store, source), _actor_id(app, store, target)
        if add_in is not None:
            found = [_addition(store, add_in, source_id, target_id, code, modality, date, note)]
        elif event_id is None:
            raise click.UsageError("give an EVENT_ID (or --add DOC:SENTENCE)")
        else:
            found = event_corrections(_event(store, event_id), reject=reject, code=code, source=source_id,
                                      target=target_id, modality=modality, date=date, note=note)
        _record(app, store, found, analyst, as_json)


def _addition(store: Store, add_in: str, source: str | None, target: str | None, code: str | None,
              modality: str | None, date: str | None, note: str | None) -> Correction:
    from dyadlens.partial_dates import check_date
    from dyadlens.store.corrections import Correction

    doc_id, _, number = add_in.rpartition(":")
    if not (doc_id and number.isdigit()):
        raise click.BadParameter(f"{add_in!r}: expected DOC:SENTENCE", param_hint="--add")
    if not (source and target and code):
        raise click.UsageError("--add needs --source, --target and --code")
    sentences = store.sentences(doc_id)
    if not 0 <= int(number) < len(sentences):
        raise click.BadParameter(f"{add_in!r}: no such sentence (see 'dyadlens show {doc_id}')", param_hint="--add")
    sentence = sentences[int(number)]
    return Correction("add", doc_id, sentence.start, sentence.end, source, target, code, modality or "asserted",
                      note=note, date=check_date(date, "--date"))


def _report_link_command(action: str, meaning: str) -> None:
    @correct_group.command(action, help=f"EVENT and OTHER {meaning} (the event clusters follow it).")
    @click.argument("event_id")
    @click.argument("other_id")
    @_judgement
    @pass_app
    def link(app: App, event_id: str, other_id: str, note: str | None, analyst: str | None, as_json: bool) -> None:
        from dyadlens.store.corrections import report_link

        with opened_store(app) as store:
            found = report_link(action, _event(store, event_id), _event(store, other_id), note)
            _record(app, store, [found], analyst, as_json)


_report_link_command("merge", "are two reports of the same real event")
_report_link_command("split", "are reports of two different events")


@correct_group.command("outlet")
@click.argument("doc_id")
@click.argument("outlet")
@_judgement
@pass_app
def correct_outlet(app: App, doc_id: str, outlet: str, note: str | None, analyst: str | None, as_json: bool) -> None:
    """The document DOC_ID was published by OUTLET."""
    from dyadlens.store.corrections import outlet_correction

    with opened_store(app) as store:
        if store.document(doc_id) is None:
            raise click.ClickException(f"no document {doc_id!r} in the store (see 'dyadlens docs')")
        if not outlet.strip():
            raise click.BadParameter("an outlet needs a name", param_hint="OUTLET")
        _record(app, store, [outlet_correction(doc_id, outlet, note)], analyst, as_json)


@correct_group.group("actor")
def correct_actor() -> None:
    """Corrections of actors, for every document of the store."""


@correct_actor.command("merge")
@click.argument("actor")
@click.argument("into")
@_judgement
@pass_app
def correct_actor_merge(app: App, actor: str, into: str, note: str | None, analyst: str | None,
                        as_json: bool) -> None:
    """ACTOR is INTO: its events, mentions, quotes and designations become INTO's, in every document."""
    from dyadlens.store.corrections import store_correction

    with opened_store(app) as store:
        found = store_correction("actor_merge", str(_actor_id(app, store, actor)), str(_actor_id(app, store, into)),
                                 note)
        _record(app, store, [found], analyst, as_json)


@correct_actor.command("alias")
@click.argument("name")
@click.argument("actor")
@_judgement
@pass_app
def correct_actor_alias(app: App, name: str, actor: str, note: str | None, analyst: str | None,
                        as_json: bool) -> None:
    """NAME, a name the KB does not know (an unresolved actor), is ACTOR in this store."""
    from dyadlens.model import unresolved_id
    from dyadlens.store.corrections import store_correction

    with opened_store(app) as store:
        unresolved = unresolved_id(name)
        if store.actor(unresolved) is None:
            raise click.ClickException(f"{name!r} is no unresolved name of this store (see 'dyadlens actors')")
        found = store_correction("actor_alias", unresolved, str(_actor_id(app, store, actor)), note)
        _record(app, store, [found], analyst, as_json)


@main.command("corrections")
@click.option("--doc", "doc_id", default=None, help="Only the corrections of this document.")
@click.option("--export", "export_to", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write them to this JSON Lines file (- for stdout), to share with a team.")
@click.option("--import", "import_from", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Add the corrections of such a file that this store lacks, and apply them.")
@click.option("--training", "training_to", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the corrected sentences as .dyad training sources (one per document) into this folder.")
@json_flag
@pass_app
def corrections_command(
    app: App, doc_id: str | None, export_to: Path | None, import_from: Path | None, training_to: Path | None,
    as_json: bool,
) -> None:
    """The analyst's corrections, oldest first; --export and --import share them as a file,
    --training writes the corrected sentences in the learned coder's training format."""
    from dyadlens.store.corrections import corrections

    with opened_store(app) as store:
        if import_from is not None:
            added = _import(store, import_from)
            click.echo(f"imported {added} new correction(s) from {import_from}")
            return
        if training_to is not None:
            _write_training(app, store, training_to)
            return
        found = corrections(store, doc_id)
    if export_to is not None:
        lines = "".join(json.dumps(asdict(c), ensure_ascii=False) + "\n" for c in found)
        if str(export_to) == "-":
            click.echo(lines, nl=False)
        else:
            export_to.write_text(lines, encoding="utf-8")
        return
    if app.json_wanted(as_json):
        emit_json([asdict(c) for c in found])
        return
    echo_table(["id", "created", "analyst", "action", "doc", "span", "source", "target", "code", "modality", "date",
                "value", "note"],
               [[c.id, c.created, c.analyst, c.action, c.doc_id or "(store)", f"{c.start}-{c.end}", c.source,
                 c.target, c.code, c.modality, c.date, c.value, c.note] for c in found])


def _write_training(app: App, store: Store, folder: Path) -> None:
    from dyadlens.exports.training import training_sources

    kb = app.resources().kb

    def canonical(actor_id: str) -> str:
        stored = store.actor(actor_id)
        if kb.get(actor_id) is not None:
            return str(kb.ref(actor_id).name)
        return str(stored.name) if stored is not None else actor_id

    export = training_sources(store, canonical)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in export.sources.items():
        (folder / name).write_text(text, encoding="utf-8")
    click.echo(f"wrote {export.sentences} corrected sentence(s) in {len(export.sources)} source(s) to {folder}"
               + (f"; left out {export.skipped} the format cannot hold" if export.skipped else ""))


def _import(store: Store, path: Path) -> int:
    from dyadlens.store.corrections import Correction, CorrectionError, import_corrections

    try:
        found = [Correction(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line]
        return import_corrections(store, found)
    except (ValueError, TypeError, CorrectionError) as error:
        raise click.ClickException(f"{path}: not a corrections file ({error})") from error


@main.command("train")
@click.option("--epochs", default=2, show_default=True, type=click.IntRange(min=0))
@click.option("--holdout", default=0.3, show_default=True, type=click.FloatRange(0.05, 0.9),
              help="Share of the corrected sentences held out to compare the coders.")
@click.option("--corpus", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The compiled training corpus trained beside the corrections (default: training/train.jsonl "
              "of the source checkout).")
@click.option("--corpus-share", default=1.0, show_default=True, type=click.FloatRange(0.0, 1.0),
              help="Share of that corpus to train on (0: the corrections alone).")
@json_flag
@pass_app
def train_command(app: App, epochs: int, holdout: float, corpus: Path | None, corpus_share: float,
                  as_json: bool) -> None:
    """Fine-tune the learned coder on this store's corrections (needs the train extra: torch).

    The new weights are installed for this store only if they label the held-out corrections
    better than the coder it uses now; the report says both scores."""
    try:
        from dyadlens.learned.tuning import REPOSITORY_CORPUS, TuningSettings, tune
    except ImportError as error:
        raise click.ClickException(f"training needs the train extra (torch): {error}") from error
    settings = TuningSettings(epochs=epochs, holdout=holdout, corpus_share=corpus_share)
    log = (lambda line: None) if app.json_wanted(as_json) or app.quiet else click.echo
    with opened_store(app) as store:
        try:
            report = tune(store, settings, corpus or REPOSITORY_CORPUS, log)
        except ValueError as error:
            raise click.ClickException(str(error)) from error
    if app.json_wanted(as_json):
        emit_json(report)
        return
    verdict = "installed for this store" if report["installed"] else "not installed (no better)"
    click.echo(f"held-out pairs: {report['held_out_pairs']}; current coder {report['current']:.3f}, "
               f"new {report['new']:.3f}: {verdict}")
