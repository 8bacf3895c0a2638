"""The component registry: versioned names for the factories a pipeline config names.

A factory builds one component from the loaded :class:`~dyadlens.resources.Resources`
and the options its stage gives in the config::

    from dyadlens import registry

    @registry.component("acme.events.keywords.v1", requires=("sentences", "mentions"), assigns=("events",))
    def keyword_coder(resources, **options):
        return KeywordCoder(resources, **options)

``requires`` and ``assigns`` name fields of :class:`~dyadlens.state.DocState`;
:func:`dyadlens.pipeline.build_pipeline` checks that every requirement is
assigned by an earlier stage. The built-in factories are registered in
:mod:`dyadlens.components`, which :mod:`dyadlens.pipeline` imports; this
module imports no component. Another package registers its own through the
``dyadlens.components`` entry-point group (an entry point naming the module,
which registers when imported), or a pipeline config lists the module under
``imports``. Names end in a version: a factory whose output changes gets a
new name, and the old one stays for configs that name it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, TypeVar

from dyadlens.errors import DyadlensError
from dyadlens.state import STATE_FIELDS, Component

if TYPE_CHECKING:
    from dyadlens.resources import Resources

ENTRY_POINT_GROUP = "dyadlens.components"

Factory = Callable[..., Component]
F = TypeVar("F", bound=Factory)


class RegistryError(DyadlensError):
    """A factory name that is not registered, or a registration that is wrong."""


@dataclass(frozen=True, slots=True)
class Registered:
    """A factory under its versioned name, with what its component reads and writes."""

    name: str
    factory: Factory
    requires: frozenset[str]
    assigns: frozenset[str]

    def build(self, resources: Resources, options: dict[str, Any]) -> Component:
        return self.factory(resources, **options)

    def as_dict(self) -> dict[str, Any]:
        """The name and the state fields, sorted (what ``dyadlens components`` lists)."""
        return {"factory": self.name, "requires": sorted(self.requires), "assigns": sorted(self.assigns)}


_FACTORIES: dict[str, Registered] = {}


def component(name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = ()) -> Callable[[F], F]:
    """Register the decorated factory under ``name`` (``package.stage.kind.vN``)."""
    needed, filled = frozenset(requires), frozenset(assigns)
    unknown = sorted((needed | filled) - STATE_FIELDS)
    if unknown:
        raise RegistryError(
            f"{name}: {', '.join(unknown)} not fields of the document state ({', '.join(sorted(STATE_FIELDS))})"
        )
    if not filled:
        raise RegistryError(f"{name}: a component must assign at least one field of the document state")

    def register(factory: F) -> F:
        earlier = _FACTORIES.get(name)
        if earlier is not None and earlier.factory is not factory:
            raise RegistryError(f"{name} is registered already (by {_origin(earlier.factory)})")
        _FACTORIES[name] = Registered(name, factory, needed, filled)
        return factory

    return register


def get(name: str) -> Registered:
    """The factory registered as ``name``; entry points are loaded on the first name not found."""
    if name not in _FACTORIES:
        _load_entry_points()
    try:
        return _FACTORIES[name]
    except KeyError:
        known = ", ".join(sorted(_FACTORIES))
        raise RegistryError(f"no component factory named {name!r}; registered: {known}") from None


def names() -> list[str]:
    """Every registered factory name, entry points included."""
    _load_entry_points()
    return sorted(_FACTORIES)


def import_modules(modules: Iterable[str]) -> None:
    """Import the modules a config lists, so that they register their factories."""
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError as error:
            raise RegistryError(f"cannot import {module!r} named by the pipeline config: {error}") from error


def _load_entry_points() -> None:
    for point in entry_points(group=ENTRY_POINT_GROUP):
        point.load()


def _origin(factory: Factory) -> str:
    return f"{getattr(factory, '__module__', '?')}.{getattr(factory, '__qualname__', '?')}"
