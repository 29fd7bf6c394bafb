"""Place and side names from the config (and the store's learnt aliases), as the extractor and
the fold read them: one home for the maps every stage that reads claims is given."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefwatch.config import Settings
from briefwatch.extract.sides import side_words

if TYPE_CHECKING:  # `briefwatch extract` reads the config's names without opening a store
    from briefwatch.store import Store


def sides_map(settings: Settings) -> dict[str, str]:
    """Config `[[sides]]` as alias word (casefolded) -> side name, for the extractor."""
    return side_words((entry.name, entry.aliases) for entry in settings.sides)


def config_places(settings: Settings) -> dict[str, str]:
    """Config `[[places]]` as name or alias -> canonical name."""
    return {name: entry.name for entry in settings.places for name in (entry.name, *entry.aliases)}


def places_map(settings: Settings, store: Store) -> dict[str, str]:
    """Every known place name -> its canonical name: the store's, overridden by the config's."""
    return store.place_aliases() | config_places(settings)
