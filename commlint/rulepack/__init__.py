"""Rule packs: YAML folders of rules and named lists."""

from __future__ import annotations

from .loader import LoadedRules, bundled_pack_names, bundled_packs_dir, load_packs, resolve_pack
from .schema import RuleSpec

__all__ = ["LoadedRules", "RuleSpec", "bundled_pack_names", "bundled_packs_dir", "load_packs", "resolve_pack"]
