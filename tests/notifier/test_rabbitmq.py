"""The production broker: RabbitMQ with publisher confirms keeps a message across a dropped connection.

Uses the machine's RabbitMQ at 127.0.0.1:5672 when one is reachable, on
queues of the test's own that it deletes afterwards.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pika
import pika.exceptions
import pytest
from dramatiq import Message
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.common import dq_name, xq_name

from shared.broker import DELIVER_ACTOR, build_broker
from shared.settings import Settings
from tanggap.servers import is_listening

pytestmark = [
    pytest.mark.rabbitmq,
    # Dramatiq 2.2 publishes through pika's BlockingConnection, and so do these checks.
    pytest.mark.filterwarnings("ignore:BlockingConnection is deprecated:DeprecationWarning"),
]

RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"
# RabbitMQ closes a connection that missed two heartbeats; with 1 s it does so within a few seconds.
HEARTBEAT_URL = RABBITMQ_URL + "?heartbeat=1"


@pytest.fixture
def queue_name() -> Iterator[str]:
    if not is_listening(5672):
        pytest.skip("no RabbitMQ listens on 127.0.0.1:5672")
    try:
        connection = pika.BlockingConnection(pika.URLParameters(RABBITMQ_URL))
    except pika.exceptions.AMQPError as exc:
        pytest.skip(f"RabbitMQ at 127.0.0.1:5672 refused the guest login: {exc!r}")
    name = f"tanggap-test-{uuid.uuid4().hex[:12]}"
    yield name
    channel = connection.channel()
    for queue in (name, dq_name(name), xq_name(name)):
        channel.queue_delete(queue=queue)
    connection.close()


def message(queue: str, notification_id: str) -> Message[object]:
    return Message(queue_name=queue, actor_name=DELIVER_ACTOR, args=(notification_id,), kwargs={}, options={})


def drain(queue: str) -> list[str]:
    connection = pika.BlockingConnection(pika.URLParameters(RABBITMQ_URL))
    channel = connection.channel()
    received = []
    while True:
        method, _, body = channel.basic_get(queue=queue, auto_ack=True)
        if method is None:
            break
        received.append(str(Message.decode(body).args[0]))
    connection.close()
    return received


def test_broker_uses_durable_queues_and_publisher_confirms(queue_name: str) -> None:
    broker = build_broker(Settings(environment="test", broker_url=RABBITMQ_URL))
    try:
        broker.enqueue(message(queue_name, "durable"))

        assert isinstance(broker, RabbitmqBroker)
        assert broker.confirm_delivery
        # A passive declaration of the same queue as not durable is refused if it is durable.
        check = pika.BlockingConnection(pika.URLParameters(RABBITMQ_URL))
        with pytest.raises(pika.exceptions.ChannelClosedByBroker, match="durable"):
            check.channel().queue_declare(queue=queue_name, durable=False)
        check.close()
    finally:
        broker.close()
    assert drain(queue_name) == ["durable"]


# pika leaves the sockets of a connection that the server dropped for the garbage collector.
@pytest.mark.filterwarnings("ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning")
def test_publisher_dropped_for_missed_heartbeats_loses_no_message(queue_name: str) -> None:
    # given a publisher connection that goes quiet, as a gateway thread does between requests
    broker = build_broker(Settings(environment="test", broker_url=HEARTBEAT_URL))
    try:
        broker.enqueue(message(queue_name, "before"))
        quiet_connection = broker.connection
        time.sleep(5)  # no I/O on this thread: RabbitMQ drops the connection for missed heartbeats

        # when the next message is published on it
        broker.enqueue(message(queue_name, "after"))

        # then the publish noticed the dead connection and went out on a new one
        assert broker.connection is not quiet_connection
        assert quiet_connection.is_closed
    finally:
        broker.close()
    assert drain(queue_name) == ["before", "after"]
