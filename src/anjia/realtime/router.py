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
    try:
        if last_event_id:
            async with db.sessionmaker()() as session:
                for e in await events_since(session, topics, last_event_id):
                    await ws.send_text(json.dumps(event_dict(e), ensure_ascii=False))
                    sent = max(sent, e.id)
        await ws.send_text(json.dumps({"type": "ready", "topics": topics}))
        receiver = asyncio.create_task(_drain(ws))
        while not receiver.done():
            getter = asyncio.create_task(queue.get())
            done, _ = await asyncio.wait({getter, receiver}, return_when=asyncio.FIRST_COMPLETED)
            if getter not in done:
                getter.cancel()
                break
            event = getter.result()
            if event["id"] > sent or not last_event_id:
                await ws.send_text(json.dumps(event, ensure_ascii=False))
    except WebSocketDisconnect:
        pass
    finally:
        hub.unsubscribe(topics, queue)


async def _drain(ws: WebSocket) -> None:
    """Read (and ignore) client frames; returns when the client goes away."""
    try:
        while True:
            await ws.receive_text()
    except (WebSocketDisconnect, RuntimeError):
        return
