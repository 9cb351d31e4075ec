"""A completed order reviewed by the world's customer, and a photo to attach."""
import io

from PIL import Image

from tests.conftest import auth
from tests.settlement.helpers import completed_order


def jpeg(color=(200, 120, 40), size=(64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG")
    return buf.getvalue()


async def upload(client, token: str, data: bytes | None = None):
    return await client.post("/api/v1/reviews/photos", headers=auth(token),
                             files={"file": ("p.jpg", data or jpeg(), "image/jpeg")})


async def review(client, token: str, order_id: int, **body):
    return await client.post(f"/api/v1/orders/{order_id}/review", headers=auth(token),
                             json={"quality": 5, "attitude": 5, "skill": 5, "text": "", **body})


async def reviewed(client, session, world, *, week: int = 0, **body) -> tuple[dict, int, dict]:
    """(order, worker id, review) for a freshly completed order."""
    order, worker = await completed_order(client, session, world, week=week)
    r = await review(client, world["token"], order["id"], **body)
    assert r.status_code == 201, r.text
    return order, worker, r.json()
