"""A paid (so dispatched) order and a worker's credentials, for the dispatch and fieldwork tests."""
from anjia.core.security import create_access_token
from tests.conftest import auth, staff_token
from tests.support import KITCHEN, next_weekday


async def paid_order(client, session, world, service="厨房深度清洁", start=None, **body):
    h = auth(world["token"])
    payload = {"service_id": world["services"][service], "address_id": world["address_id"],
               "start": (start or next_weekday(2, 10)).isoformat(), **(KITCHEN if service == "厨房深度清洁" else {}),
               **body}
    order = (await client.post("/api/v1/orders", json=payload, headers=h)).json()
    assert "id" in order, order
    staff = auth(await staff_token(client, session, f"disp{order['id']}", ["dispatcher"]))
    r = await client.post(f"/api/v1/admin/orders/{order['id']}/payments/offline", headers=staff,
                            json={"method": "cash"})
    assert r.status_code == 201, r.text
    return order, staff


def worker_auth(worker_id):
    return auth(create_access_token(worker_id, "worker", []))
