"""``python -m briefwatch.places [build]``: build the place index now (what `make setup` runs),
or say where it is and what it holds."""

from __future__ import annotations

import sys

from briefwatch.errors import GazetteerError
from briefwatch.places.gazetteer import Gazetteer
from briefwatch.places.index import index_path


def main(argv: list[str] | None = None) -> int:
    """Open the index (building it if it is missing, stale or damaged) and print a line on it."""
    del argv  # one thing to do: make sure the index is there
    try:
        gazetteer = Gazetteer.open()
    except GazetteerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    rows = gazetteer.meta()
    print(f"gazetteer: {rows.get('places')} places, {rows.get('names')} names at {index_path()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
