"""The read side: what briefwatch knows, for people and for other tools.

`documents` gives each stored thing (fact, claim, change, story, source) one JSON shape, shared
by `briefwatch status --json`, the web view's API and the exports; `queries` pages and filters
them in the database; `api` serves them under ``/api/`` (FastAPI, OpenAPI at ``/docs``); `app`
puts the API behind the token check; `export` writes claims and facts as CSV, GeoJSON or JSONL;
`cache` keeps the map's feed until a fact is written (the store's count of writes says when).
Nothing here writes to the store.
"""

from briefwatch.web.documents import fact_document, source_documents
from briefwatch.web.queries import Filters

__all__ = ["Filters", "fact_document", "source_documents"]
