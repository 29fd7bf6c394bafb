"""The starter config `briefwatch init` writes: real outlets covering the South Caucasus."""

STARTER_CONFIG = """\
# briefwatch.toml — what to watch, where to keep it, whom to tell.
# Every key is documented in README.md. Run `briefwatch run` for one pass,
# `briefwatch serve` for a pass every few minutes.

[storage]
# A SQLite file next to this config (relative paths are read from this file's folder);
# for several workers use PostgreSQL:
# url = "postgresql+psycopg://briefwatch@127.0.0.1/briefwatch"
url = "sqlite:///briefwatch.db"

[watch]
# The countries you watch (ISO codes): a place name several countries share is read as the
# one there. Without this line, the countries named in [[sides]] below.
countries = ["AM", "AZ"]

[fetch]
# Private, loopback and link-local addresses are refused unless listed here,
# e.g. ["127.0.0.1", "localhost", "192.168.1.0/24"] for a feed on your own network.
allow_private = []
# Be honest about who is fetching; outlets may block anonymous scrapers.
user_agent = "briefwatch/0.1 (news monitor; +https://github.com/briefwatch/briefwatch)"
# A first run against a long feed takes at most this many new articles per source.
max_articles_per_source = 20

[[sources]]
name = "moscow-times"
url = "https://www.themoscowtimes.com/rss/news"
kind = "feed"                 # auto | feed | index | sitemap | article
parser = "moscowtimes"        # auto | moscowtimes | generic
include = ["Karabakh", "Armenia", "Azerbaijan"]   # keep only articles mentioning any of these
# exclude = ["football"]      # ... and drop those mentioning any of these
# every = "5m"                # poll this source at most this often

[[sources]]
name = "oc-media"
url = "https://oc-media.org/feed/"
kind = "feed"
include = ["Karabakh", "Armenia", "Azerbaijan"]

[[sources]]
name = "france24-europe"
url = "https://www.france24.com/en/europe/rss"
kind = "feed"
include = ["Karabakh", "Armenia", "Azerbaijan"]

# Alerts go to any Apprise URL (Slack, Telegram, e-mail, ntfy, MQTT, JSON webhooks ...).
# console:// prints them in this terminal. Keep tokens out of this file: url = "env:NAME"
# reads the URL from the environment variable NAME.
[[channels]]
name = "terminal"
url = "console://"
kinds = ["control", "casualty"]

# [[channels]]
# name = "ops"
# url = "env:BRIEFWATCH_OPS_URL"   # or block:NAME for a Prefect Secret block
# kinds = ["control"]
# min_importance = "high"          # low | medium | high (README: Alerts)
# cooldown = "30m"                 # a fact that flaps does not page people more often
#
# [[channels]]
# name = "morning-digest"
# url = "env:BRIEFWATCH_DIGEST_URL"
# mode = "digest"                  # gather alerts; one message every digest_every
# digest_every = "1d"              # (and at 08:00 by the digest deployment)

# Places the text may name differently: one place, one fact.
[[places]]
name = "Shusha"
aliases = ["Shushi"]

[[places]]
name = "Stepanakert"
aliases = ["Khankendi"]

# Who is on which side, for words the built-in table of countries cannot know.
[[sides]]
name = "Armenia"
aliases = ["separatist", "separatists", "Karabakh authorities", "Artsakh"]

[[sides]]
name = "Azerbaijan"
aliases = ["Baku"]
"""
