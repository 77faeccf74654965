"""Telling the Europass Qualification Dataset Register (QDR) that the published dataset changed.

Driven by the change feed: when new feed events exist and the feed has been quiet for the
debounce period (or the oldest unannounced change waited too long), one POST announces them.
The position of the last announced event is stored in the database and the notifier runs on the
instance holding its lease, so one change is announced once (unless the instance dies between
the POST and recording it: then it is announced again, never lost). Failures back off; nothing
here ever blocks a provider's request.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ila_register.db.engine import Database
from ila_register.db.models import ConsumerPosition, ElmFeedEvent
from ila_register.kernel.clock import Clock
from ila_register.kernel.exceptions import ServiceUnavailable

logger = logging.getLogger(__name__)

CONSUMER = "qdr-notify"


@dataclass(frozen=True, slots=True)
class NotifySettings:
    url: str
    api_key: str | None
    base_uri: str
    debounce: timedelta = timedelta(seconds=10)
    max_delay: timedelta = timedelta(seconds=120)
    timeout_seconds: float = 10.0


class QdrNotifier:
    def __init__(self, db: Database, clock: Clock, settings: NotifySettings) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings

    def position(self) -> int:
        with self.db.read() as session:
            row = session.get(ConsumerPosition, CONSUMER)
            return row.position if row else 0

    def run_once(self) -> int:
        """Announce pending changes if they are due; returns 1 after a notification, else 0.

        One instance at a time, from reading the position to storing the new one after the POST:
        no change is announced twice.
        """
        with self.db.exclusive(CONSUMER) as mine:
            return self._announce() if mine else 0

    def _announce(self) -> int:
        now = self.clock()
        with self.db.read() as session:
            row = session.get(ConsumerPosition, CONSUMER)
            announced = row.position if row else 0
            pending = session.execute(
                select(
                    func.max(ElmFeedEvent.seq), func.count(), func.min(ElmFeedEvent.at), func.max(ElmFeedEvent.at)
                ).where(ElmFeedEvent.seq > announced)
            ).one()
        latest, count, oldest, newest = pending
        if not latest or not self._due(now, oldest, newest):
            return 0
        self._post(
            {
                "dataset": f"{self.settings.base_uri}/elm/learning-opportunities",
                "catalog": f"{self.settings.base_uri}/elm/catalog",
                "changes": f"{self.settings.base_uri}/elm/changes?after={announced}",
                "modified": newest.isoformat().replace("+00:00", "Z"),
                "changed_offers": int(count),
            }
        )
        with self.db.write() as session:
            row = session.get(ConsumerPosition, CONSUMER)
            if row is None:
                session.add(ConsumerPosition(name=CONSUMER, position=int(latest), updated_at=now))
            else:
                row.position, row.updated_at = int(latest), now
        return 1

    def _due(self, now: datetime, oldest: datetime, newest: datetime) -> bool:
        return now - newest >= self.settings.debounce or now - oldest >= self.settings.max_delay

    def _post(self, body: dict[str, object]) -> None:
        headers = {"Content-Type": "application/json", "User-Agent": "ila-register"}
        if self.settings.api_key:
            headers["X-API-Key"] = self.settings.api_key
        request = urllib.request.Request(  # noqa: S310 - the operator configures an http(s) URL
            self.settings.url, data=json.dumps(body).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout_seconds) as answer:  # noqa: S310
                if answer.status >= 300:
                    raise ServiceUnavailable(f"The QDR answered {answer.status}.")
        except urllib.error.HTTPError as error:
            error.close()
            raise ServiceUnavailable(f"The QDR answered {error.code}.") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise ServiceUnavailable(f"The QDR could not be reached ({error}).") from error
        logger.info("QDR notified: %s", body)
