"""Events committed by one OS process reach a WebSocket held by another."""
import asyncio
import json
import os
import subprocess
import sys

import pytest
import websockets

from tests.conftest import ROOT, Server, sms_login

PUBLISH = """
import asyncio, sys
from anjia.core import db
from anjia.realtime.service import publish

async def main():
    db.configure(sys.argv[1])
    async with db.sessionmaker()() as s:
        await publish(s, [sys.argv[2]], "order.accepted", {"order_id": 42, "note": "来自另一个进程"})
        await s.commit()
    await db.dispose()

asyncio.run(main())
"""


@pytest.fixture
def server():
    s = Server()
    yield s
    s.stop()


def publish_from_other_process(database_url: str, topic: str) -> None:
    subprocess.run([sys.executable, "-c", PUBLISH, database_url, topic], check=True, cwd=ROOT,
                   env={**os.environ}, timeout=60)


async def test_event_from_another_process_reaches_websocket(server, client, database_url):
    tokens = await sms_login(client, "13712345678")
    ws_url = server.url.replace("http", "ws") + f"/api/v1/ws?token={tokens['access_token']}"
    async with websockets.connect(ws_url) as ws:
        ready = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert ready["type"] == "ready" and f"user:{tokens['user']['id']}" in ready["topics"]
        await asyncio.to_thread(publish_from_other_process, database_url, f"user:{tokens['user']['id']}")
        await asyncio.to_thread(publish_from_other_process, database_url, "user:999999")  # not ours
        event = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert event["type"] == "order.accepted" and event["payload"]["note"] == "来自另一个进程"
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(ws.recv(), 1)
    first_id = event["id"]

    # resume: events committed while disconnected arrive on reconnect with last_event_id
    await asyncio.to_thread(publish_from_other_process, database_url, f"user:{tokens['user']['id']}")
    async with websockets.connect(ws_url + f"&last_event_id={first_id}") as ws:
        missed = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert missed["id"] > first_id and missed["type"] == "order.accepted"
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "ready"


async def test_websocket_refuses_bad_tokens(server):
    with pytest.raises(websockets.exceptions.InvalidStatus) as e:
        async with websockets.connect(server.url.replace("http", "ws") + "/api/v1/ws?token=forged"):
            pass
    assert e.value.response.status_code == 403


async def test_role_topics_reach_staff(server, client, session, database_url):
    from tests.conftest import staff_token

    token = await staff_token(client, session, "disp", ["dispatcher"])
    async with websockets.connect(server.url.replace("http", "ws") + f"/api/v1/ws?token={token}") as ws:
        await asyncio.wait_for(ws.recv(), 10)
        await asyncio.to_thread(publish_from_other_process, database_url, "role:dispatcher")
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "order.accepted"


async def test_hub_catch_up_sends_nothing_twice_and_new_ids_after_a_restart_arrive(session, database_url):
    """After its LISTEN connection comes back the hub reads what committed meanwhile; the NOTIFYs of
    those same events, still queued, are skipped. Ids it has seen before may come again (a restore, a
    truncated test database): those are new events and reach the socket."""
    import psycopg

    from anjia.core import db
    from anjia.realtime.hub import Hub
    from anjia.realtime.service import publish

    hub = Hub()
    queue = hub.subscribe(["user:7"])
    await publish(session, ["user:7"], "order.accepted", {"n": 1})
    await publish(session, ["user:7"], "order.accepted", {"n": 2})
    await session.commit()
    async with await psycopg.AsyncConnection.connect(db.libpq_url(database_url), autocommit=True) as conn:
        await hub._catch_up(conn)
    caught = [queue.get_nowait() for _ in range(queue.qsize())]
    assert [json.loads(body)["payload"]["n"] for _, body in caught] == [1, 2]
    ids = [id_ for id_, _ in caught]

    for id_ in ids:  # their NOTIFYs
        hub.deliver({"id": id_, "topic": "user:7", "type": "order.accepted", "payload": {}, "created_at": ""})
    assert queue.empty()
    hub.deliver({"id": ids[0], "topic": "user:7", "type": "order.paid", "payload": {}, "created_at": ""})
    assert json.loads(queue.get_nowait()[1])["type"] == "order.paid"
