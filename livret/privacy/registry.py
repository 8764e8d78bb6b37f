"""Every app's personal-data declarations (its personal_data.py), read once."""

from __future__ import annotations

import functools
import sys

from django.apps import apps
from django.utils.module_loading import autodiscover_modules, import_string

from livret.personal_data import Excluded, Table


@functools.cache
def _modules() -> tuple:
    autodiscover_modules("personal_data")
    found = []
    for config in apps.get_app_configs():
        module = sys.modules.get(f"{config.name}.personal_data")
        if module is not None:
            found.append(module)
    return tuple(found)


@functools.cache
def tables() -> dict[str, Table]:
    """Model label ("app_label.ModelName") → its declaration."""
    out = {}
    for module in _modules():
        for table in getattr(module, "TABLES", ()):
            if table.model in out:
                raise ValueError(f"{table.model} déclaré deux fois")
            out[table.model] = table
    return out


@functools.cache
def excluded() -> dict[str, Excluded]:
    return {e.model: e for module in _modules() for e in getattr(module, "EXCLUDED", ())}


def archive_functions() -> list:
    """Apps that choose themselves what the centre archive carries of their tables."""
    found = []
    for module in _modules():
        path = getattr(module, "ARCHIVE_QUERYSETS", "")
        if path:
            found.append(path)
    return found


def model_of(table: Table):
    return apps.get_model(table.model)


def declared_for(model) -> Table | None:
    """The declaration of a model, or of the model whose past versions it keeps."""
    base = getattr(model, "instance_type", None)  # simple_history's twin → the real model
    label = (base or model)._meta.label
    return tables().get(label)


def load(path: str):
    return import_string(path)
