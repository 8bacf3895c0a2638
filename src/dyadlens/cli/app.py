"""The root of the ``dyadlens`` command: the shared :class:`App`, the group and its global
options, and what every command module uses to read its options and open the store.

Library modules are imported inside the functions that need them, so that
``dyadlens --help`` and a command's ``--help`` load no spaCy, SQLAlchemy or KB.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
import platformdirs

from dyadlens import __version__
from dyadlens.model import MODALITIES

if TYPE_CHECKING:
    from dyadlens.analysis.common import AnalysisContext
    from dyadlens.pipeline import PipelineConfig
    from dyadlens.resources import Resources
    from dyadlens.store import Store

#: A command function, as click's decorators take and give it.
_Command = TypeVar("_Command", bound=Callable[..., Any])

#: ``--modality`` of the commands that list events: one modality.
MODALITY_CHOICE = click.Choice(MODALITIES)
#: ``--modality`` of the analysis views: the modalities, or ``any`` for no filter.
ANALYSIS_MODALITIES = click.Choice([*MODALITIES, "any"])


def default_db_path() -> Path | StoreURL:
    """``$DYADLENS_DB``, else a file in the user's data directory."""
    env = os.environ.get("DYADLENS_DB")
    if env:
        return store_location(env)
    return Path(platformdirs.user_data_dir("dyadlens")) / "dyadlens.db"


@dataclass(frozen=True)
class StoreURL:
    """A store on a database server, ``--db postgresql://user@host/db`` (docs/team-store.md); shown
    without its password."""

    url: str

    @property
    def name(self) -> str:
        return self.url.rsplit("/", 1)[-1].split("?", 1)[0]

    def exists(self) -> bool:
        """Whether the store is there: the server says when it is opened."""
        return True

    def __str__(self) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)


def store_location(value: str) -> Path | StoreURL:
    """``--db``: a database URL (``postgresql://…``) or a SQLite file path."""
    return StoreURL(value) if "://" in value else Path(value)


@dataclass
class App:
    """Options shared by every command, built once by the root group."""

    db: Path | StoreURL
    as_json: bool = False
    quiet: bool = False
    kb_files: tuple[Path, ...] = ()
    #: --coder: the learned stage's mode for this run (None: the pipeline config's)
    coder: str | None = None
    _resources: Resources | None = field(default=None, repr=False)

    def store(self, create: bool = True, read_only: bool = False) -> Store:
        """Open the store; a store that cannot be opened is a clean CLI error."""
        from dyadlens.errors import StoreError
        from dyadlens.store import open_store

        if (read_only or not create) and not self.db.exists():
            raise click.ClickException(f"no store at {self.db}: run 'dyadlens ingest' first")
        try:
            return open_store(self.db.url if isinstance(self.db, StoreURL) else self.db, read_only=read_only)
        except StoreError as error:
            raise click.ClickException(str(error)) from error

    def resources(self) -> Resources:
        if self._resources is None:
            from dyadlens.resources import Resources

            self._resources = Resources(kb_files=self.kb_files)
        return self._resources

    def json_wanted(self, as_json: bool) -> bool:
        """Whether to answer in JSON: ``--json`` after the command name or before it."""
        return as_json or self.as_json


pass_app = click.make_pass_decorator(App)

#: ``--json`` after a command name, as well as before it (the root option).
json_flag = click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON output.")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="dyadlens")
@click.option(
    "--db",
    default=None,
    help="Store file, or a PostgreSQL URL postgresql://user@host/db (default: $DYADLENS_DB or the user data "
    "directory).",
)
@json_flag
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary chatter.")
@click.option(
    "--kb",
    "kb_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Extra KB file that adds or overrides actors (repeatable).",
)
@click.option(
    "--coder",
    type=click.Choice(["rules", "model", "hybrid"]),
    default=None,
    help="Which event coder: the rules, the learned model, or both (docs/learned-coder.md); "
    "default: the pipeline config's.",
)
@click.pass_context
def main(
    ctx: click.Context, db: str | None, as_json: bool, quiet: bool, kb_files: tuple[Path, ...], coder: str | None
) -> None:
    """dyadlens: who did what to whom, with the sentence that says so."""
    location = store_location(db) if db else default_db_path()
    ctx.obj = App(db=location, as_json=as_json, quiet=quiet, kb_files=kb_files, coder=coder)


def run() -> None:
    """Console entry point: a closed pipe (``dyadlens export - | head``) is not an error."""
    try:
        main()
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)


# --- shared options ------------------------------------------------------------


def _check_date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A date option's value, refused early (one clean line) unless it is YYYY, YYYY-MM or YYYY-MM-DD."""
    from dyadlens.partial_dates import InvalidDateError, check_date

    try:
        return check_date(value, f"--{param.name}".replace("_", "-"))
    except InvalidDateError as error:
        raise click.BadParameter(f"{value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)") from error


def date_option(name: str, help_text: str) -> Callable[[_Command], _Command]:
    return click.option(name, default=None, metavar="DATE", callback=_check_date_option, help=help_text)


pipeline_option = click.option(
    "--pipeline",
    "pipeline_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A pipeline config (TOML) to run instead of the default; see docs/architecture.md.",
)


def checked_pipeline(
    pipeline_file: Path | None,
    upto: str | None,
    without: Sequence[str] = (),
    settings: Sequence[str] = (),
    coder: str | None = None,
) -> PipelineConfig | None:
    """The pipeline config of --pipeline (None: the default), with the stages of --without left
    out, the options of --set set and the learned stage in the mode of --coder, checked before
    any input is read."""
    from dyadlens.pipeline import PipelineConfig, PipelineConfigError, planned_stages

    try:
        config = PipelineConfig.from_file(pipeline_file) if pipeline_file else None
        if coder is not None:
            settings = (f'learned.mode="{coder}"', *settings)
        if without or settings:
            config = _varied(config or PipelineConfig.default(), without, settings)
        planned_stages(config or PipelineConfig.default(), upto)
    except PipelineConfigError as error:
        raise click.UsageError(str(error)) from None
    return config


def _varied(config: PipelineConfig, without: Sequence[str], settings: Sequence[str]) -> PipelineConfig:
    """``config`` less the stages named in ``without``, with each ``STAGE.OPTION=VALUE`` of ``settings``
    (VALUE in TOML: ``false``, ``3``, ``"text"``; a bare word is taken as text)."""
    import tomllib

    from dyadlens.pipeline import PipelineConfigError

    for name in without:
        config = config.without(name)
    for setting in settings:
        target, equals, raw = setting.partition("=")
        stage, dot, option = target.partition(".")
        if not (equals and dot and stage and option):
            raise PipelineConfigError(f"--set {setting!r}: expected STAGE.OPTION=VALUE")
        try:
            value = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw
        config = config.with_option(stage, option, value)
    return config


def with_store_coder(config: PipelineConfig | None, store: Store) -> PipelineConfig | None:
    """The config with the learned stage reading the store's own coder weights, when
    ``dyadlens train`` installed some there and the config names no weights of its own."""
    from dyadlens.learned.tuning import store_weights_file
    from dyadlens.pipeline import PipelineConfig

    effective = config or PipelineConfig.default()
    learned = [s for s in effective.stages if s.name == "learned"]
    if not learned or learned[0].options.get("weights"):
        return config
    path = store_weights_file(store)
    return config if path is None else effective.with_option("learned", "weights", str(path))


without_option = click.option(
    "--without", "without", multiple=True, metavar="STAGE",
    help="Leave this stage out of the pipeline (repeatable): what does it add?",
)
set_option = click.option(
    "--set", "settings", multiple=True, metavar="STAGE.OPTION=VALUE",
    help="Set one option of a stage (repeatable), e.g. --set timeline.lead_events_published=false.",
)


#: ``--count`` of the views that count or list events: each real event once, or every report.
count_option = click.option(
    "--count", "count", type=click.Choice(["events", "reports"]), default="events", show_default=True,
    help="Count each real event once (its reports merged) or every report (docs/analysis.md).",
)


# --- the store and what commands look up in it -----------------------------------------


@contextmanager
def opened_store(app: App, create: bool = False) -> Iterator[Store]:
    """The store, closed afterwards; its errors become one clean message."""
    from dyadlens.errors import DyadlensError

    try:
        store = app.store(create=create)
    except DyadlensError as error:
        raise click.ClickException(str(error)) from error
    try:
        yield store
    except DyadlensError as error:
        raise click.ClickException(str(error)) from error
    finally:
        store.close()


@contextmanager
def analysis(app: App) -> Iterator[AnalysisContext]:
    """An analysis context over the existing store; library errors become CLI errors."""
    from dyadlens.analysis.common import AnalysisContext
    from dyadlens.errors import DyadlensError

    store = app.store(create=False)
    try:
        resources = app.resources()
        yield AnalysisContext(store, resources.ontology, resources.kb)
    except DyadlensError as error:
        raise click.ClickException(str(error)) from error
    finally:
        store.close()


def known_document(app: App, store: Store, doc_id: str | None) -> None:
    """Refuse a --doc that names no stored document (rather than answer with nothing)."""
    if doc_id is not None and store.document(doc_id) is None:
        raise click.ClickException(f"no document {doc_id!r} in {app.db} (see 'dyadlens docs')")
