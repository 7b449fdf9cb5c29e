"""Name → module registries (check types, output formats), imported on first use so a run
only pays for the modules it uses."""

from __future__ import annotations

import importlib
from types import ModuleType


class ModuleRegistry:
    def __init__(self, modules: dict[str, str]) -> None:
        self.modules = modules

    def names(self) -> list[str]:
        return list(self.modules)

    def get(self, name: str) -> ModuleType | None:
        module_name = self.modules.get(name)
        return importlib.import_module(module_name) if module_name else None
