"""One email per alarm state change: the formatter's own ledger, a DynamoDB table whose records expire.

Why repeats happen: SNS delivers at least once, and Lambda retries an invocation that failed after it
published (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html). A change is named by
alarm, new state and CloudWatch's StateChangeTime, which every repeat of it carries unchanged.

Where that state lives: the formatter's own table, not the image metadata table (its items are the
uploads', its access the pipeline's) and not the alarm's history (which records state changes, never
which ones were mailed). Before publishing, the formatter claims the change with a conditional put
(absent, or a claim older than ``stale_after_s`` left by an invocation that died); after publishing it
marks the record sent. A repeat finds it sent and is dropped; one that arrives while another
invocation holds a fresh claim fails, so Lambda retries it later and then finds it sent. Records
expire by TTL after ``keep_days``. The same table remembers when each alarm last went into ALARM, so
the OK email can say how long it lasted: CloudWatch's OK message does not.
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Protocol

from handlers import contract
from handlers.alerts.errors import AlreadyInProgress
from handlers.aws_calls import aws_error_code
from handlers.timestamps import iso_utc

CLAIMED: Final = "claimed"
SENT: Final = "sent"
KEEP_DAYS: Final = 90
# Longer than the function may run (its timeout is 30 s): a claim this old was left by a dead invocation.
STALE_AFTER_S: Final = 120
_STATUS: Final = "status"
_CLAIMED_AT: Final = "claimed_at"
_SINCE: Final = "since"


class DynamoDbApi(Protocol):
    """The part of boto3's DynamoDB client the formatter uses."""

    def put_item(self, **kwargs: Any) -> dict[str, Any]: ...

    def get_item(self, **kwargs: Any) -> dict[str, Any]: ...

    def delete_item(self, **kwargs: Any) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Ledger:
    dynamodb: DynamoDbApi
    table: str
    keep_days: int = KEEP_DAYS
    stale_after_s: int = STALE_AFTER_S

    @staticmethod
    def change_key(alarm: str, state: str, changed_at: datetime) -> str:
        return f"{alarm}#{state}#{iso_utc(changed_at)}"

    @staticmethod
    def _last_alarm_key(alarm: str) -> str:
        return f"{alarm}#last-alarm"

    def _expires(self, now: float) -> str:
        return str(int(now) + self.keep_days * 86400)

    def claim(self, change: str) -> bool:
        """True: this invocation sends it. False: it was sent already. AlreadyInProgress: being sent now."""
        now = time.time()
        try:
            self.dynamodb.put_item(
                TableName=self.table,
                Item={
                    contract.LEDGER_HASH_KEY: {"S": change},
                    _STATUS: {"S": CLAIMED},
                    _CLAIMED_AT: {"N": str(int(now))},
                    contract.LEDGER_TTL_ATTRIBUTE: {"N": self._expires(now)},
                },
                ConditionExpression="attribute_not_exists(#k) OR (#s = :claimed AND #c < :stale)",
                ExpressionAttributeNames={"#k": contract.LEDGER_HASH_KEY, "#s": _STATUS, "#c": _CLAIMED_AT},
                ExpressionAttributeValues={
                    ":claimed": {"S": CLAIMED},
                    ":stale": {"N": str(int(now) - self.stale_after_s)},
                },
            )
            return True
        except Exception as exc:
            if aws_error_code(exc) != "ConditionalCheckFailedException":
                raise
        item = self.dynamodb.get_item(
            TableName=self.table, Key={contract.LEDGER_HASH_KEY: {"S": change}}, ConsistentRead=True
        ).get("Item", {})
        if item.get(_STATUS, {}).get("S") == SENT:
            return False
        raise AlreadyInProgress(f"{change} is being sent by another invocation")

    def release(self, change: str) -> None:
        """Give up a claim (publishing failed), so the retry sends it."""
        self.dynamodb.delete_item(TableName=self.table, Key={contract.LEDGER_HASH_KEY: {"S": change}})

    def mark_sent(self, change: str) -> None:
        now = time.time()
        self.dynamodb.put_item(
            TableName=self.table,
            Item={
                contract.LEDGER_HASH_KEY: {"S": change},
                _STATUS: {"S": SENT},
                contract.LEDGER_TTL_ATTRIBUTE: {"N": self._expires(now)},
            },
        )

    def remember_alarm_start(self, alarm: str, since: datetime) -> None:
        self.dynamodb.put_item(
            TableName=self.table,
            Item={
                contract.LEDGER_HASH_KEY: {"S": self._last_alarm_key(alarm)},
                _SINCE: {"S": iso_utc(since)},
                contract.LEDGER_TTL_ATTRIBUTE: {"N": self._expires(time.time())},
            },
        )

    def alarm_start(self, alarm: str) -> datetime | None:
        """When the alarm last went into ALARM, as this ledger saw it (None: not within ``keep_days``)."""
        key = {contract.LEDGER_HASH_KEY: {"S": self._last_alarm_key(alarm)}}
        item = self.dynamodb.get_item(TableName=self.table, Key=key, ConsistentRead=True).get("Item")
        if not item or _SINCE not in item:
            return None
        return datetime.strptime(item[_SINCE]["S"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
