"""briefwatch's own exceptions.

Library errors (pydantic, SQLAlchemy, requests, lxml) are translated into these at the boundary
of the module that calls the library, so callers catch one tree::

    BriefwatchError
    ├── ConfigError        the config file or environment is wrong; names the field (exit 2)
    ├── StoreError         the database cannot be opened or migrated
    └── GazetteerError     the place index cannot be opened or built (`briefwatch.places`)

Fetching and parsing do not raise for bad input: they return a typed failure
(`briefwatch.fetch.client.FetchFailure`, `parsers.types.Rejection`) that ends up visible to the
user.
"""


class BriefwatchError(Exception):
    """Base of every error briefwatch raises on purpose."""


class ConfigError(BriefwatchError):
    """The configuration is invalid; the message names the field and what is wrong with it."""


class StoreError(BriefwatchError):
    """The store could not be opened, migrated or used."""


class GazetteerError(BriefwatchError):
    """The gazetteer's place index could not be opened or built; says where and why."""
