"""The pipeline: a pure function from one raw input to its records.

``Pipeline(raw) -> DocumentRecords`` reads the input, then runs its
components in order over a :class:`~dyadlens.state.DocState`. Components
never touch the store, the terminal or the network; everything they need
(the KB, the ontology, the spaCy model, the verb dictionary) is handed to
them through :class:`~dyadlens.resources.Resources` when they are built. That
is what lets a distributed runner map the same pipeline over millions of
documents.

Which components run, in which order, is a config (:class:`PipelineConfig`,
a TOML file; the default is ``pipeline.toml`` beside this module): each stage
names a factory of :mod:`dyadlens.registry`. :func:`build_pipeline` checks,
before any document is read, that each stage's requirements are assigned by
an earlier stage.

A component is any object with ``name``, ``version`` and
``__call__(state) -> None`` that adds records to the state. Its ``version``
goes into the ids of the records it makes, so changing an extractor changes
the ids of what it produces and nothing else.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dyadlens import components as _builtin_components  # noqa: F401 - registers the built-in factories
from dyadlens import registry
from dyadlens.errors import DyadlensError, InputError
from dyadlens.ingest.readers import read_document
from dyadlens.model import DocumentRecords, RawInput
from dyadlens.state import Component, DocState

if TYPE_CHECKING:
    from dyadlens.resources import Resources

#: What the reader fills in before the first stage runs.
READ_FIELDS = frozenset({"document"})
#: The longest text a document may have. Memory grows with the text (about
#: 100 MiB per million characters, the parse and records kept until the
#: document is stored), so this bounds what one document can take: about
#: 300 MiB and two CPU-minutes at the limit. ``ingest --max-chars`` raises it.
DEFAULT_MAX_CHARS = 2_000_000


class PipelineConfigError(DyadlensError):
    """A pipeline config that cannot be built: its file, a stage or the order of the stages."""


class ComponentError(Exception):
    """A component raised while it worked on a document; carries the stage it happened in."""

    def __init__(self, stage: str, error: Exception) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.stage = stage


@dataclass(frozen=True, slots=True)
class StageConfig:
    """One stage of a config: its name, the factory that builds it, the factory's options."""

    name: str
    factory: str
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    """The stages of a pipeline and the modules to import first (which register factories).

    Plain data, so a worker process that receives it builds the same pipeline.
    """

    stages: tuple[StageConfig, ...]
    imports: tuple[str, ...] = ()
    source: str = "the default pipeline"

    @classmethod
    def default(cls) -> PipelineConfig:
        """The shipped ``pipeline.toml``, read and checked once per process."""
        return _default_config()

    @classmethod
    def from_file(cls, path: str | Path) -> PipelineConfig:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise PipelineConfigError(f"{path}: cannot read the pipeline config ({error})") from None
        return cls.parse(text, source=str(path))

    @classmethod
    def parse(cls, text: str, source: str) -> PipelineConfig:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise PipelineConfigError(f"{source}: not valid TOML ({error})") from None
        stages = data.get("stage")
        imports = data.get("imports", [])
        if not isinstance(stages, list) or not stages:
            raise PipelineConfigError(f"{source}: no [[stage]] tables")
        if not isinstance(imports, list) or not all(isinstance(m, str) for m in imports):
            raise PipelineConfigError(f"{source}: 'imports' must be a list of module names")
        parsed = tuple(_stage(entry, number, source) for number, entry in enumerate(stages, start=1))
        names = [stage.name for stage in parsed]
        if len(set(names)) != len(names):
            raise PipelineConfigError(f"{source}: stage names repeat ({', '.join(names)})")
        return cls(parsed, tuple(imports), source)

    @property
    def stage_names(self) -> tuple[str, ...]:
        return tuple(stage.name for stage in self.stages)

    def without(self, name: str) -> PipelineConfig:
        """The same config with stage ``name`` left out (an ablation: what does the stage add?)."""
        self._check_stage(name)
        kept = tuple(stage for stage in self.stages if stage.name != name)
        return PipelineConfig(kept, self.imports, f"{self.source} without {name}")

    def with_option(self, name: str, option: str, value: Any) -> PipelineConfig:
        """The same config with one option of stage ``name`` set to ``value``."""
        self._check_stage(name)
        stages = tuple(
            StageConfig(s.name, s.factory, {**s.options, option: value}) if s.name == name else s
            for s in self.stages
        )
        return PipelineConfig(stages, self.imports, f"{self.source} with {name}.{option}={value!r}")

    def _check_stage(self, name: str) -> None:
        if name not in self.stage_names:
            raise PipelineConfigError(f"unknown stage {name!r}; stages are {', '.join(self.stage_names)}")

    def upto(self, name: str) -> PipelineConfig:
        """The same config stopped after stage ``name``."""
        self._check_stage(name)
        kept = self.stages[: self.stage_names.index(name) + 1]
        return PipelineConfig(kept, self.imports, self.source)


@functools.cache
def _default_config() -> PipelineConfig:
    text = (importlib_resources.files("dyadlens") / "pipeline.toml").read_text(encoding="utf-8")
    return PipelineConfig.parse(text, source="the default pipeline")


def _stage(entry: object, number: int, source: str) -> StageConfig:
    where = f"{source}: stage {number}"
    if not isinstance(entry, dict):
        raise PipelineConfigError(f"{where}: not a table")
    unknown = sorted(set(entry) - {"name", "factory", "options"})
    if unknown:
        raise PipelineConfigError(f"{where}: unknown keys {', '.join(unknown)} (name, factory, options)")
    name, factory, options = entry.get("name"), entry.get("factory"), entry.get("options", {})
    if not isinstance(name, str) or not name or not isinstance(factory, str) or not factory:
        raise PipelineConfigError(f"{where}: needs a 'name' and a 'factory'")
    if not isinstance(options, dict):
        raise PipelineConfigError(f"{where} ({name}): 'options' must be a table")
    return StageConfig(name, factory, options)


class Stage:
    """A built component under the name its config gives the stage (failures and ``--upto`` use it)."""

    def __init__(self, name: str, component: Component) -> None:
        self.name = name
        self.version = component.version
        self.component = component

    def __call__(self, state: DocState) -> None:
        self.component(state)


class Pipeline:
    """Read one raw input and run the components over it."""

    def __init__(self, components: Sequence[Component], max_chars: int = DEFAULT_MAX_CHARS) -> None:
        self.components = tuple(components)
        self.max_chars = max_chars

    def __call__(self, raw: RawInput) -> DocumentRecords:
        """The input's records; raises the reader's ``InputError``, or :class:`ComponentError`."""
        state = DocState(document=read_document(raw))
        if len(state.text) > self.max_chars:
            problem = f"text too long: {len(state.text):,} characters (limit {self.max_chars:,}; see --max-chars)"
            raise InputError(raw.path, problem)
        for component in self.components:
            try:
                component(state)
            except Exception as error:
                raise ComponentError(component.name, error) from error
        return state.records()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.components)

    @property
    def signature(self) -> str:
        """The stages and their versions: a changed pipeline reprocesses stored inputs."""
        return ",".join(f"{c.name}@{c.version}" for c in self.components)


#: The default pipeline's stages in order (``--upto`` takes one of them).
STAGES = PipelineConfig.default().stage_names


def build_pipeline(
    resources: Resources,
    upto: str | None = None,
    config: PipelineConfig | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Pipeline:
    """The pipeline of ``config`` (default: the default pipeline), stopped after stage ``upto``.

    The whole config is checked (:func:`planned_stages`) before any component
    is built, so a config that cannot run fails at once.
    """
    planned = planned_stages(config or PipelineConfig.default(), upto)
    stages = [Stage(stage.name, registered.build(resources, dict(stage.options))) for stage, registered in planned]
    return Pipeline(stages, max_chars=max_chars)


def planned_stages(
    config: PipelineConfig, upto: str | None = None
) -> list[tuple[StageConfig, registry.Registered]]:
    """Each stage of ``config`` (up to ``upto``) with its factory; raises :class:`PipelineConfigError`
    for an unknown stage or factory, or a requirement no earlier stage assigns."""
    chosen = config.upto(upto) if upto is not None else config
    try:
        registry.import_modules(chosen.imports)
    except registry.RegistryError as error:
        raise PipelineConfigError(f"{chosen.source}: {error}") from None
    planned = [(stage, _factory(stage, chosen.source)) for stage in chosen.stages]
    filled = set(READ_FIELDS)
    for stage, registered in planned:
        missing = sorted(registered.requires - filled)
        if missing:
            raise PipelineConfigError(
                f"{chosen.source}: stage {stage.name!r} ({stage.factory}) requires {', '.join(missing)}, "
                "which no earlier stage assigns"
            )
        filled |= registered.assigns
    return planned


def _factory(stage: StageConfig, source: str) -> registry.Registered:
    try:
        return registry.get(stage.factory)
    except registry.RegistryError as error:
        raise PipelineConfigError(f"{source}: stage {stage.name!r}: {error}") from None
