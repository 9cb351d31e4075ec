"""Demo reviews: more orders taken through the real services to completion, then reviewed —
mostly 4–5 stars, a few low ones (flagged for follow-up), replies, anonymous ones and one
hidden by support — plus the demo customers' favourites and preferences. Runs once (after the
settlement seed, whose completed orders get reviews too, one left for the customer to review)."""
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User, phone_is
from anjia.catalog.models import Service
from anjia.orders.models import Order
from anjia.orders.state import Status
from anjia.preferences import schemas as pref_schemas
from anjia.preferences import service as preferences
from anjia.reviews import schemas, service
from anjia.reviews.models import Review
from anjia.settlement.seed import complete_demo_order

HOME = {"hours": 3}
KITCHEN = {"items": [{"code": "kitchen", "quantity": 1}], "options": {"focus_areas": ["stove", "hood"]}}
HOOD = {"items": [{"code": "european", "quantity": 1}]}
AIRCON = {"items": [{"code": "wall", "quantity": 2}]}
# (customer phone, service, request, days ahead, local hour) — booked and, for the demo, done at once
ORDERS = [("13800000002", "全屋清洁", HOME, 2, 9), ("13800000003", "厨房清洁", KITCHEN, 2, 10),
          ("13800000001", "油烟机清洗", HOOD, 2, 14), ("13800000002", "空调清洗", AIRCON, 2, 15),
          ("13800000003", "全屋清洁", HOME, 3, 9), ("13800000001", "厨房清洁", KITCHEN, 3, 13),
          ("13800000002", "全屋清洁", HOME, 3, 14), ("13800000001", "空调清洗", AIRCON, 3, 10),
          ("13800000002", "厨房清洁", KITCHEN, 4, 9), ("13800000003", "油烟机清洗", HOOD, 4, 13)]
# (quality, attitude, skill, text, anonymous, the worker's reply)
REVIEWS = [
    (5, 5, 5, "阿姨非常细致，厨房的油污清理得干干净净，灶台缝隙都刷到了，下次还约她。", False,
     "谢谢您的认可，期待下次再为您服务！"),
    (5, 5, 4, "准时到达，态度很好，就是收尾稍微有点赶。", True, None),
    (4, 5, 4, "整体满意，窗户擦得很亮，卫生间还可以再仔细一点。", False, "收到，下次会多注意卫生间的细节。"),
    (5, 5, 5, "第二次预约了，一如既往的好，还提醒我们滤网该换了。", False, None),
    (2, 3, 2, "地板有几处没拖干净，沟通后也没有补做，有点失望。", False,
     "非常抱歉给您添麻烦了，已经和客服联系，安排上门补做。"),
    (5, 4, 5, "空调拆洗得很彻底，吹出来的风没有异味了，推荐！", False, None),
    (4, 4, 4, "还可以，价格稍微有点贵。", True, None),
    (1, 1, 2, "什么玩意儿，这种垃圾服务也好意思收钱，骗子！！！", False, None),  # hidden by support
    (5, 5, 5, "师傅很专业，带了鞋套和工具垫，走前把垃圾也带走了。", False, "感谢好评，祝您生活愉快！"),
    (3, 2, 3, "迟到了二十分钟，也没有提前打电话说一声。", True, None),
    (5, 5, 5, "油烟机像新的一样，师傅还教了日常保养的方法。", False, None),
    (4, 5, 5, "很贴心，家里的猫也没被吓到。", False, None),
]
HIDDEN_REASON = "含人身攻击和辱骂言语"
PREFERENCES = {
    "13800000001": pref_schemas.PreferencesIn(worker_gender="female", dialect="上海话", pets=True, eco_products=True,
                                              note="家里有猫，进出请随手关门"),
    "13800000003": pref_schemas.PreferencesIn(quiet_service=True, note="家有婴儿，下午一点到三点午睡，请轻声"),
    "13800000002": pref_schemas.PreferencesIn(worker_gender="male", dialect="普通话", eco_products=True),
}
# customer phone -> (favourite services, favourite workers by phone)
FAVOURITES = {"13800000001": (["全屋清洁", "油烟机清洗"], ["13900000001"]),
              "13800000002": (["空调清洗"], ["13900000003"]),
              "13800000003": (["全屋清洁"], ["13900000001", "13900000002"])}


async def _user(session: AsyncSession, kind: str, phone: str) -> User | None:
    return await session.scalar(select(User).where(User.kind == kind, phone_is(phone)))


async def seed(session: AsyncSession) -> int:
    if await session.scalar(select(Review.id).limit(1)):
        return 0
    finance = await session.scalar(select(User).where(User.kind == "staff", User.username == "finance1"))
    support = await session.scalar(select(User).where(User.kind == "staff", User.username == "support1"))
    if finance is None or support is None:
        return 0
    n = 0
    for phone, prefs in PREFERENCES.items():
        if (customer := await _user(session, "customer", phone)) is not None:
            await preferences.put(session, customer, prefs)
            n += 1
    for phone, (service_names, worker_phones) in FAVOURITES.items():
        customer = await _user(session, "customer", phone)
        if customer is None:
            continue
        for name in service_names:
            if (sid := await session.scalar(select(Service.id).where(Service.name == name))) is not None:
                await preferences.add_service(session, customer, sid)
        for wp in worker_phones:
            if (w := await _user(session, "worker", wp)) is not None:
                await preferences.add_worker(session, customer, w.id)
    # the settlement seed's completed orders but the newest (left for its customer to review)
    done = list(await session.scalars(select(Order).where(Order.status == Status.COMPLETED.value)
                                      .order_by(Order.id)))[:-1]
    for spec in ORDERS:
        phone, service_name, request, days, hour = spec
        if (order := await complete_demo_order(session, finance, phone, service_name, request, hour, days)) is not None:
            done.append(order)
    for order, (q, a, s, text, anonymous, reply) in zip(done, REVIEWS, strict=False):
        customer = await session.get(User, order.customer_id)
        review = await service.create(session, customer, order.id, schemas.ReviewIn(
            quality=q, attitude=a, skill=s, text=text, anonymous=anonymous))
        if reply:
            await service.reply(session, await session.get(User, review.worker_id), review.id, reply)
        if text.startswith("什么玩意儿"):
            await service.hide(session, support, review.id, HIDDEN_REASON, None)
        n += 1
    return n
