"""The `maintain` flow on a real Prefect server: old bodies and logs pruned, evidence kept,
pending alerts sent on a quiet day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings
from sqlmodel import select

from briefwatch.clock import utcnow
from briefwatch.models import Article, Change, Delivery, Fact, PassLog, Skip, Story
from briefwatch.store import Store
from flows.maintain import maintain
from tests.support.receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


def test_maintain_prunes_old_text_keeps_identity_and_sends_pending_alerts(
    db_url: str, tmp_path: Path, prefect_api: str, receiver: Receiver
) -> None:
    store = Store(db_url)
    old, new = utcnow() - timedelta(days=120), utcnow()
    with store.session() as session:
        story = Story(fingerprint="f" * 64, title="t")
        session.add(story)
        session.flush()
        for url, when in (("https://a.example/old", old), ("https://a.example/new", new)):
            session.add(Article(url=url, story_id=story.id, source="s", outlet="o", title="t",
                                parser="generic", body_hash=url, paragraphs=["text"],
                                updated_at=when))  # fmt: skip
        session.add(PassLog(started_at=old, finished_at=old, summary={}))
        session.add(Skip(url="https://a.example/x", source="s", reason="r", detail="d",
                         last_seen_at=old))  # fmt: skip
        # (a fact's state as the fold stores it: the outbox reads it typed)
        captured = {"status": "captured", "holder": "Azerbaijan", "holder_actor": None,
                    "conceded_by": [], "positions": {}}  # fmt: skip
        session.add(Fact(key="control:shusha", kind="control", label="Control of Shusha",
                         state=captured, version=1))  # fmt: skip
        session.add(Change(key="control:shusha#1", fact_key="control:shusha", kind="control",
                           version=1, title="Shusha: captured", new_state=captured))  # fmt: skip
        session.flush()
        session.add(Delivery(change_key="control:shusha#1", channel="hook"))
    config = tmp_path / "briefwatch.toml"
    config.write_text(
        f'[storage]\nurl = "{db_url}"\n'
        f'[[channels]]\nname = "hook"\nurl = "{receiver.apprise_url}"\n',
        encoding="utf-8",
    )

    with temporary_settings(updates={PREFECT_API_URL: prefect_api}):
        result = maintain(config=str(config), keep_days=90)

    assert result["article_bodies"] == 1 and result["pass_logs"] == 1 and result["skips"] == 1
    assert result["alerts_sent"] == 1 and receiver.titles() == ["Shusha: captured"]
    with store.session() as session:
        bodies = {a.url: a.paragraphs for a in session.exec(select(Article))}
        assert bodies == {"https://a.example/old": [], "https://a.example/new": ["text"]}
        assert session.exec(select(Delivery)).one().state == "sent"
