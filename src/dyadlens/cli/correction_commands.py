"""Commands for the analyst's corrections and the coder trained from them (docs/learned-coder.md)."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dyadlens.cli.app import MODALITY_CHOICE, App, json_flag, main, opened_store, pass_app
from dyadlens.cli.render import echo_table, emit_json

if TYPE_CHECKING:
    from dyadlens.store.corrections import Correction
    from dyadlens.store.store import Store

def _actor_id(app: App, name: str | None) -> str | None:
    """An actor given by id or by any of its names."""
    if name is None:
        return None
    kb = app.resources().kb
    if kb.get(name) is not None:
        return name
    found = kb.lookup(name)
    if not found:
        raise click.BadParameter(f"{name!r} names no actor of the knowledge base")
    return found[0].id


@main.command("correct")
@click.argument("event_id", required=False)
@click.option("--reject", is_flag=True, help="The event is wrong: no such event in its sentence.")
@click.option("--code", default=None, help="The right CAMEO code (recode, or the code of an added event).")
@click.option("--source", default=None, help="The right source actor (id or name).")
@click.option("--target", default=None, help="The right target actor (id or name).")
@click.option("--modality", default=None, type=MODALITY_CHOICE, help="The right modality.")
@click.option("--add", "add_in", default=None, metavar="DOC:SENTENCE",
              help="Add an event the coders missed, in sentence SENTENCE (its index) of document DOC.")
@click.option("--note", default=None, help="Why (kept with the correction).")
@click.option("--analyst", default=None, envvar="DYADLENS_ANALYST", help="Who (default: $DYADLENS_ANALYST).")
@json_flag
@pass_app
def correct_command(
    app: App, event_id: str | None, reject: bool, code: str | None, source: str | None, target: str | None,
    modality: str | None, add_in: str | None, note: str | None, analyst: str | None, as_json: bool,
) -> None:
    """Correct a coded event: --reject it, recode it (--code, --source, --target, --modality),
    or --add DOC:SENTENCE an event the coders missed. Corrections are kept in the store and
    survive re-ingesting; `dyadlens train` learns from them."""
    from dyadlens.store.corrections import record_correction

    source_id, target_id = _actor_id(app, source), _actor_id(app, target)
    with opened_store(app) as store:
        if add_in is not None:
            correction = _addition(store, add_in, source_id, target_id, code, modality, note)
        else:
            correction = _change(store, event_id, reject, source_id, target_id, code, modality, note)
        saved = record_correction(store, dataclasses.replace(correction, analyst=analyst))
    if app.json_wanted(as_json):
        emit_json(asdict(saved))
    else:
        click.echo(f"recorded {saved.action} {saved.id} ({saved.doc_id} {saved.start}-{saved.end})")


def _addition(store: Store, add_in: str, source: str | None, target: str | None, code: str | None,
              modality: str | None, note: str | None) -> Correction:
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
                      note=note)


def _change(store: Store, event_id: str | None, reject: bool, source: str | None, target: str | None,
            code: str | None, modality: str | None, note: str | None) -> Correction:
    from dyadlens.store.corrections import Correction

    if event_id is None:
        raise click.UsageError("give an EVENT_ID (or --add DOC:SENTENCE)")
    event = store.event(event_id)
    if event is None:
        raise click.ClickException(f"no event {event_id!r} in the store (event ids: 'dyadlens events')")
    if reject:
        return Correction("reject", event.doc_id, event.start, event.end, event.source, event.target, event.code,
                          event.modality, event_id=event.id, note=note)
    if not (code or source or target or modality):
        raise click.UsageError("say what is wrong: --reject, or --code/--source/--target/--modality")
    return Correction("recode", event.doc_id, event.start, event.end, source or event.source,
                      target or event.target, code or event.code, modality or event.modality, event_id=event.id,
                      was_source=event.source, was_target=event.target, was_code=event.code, note=note)


@main.command("corrections")
@click.option("--doc", "doc_id", default=None, help="Only the corrections of this document.")
@click.option("--export", "export_to", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write them to this JSON Lines file (- for stdout), to share with a team.")
@click.option("--import", "import_from", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Add the corrections of such a file that this store lacks, and apply them.")
@json_flag
@pass_app
def corrections_command(
    app: App, doc_id: str | None, export_to: Path | None, import_from: Path | None, as_json: bool
) -> None:
    """The analyst's corrections, oldest first; --export and --import share them as a file."""
    from dyadlens.store.corrections import corrections

    with opened_store(app) as store:
        if import_from is not None:
            added = _import(store, import_from)
            click.echo(f"imported {added} new correction(s) from {import_from}")
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
    echo_table(["id", "created", "analyst", "action", "doc", "span", "source", "target", "code", "modality", "note"],
               [[c.id, c.created, c.analyst, c.action, c.doc_id, f"{c.start}-{c.end}", c.source, c.target, c.code,
                 c.modality, c.note] for c in found])


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
