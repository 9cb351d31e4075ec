"""Support tickets (src/anjia/support; this folder is not tests/support because tests/support.py is
the shared helpers module): a finished order, tickets opened through the API, staff headers."""
import io

from PIL import Image

from tests.conftest import auth, staff_token
from tests.settlement.helpers import completed_order


def png(color=(200, 80, 40), size=(64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


async def finished(client, session, world, **kw) -> tuple[dict, int]:
    """A completed order of the world's customer: (order, worker id)."""
    return await completed_order(client, session, world, **kw)


async def support_staff(client, session, name="kefu") -> tuple[dict, int]:
    """Headers of a support staff member, and their user id."""
    token = await staff_token(client, session, name, ["support"])
    me = (await client.get("/api/v1/me", headers=auth(token))).json()
    return auth(token), me["id"]


async def complain(client, world, order_id=None, *, category="quality", content="师傅清洁不到位，灶台还有油污",
                   photo_ids=(), kind="complaint", expect=201) -> dict:
    r = await client.post("/api/v1/support/tickets", headers=auth(world["token"]), json={
        "kind": kind, "order_id": order_id, "category": category, "content": content, "photo_ids": list(photo_ids)})
    assert r.status_code == expect, r.text
    return r.json()


async def upload(client, world, data: bytes, name="p.png", expect=201) -> dict:
    r = await client.post("/api/v1/support/photos", headers=auth(world["token"]), files={"file": (name, data)})
    assert r.status_code == expect, r.text
    return r.json()


async def work(client, staff: dict, staff_id: int, ticket_id: int) -> dict:
    """Assign to `staff_id` and start: the ticket in progress."""
    r = await client.post(f"/api/v1/admin/support/tickets/{ticket_id}/assign", headers=staff,
                          json={"assignee_id": staff_id})
    assert r.status_code == 200, r.text
    r = await client.post(f"/api/v1/admin/support/tickets/{ticket_id}/start", headers=staff)
    assert r.status_code == 200, r.text
    return r.json()


async def resolve(client, staff: dict, ticket_id: int, *, upheld=True, compensation=None, expect=200,
                  root_cause="worker_skill", result="已核实，安排师傅免费返工并致歉") -> dict:
    r = await client.post(f"/api/v1/admin/support/tickets/{ticket_id}/resolve", headers=staff, json={
        "result": result, "root_cause": root_cause, "upheld": upheld, "compensation": compensation})
    assert r.status_code == expect, r.text
    return r.json()
