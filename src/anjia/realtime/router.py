import asyncio
import json

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from anjia.core import db
from anjia.core.auth import load_user_from_token
from anjia.core.errors import AppError
from anjia.realtime.hub import event_dict, hub
from anjia.realtime.service import events_since, topics_for

router = APIRouter(tags=["realtime"])


@router.websocket("/ws")
async def websocket(ws: WebSocket, token: str = "", last_event_id: int = 0) -> None:
    """Token-authenticated event stream. Sends missed events after `last_event_id` first."""
    try:
        async with db.sessionmaker()() as session:
            user = await load_user_from_token(session, token)
            topics = topics_for(user.id, user.kind, list(user.roles or []))
    except AppError as e:
        await ws.close(code=4401, reason=e.code)
        return
    await ws.accept()
    queue = hub.subscribe(topics)  # subscribe before replay so nothing falls in between
    sent = last_event_id
    receiver = asyncio.create_task(_drain(ws))
    try:
        if last_event_id:
            async with db.sessionmaker()() as session:
                for e in await events_since(session, topics, last_event_id):
                    await ws.send_text(json.dumps(event_dict(e), ensure_ascii=False))
                    sent = max(sent, e.id)
        await ws.send_text(json.dumps({"type": "ready", "topics": topics}))
        sender = asyncio.create_task(_pump(ws, queue, sent))
        await asyncio.wait({sender, receiver}, return_when=asyncio.FIRST_COMPLETED)
        sender.cancel()
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        receiver.cancel()
        hub.unsubscribe(topics, queue)


async def _pump(ws: WebSocket, queue: asyncio.Queue, sent: int) -> None:
    """Forward this process's events to the socket; replayed ones are not sent twice."""
    try:
        while True:
            event_id, text = await queue.get()
            if event_id > sent:
                await ws.send_text(text)
    except (WebSocketDisconnect, RuntimeError):
        return


async def _drain(ws: WebSocket) -> None:
    """Read (and ignore) client frames; returns when the client goes away."""
    try:
        while True:
            await ws.receive_text()
    except (WebSocketDisconnect, RuntimeError):
        return
