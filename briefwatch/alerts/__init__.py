"""Alerts: changes -> messages -> outbox -> Apprise -> channels; sent once, never twice.

`send` queues changes and sends what is due, `outbox` keeps a row per change and channel,
`timing` decides when a row is due (each, digest, cooldown, backoff, coalescing), `messages`
renders, `channels` delivers through Apprise, `importance` ranks a change.
"""

__all__ = ["channels", "importance", "messages", "outbox", "send", "timing"]
