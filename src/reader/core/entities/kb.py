"""Knowledge base of organisations: bundled ``data/kb.toml`` plus a user alias file.

User alias file format
----------------------
A UTF-8 TOML file with one ``[[org]]`` table per organisation::

    [[org]]
    name = "Ant Group"                        # canonical name (required)
    kind = "firm"                             # "firm", "agency" or "other" (default "firm")
    aliases = ["Ant Financial", "蚂蚁集团"]     # other names in text (optional)

    # optional, top level: surface forms that must never be taken for organisations
    not_org = ["Douyin", "Weishi"]
    # optional, top level: place names, never organisations outside ALL-CAPS lines
    places = ["Shenzhen"]

Matching is case-sensitive on the exact alias (an all-capitals headline also
matches the upper-cased alias); lookups through ``EntityExtractor.resolve`` are
case-insensitive.  Legal suffixes after an alias ("Inc.", "Ltd.", "Corp.",
"Group Holding Ltd.", "plc", "AG" ...) are absorbed automatically and need not
be listed.  A user entry whose name or an alias is already known (ignoring
case and legal suffixes) is merged into that organisation: its aliases are
added and its ``kind`` wins.  Invalid kinds raise ``ValueError``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import ahocorasick

from .canonical import lookup_key

__all__ = ["Org", "KnowledgeBase", "load_toml", "KIND_VALUES"]

KIND_VALUES = frozenset(("firm", "agency", "other"))

# Upper-cased aliases that are ordinary English words: not matched in all-caps headlines.
_CAPS_STOP = frozenset(
    "who us it as an at on in is or to by of be do go no so up we me he my am if ap ge hp bt gm ing total fed "
    "sun gap next target visa delta united ford shell apple amazon orange".split()
)


@dataclass
class Org:
    name: str
    kind: str
    aliases: set[str] = field(default_factory=set)
    source: str = "kb"  # "kb", "user", "learned"


def load_toml(path: Path | str | None = None, text: str | None = None) -> tuple[list[Org], list[str], list[str]]:
    """Parse a KB/alias TOML file; returns (orgs, not_org surface forms, place names)."""
    if text is None:
        text = Path(path).read_text(encoding="utf-8")
    data = tomllib.loads(text)
    orgs: list[Org] = []
    for i, entry in enumerate(data.get("org", [])):
        name = str(entry.get("name", "")).strip()
        if not name:
            raise ValueError(f"{path or '<kb>'}: [[org]] #{i + 1} has no name")
        kind = str(entry.get("kind", "firm")).strip().lower()
        if kind not in KIND_VALUES:
            raise ValueError(f"{path or '<kb>'}: {name!r}: kind must be firm, agency or other, not {kind!r}")
        aliases = entry.get("aliases", [])
        if isinstance(aliases, str):
            aliases = [aliases]
        orgs.append(Org(name, kind, {str(a).strip() for a in aliases if str(a).strip()} - {name}))
    not_org = [str(x) for x in data.get("not_org", [])]
    places = [str(x) for x in data.get("places", [])]
    return orgs, not_org, places


def _bundled_text() -> str:
    return (resources.files("reader.core.entities") / "data" / "kb.toml").read_text(encoding="utf-8")


class KnowledgeBase:
    """Organisations with their aliases, a key index and an Aho-Corasick automaton."""

    def __init__(self, alias_file: Path | str | None = None, *, bundled: bool = True) -> None:
        self.orgs: list[Org] = []
        self.index: dict[str, int] = {}
        self.not_org: set[str] = set()
        self.places: set[str] = set()
        self.place_words: set[str] = set()  # single-token place names, exact case
        self._automaton = None
        if bundled:
            orgs, not_org, places = load_toml(text=_bundled_text())
            self._merge(orgs, not_org, "kb")
            self.places.update(lookup_key(p) for p in places)
            self.place_words.update(p for p in places if " " not in p)
        if alias_file is not None:
            orgs, not_org, places = load_toml(alias_file)
            self._merge(orgs, not_org, "user")
            self.places.update(lookup_key(p) for p in places)
            self.place_words.update(p for p in places if " " not in p)

    # ------------------------------------------------------------------ building
    def _merge(self, orgs: list[Org], not_org: list[str], source: str) -> None:
        for o in orgs:
            self.add(o.name, o.kind, o.aliases, source=source)
        for s in not_org:
            self.not_org.add(lookup_key(s))
        self._automaton = None

    def add(self, name: str, kind: str, aliases=(), source: str = "learned") -> int:
        """Add or merge an organisation; returns its index."""
        forms = [name, *aliases]
        idx = None
        for f in forms:
            idx = self.index.get(lookup_key(f))
            if idx is not None:
                break
        if idx is None:
            idx = len(self.orgs)
            self.orgs.append(Org(name, kind, set(), source))
        org = self.orgs[idx]
        if source != "learned":
            org.kind = kind
        for f in forms:
            if f != org.name:
                org.aliases.add(f)
            k = lookup_key(f)
            if k and k not in self.index:
                self.index[k] = idx
            if source != "learned":
                self.not_org.discard(k)
        self._automaton = None
        return idx

    def lookup(self, surface: str) -> int | None:
        return self.index.get(lookup_key(surface))

    @property
    def automaton(self):
        if self._automaton is None:
            self._automaton = self._build()
        return self._automaton

    def _build(self):
        a = ahocorasick.Automaton()
        for idx, org in enumerate(self.orgs):
            if org.source == "learned":
                continue
            for form in (org.name, *org.aliases):
                exact = a.get(form, None)
                if exact is None or exact[1]:
                    a.add_word(form, (idx, False, len(form)))
                up = form.upper()
                if up != form and len(form) > 2 and up.lower() not in _CAPS_STOP and up not in a:
                    a.add_word(up, (idx, True, len(up)))
        if len(a) == 0:
            a.add_word("\x00", (-1, False, 1))
        a.make_automaton()
        return a

    def __getstate__(self):
        d = dict(self.__dict__)
        d["_automaton"] = None
        return d
