"""Chromium, issue 13's "done when", with every provider on its local fake: Aliyun SMS (the sign-in
code), Tencent Location Service (place suggestions, driving routes), a local tile server for the
maps and moto's S3 server for the media. An anonymous visitor browses a service and its price, is
asked to sign in at 选择时间 and comes back there; adds an address from the place suggestions;
books. The worker (through the worker API, as the worker app does) sets off and reports positions:
the marker moves on the customer's order map and on the console's live map, both on Leaflet over
the tiles, both with the road ETA the fake's route gave (not the straight line). The worker's record
photo lands in the bucket and is shown to the customer and the operator through presigned links.
Screenshots: test-artifacts/e2e/providers-*."""
import math
import re
from urllib.parse import parse_qs, urlsplit

import boto3
import httpx
from moto.server import ThreadedMotoServer
from playwright.async_api import expect
from sqlalchemy import text

from anjia.providers.maps import straight_minutes
from tests.conftest import auth, make_staff
from tests.dispatch.helpers import worker_auth
from tests.e2e.conftest import _watched, admin_sign_in, shot
from tests.e2e.test_booking import pick_kitchen_deep_clean, pick_slot
from tests.e2e.test_live_map import TileServer
from tests.e2e.test_reviews import loaded, photo
from tests.fakes.aliyun_sms import FakeAliyunSms
from tests.fakes.tencent_lbs import FakeTencentLbs, km
from tests.support import Server, next_weekday

PHONE = "13766660001"
BUCKET = "anjia-e2e-media"
HOME = (31.1951, 121.4381)  # 漕溪北路88号, as the fake knows it
S3_KEYS = {"S3_ACCESS_KEY_ID": "AKIAFAKEANJIAE2E0001", "S3_SECRET_ACCESS_KEY": "fake-e2e-secret-0001"}


def road_minutes(a: tuple[float, float], b: tuple[float, float]) -> int:
    """What the fake's driving route answers: via the corner of the two points at 30 km/h."""
    corner = (a[0], b[1])
    return max(1, math.ceil(round((km(a, corner) + km(corner, b)) * 1000) / 1000 / 30 * 60))


class Fakes:
    def __init__(self):
        self.lbs, self.tiles = FakeTencentLbs(), TileServer()
        self.lbs.add_place("漕溪北路88号", "上海市徐汇区漕溪北路88号", *HOME, district="徐汇区")
        self.lbs.add_place("漕河泾开发区", "上海市徐汇区宜山路900号", 31.1700, 121.3990, district="徐汇区")
        self.sms = FakeAliyunSms(templates={"SMS_470001": ("code", "minutes"), "SMS_470003": ("title",)})
        self.s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.s3.start()
        host, port = self.s3.get_host_and_port()
        self.s3_url = f"http://{host}:{port}"
        self.bucket = boto3.client("s3", endpoint_url=self.s3_url, region_name="us-east-1",
                                   aws_access_key_id=S3_KEYS["S3_ACCESS_KEY_ID"],
                                   aws_secret_access_key=S3_KEYS["S3_SECRET_ACCESS_KEY"])
        self.bucket.create_bucket(Bucket=BUCKET)

    def env(self) -> dict[str, str]:
        return {"MAPS_PROVIDER": "tencent", "TENCENT_LBS_KEY": self.lbs.key, "TENCENT_LBS_SK": self.lbs.sk,
                "TENCENT_LBS_BASE": self.lbs.base, "MAP_TILES_URL": self.tiles.base + "/{z}/{x}/{y}.png",
                "MAP_TILES_ATTRIBUTION": "本地测试瓦片",
                "SMS_PROVIDER": "aliyun", "ALIYUN_ACCESS_KEY_ID": self.sms.access_key_id,
                "ALIYUN_ACCESS_KEY_SECRET": self.sms.access_key_secret, "ALIYUN_SMS_ENDPOINT": self.sms.endpoint,
                "ALIYUN_SMS_SCHEME": "http", "SMS_TEMPLATES": '{"code": "SMS_470001", "notice": "SMS_470003"}',
                "STORAGE_BACKEND": "s3", "S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": self.s3_url,
                "S3_REGION": "us-east-1", "S3_ADDRESSING_STYLE": "path", **S3_KEYS}

    def keys(self) -> list[str]:
        return sorted(o["Key"] for o in self.bucket.list_objects_v2(Bucket=BUCKET).get("Contents", []))

    def close(self):
        self.lbs.close()
        self.tiles.close()
        self.sms.close()
        self.s3.stop()


async def sign_in_at_choose_time(page) -> None:
    """On the service page of an anonymous visitor: 登录后选择时间 opens the sign-in page, which asks the
    server for a code (sent through the Aliyun fake)."""
    await page.locator(".svc__next").click()
    phone = page.get_by_placeholder("请输入手机号")
    await expect(phone).to_be_visible(timeout=15_000)
    await phone.fill(PHONE)
    await page.locator("uni-button", has_text="获取验证码").click()
    await expect(page.get_by_text(re.compile(r"\d+\s*秒后重发"))).to_be_visible(timeout=10_000)


async def test_a_visitor_books_and_follows_the_visit_on_real_providers(browser, world, session):
    fakes = Fakes()
    server = Server(serve_frontends=True, env=fakes.env())
    base = server.url
    phone_ctx = await browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                          locale="zh-CN", is_mobile=True, has_touch=True)
    admin_ctx = await browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    violations = [await _watched(phone_ctx), await _watched(admin_ctx)]
    api = httpx.AsyncClient(base_url=base, timeout=20)  # the server process with the providers configured
    try:
        # 1. an anonymous visitor browses to a service and its price
        page = await phone_ctx.new_page()
        await page.goto(base + "/")
        await expect(page.locator(".home__cat", has_text="深度保洁")).to_be_visible(timeout=20_000)
        await pick_kitchen_deep_clean(page)  # the price of the chosen options: ¥428.40
        await expect(page.locator(".svc__next")).to_contain_text("登录后选择时间")
        await shot(page, "providers-01-service-anonymous")

        # 2. 选择时间 asks for sign-in; the code comes through Aliyun SMS (the fake); back to the service
        await sign_in_at_choose_time(page)
        code = fakes.sms.last_params(PHONE)["code"]
        assert re.fullmatch(r"\d{6}", code)
        await page.get_by_placeholder("请输入验证码").fill(code)
        await page.get_by_text("我已阅读并同意").click()
        await shot(page, "providers-02-sign-in")
        await page.locator("uni-button", has_text=re.compile(r"^\s*登录\s*$")).click()
        await expect(page.locator(".svc__name")).to_have_text("厨房深度清洁", timeout=20_000)
        await expect(page.locator(".svc__next")).not_to_contain_text("登录")
        assert "booking/service/index" in page.url
        await expect(page.locator(".bottom-bar__total")).to_contain_text("428.40", timeout=10_000)
        await shot(page, "providers-03-back-on-the-service")

        # 3. 选择时间 → no address yet → 添加地址 from the place suggestions
        await page.locator(".svc__next").click()
        await page.locator(".slots__add-address").click()
        search = page.get_by_placeholder("搜索小区、写字楼、街道")
        await expect(search).to_be_visible(timeout=20_000)
        await search.fill("漕溪")
        place = page.get_by_test_id("place-suggestion").filter(has_text="漕溪北路88号")
        await expect(place).to_be_visible(timeout=10_000)
        await shot(page, "providers-04-place-suggestions")
        await place.click()
        await expect(page.locator(".map__coords")).to_have_text(f"{HOME[0]:.6f}, {HOME[1]:.6f}")
        await expect(page.locator(".ae__district input")).to_have_value("徐汇区")
        # the picker is a Leaflet map on the tiles, the pin on the picked point
        await expect(page.get_by_test_id("address-map").locator(".leaflet-tile-loaded").first).to_be_visible(timeout=15_000)
        await expect(page.get_by_test_id("address-pin")).to_be_visible()
        await page.locator(".ae__contact input").fill("王女士")
        await shot(page, "providers-05-address-picked")
        await page.locator(".ae__save").click()

        # 4. books: a slot, the confirmation, 提交订单
        day = next_weekday(2, 10).date().isoformat()
        await expect(page.locator(".addr-card__title")).to_contain_text("漕溪北路", timeout=15_000)
        await pick_slot(page, day, "10:00")
        await shot(page, "providers-06-slot")
        await page.locator("uni-button", has_text="下一步").click()
        await expect(page.locator("uni-button", has_text="提交订单")).to_be_visible(timeout=15_000)
        await page.locator("uni-button", has_text="提交订单").click()
        await expect(page.locator(".banner")).to_contain_text("待支付", timeout=15_000)
        order_id = int(parse_qs(urlsplit(page.url.replace("#", "")).query)["id"][0])
        row = (await session.execute(text("SELECT status, address->>'lat', address->>'lng' FROM orders WHERE id = :i"),
                                     {"i": order_id})).one()
        assert (float(row[1]), float(row[2])) == HOME  # the point of the picked place

        # paid at the counter by a dispatcher (the payment providers are issue 10's); the held worker accepts
        await make_staff(session, "ops13", ["admin"])
        staff = auth((await api.post("/api/v1/auth/login/password", json={
            "account": "ops13", "password": "staffpass1", "app": "admin"})).json()["access_token"])
        assert (await api.post(f"/api/v1/admin/orders/{order_id}/payments/offline", headers=staff,
                               json={"method": "cash"})).status_code == 201
        wh = worker_auth(world["workers"][0])  # 阿姨0, the nearest: held at booking, offered first
        for step in ("accept", "depart"):
            r = await api.post(f"/api/v1/worker/orders/{order_id}/{step}", headers=wh)
            assert r.status_code == 200, r.text

        # 5. the worker's phone reports a position: road ETA from the fake's route on both maps
        await page.goto(f"{base}/#/booking/order/index?id={order_id}")
        await expect(page.locator(".banner")).to_contain_text("师傅在路上", timeout=20_000)
        admin = await admin_ctx.new_page()
        await admin_sign_in(admin, base, "ops13")
        await admin.get_by_text("实时监控").first.click()
        await expect(admin.get_by_test_id("live-map-tiles")).to_be_visible(timeout=20_000)

        first = (31.2300, 121.4700)
        r = await api.post("/api/v1/worker/location", json={"lat": first[0], "lng": first[1]}, headers=wh)
        eta = road_minutes(first, HOME)
        assert r.status_code == 200 and r.json()["eta_source"] == "route" and r.json()["eta_minutes"] == eta
        assert eta != straight_minutes(first, HOME)  # the figure tells the route from the straight line

        await expect(page.get_by_test_id("track-map")).to_be_visible(timeout=15_000)
        await expect(page.locator(".track__map .leaflet-tile-loaded").first).to_be_visible(timeout=15_000)
        await expect(page.locator(".banner__eta")).to_contain_text(f"{eta} 分钟", timeout=10_000)
        marker = page.get_by_test_id("track-worker")
        await expect(marker).to_be_visible()
        await expect(page.get_by_text("登录成功")).to_be_hidden(timeout=5_000)
        customer_before = await marker.bounding_box()
        await shot(page, "providers-07-customer-map")

        live = admin.get_by_test_id("live-worker").filter(has=admin.get_by_text("阿姨0"))
        await expect(live).to_be_visible(timeout=20_000)
        await expect(admin.locator(".leaflet-tile-loaded").first).to_be_visible(timeout=20_000)
        card = admin.locator(".live-order", has_text="厨房深度清洁")
        await expect(card.get_by_test_id("live-eta")).to_have_text(f"约 {eta} 分钟到达", timeout=15_000)
        await expect(live.get_by_test_id("live-marker-eta")).to_have_text(f"{eta} 分钟")
        await expect(admin.locator("[data-testid=live-orders] .el-loading-mask")).to_have_count(0)
        admin_before = await live.bounding_box()
        await shot(admin, "providers-08-admin-live-map")

        closer = (31.2050, 121.4500)
        r = await api.post("/api/v1/worker/location", json={"lat": closer[0], "lng": closer[1]}, headers=wh)
        eta2 = road_minutes(closer, HOME)
        assert r.status_code == 200 and r.json()["eta_minutes"] == eta2 and eta2 != straight_minutes(closer, HOME)
        await expect(page.locator(".banner__eta")).to_contain_text(f"{eta2} 分钟", timeout=10_000)
        await expect(card.get_by_test_id("live-eta")).to_have_text(f"约 {eta2} 分钟到达", timeout=10_000)
        assert await marker.bounding_box() != customer_before
        assert await live.bounding_box() != admin_before
        await shot(page, "providers-09-customer-map-closer")
        await shot(admin, "providers-10-admin-live-map-closer")
        assert [c["path"] for c in fakes.lbs.calls].count("/ws/direction/v1/driving") >= 2
        assert fakes.lbs.refused == [] and any(p.endswith(".png") for p in fakes.tiles.paths)

        # 6. on site: the worker's record photo goes to the bucket; both views show it by a presigned link
        r = await api.post(f"/api/v1/worker/orders/{order_id}/check-in", headers=wh,
                           json={"lat": HOME[0], "lng": HOME[1]})
        assert r.status_code == 200, r.text
        r = await api.post(f"/api/v1/worker/orders/{order_id}/records", headers=wh,
                           data={"stage": "before", "note": "灶台油污较重"},
                           files={"file": ("before.jpg", photo(), "image/jpeg")})
        assert r.status_code == 201, r.text
        stored = fakes.keys()
        assert stored and all(k.startswith(f"orders/{order_id}/") for k in stored)

        await page.reload()
        thumb = page.locator(".record__thumb img")
        await loaded(page, ".record__thumb img")
        src = await thumb.first.get_attribute("src")
        assert_presigned(src, fakes.s3_url, stored)
        await page.locator(".records").scroll_into_view_if_needed()
        await shot(page, "providers-11-customer-record")

        await card.click()
        drawer = admin.locator(".el-drawer")
        await expect(drawer.get_by_test_id("records-section")).to_be_visible(timeout=15_000)
        await drawer.get_by_test_id("records-section").scroll_into_view_if_needed()
        await loaded(admin, "[data-testid=records-section] img")
        assert_presigned(await drawer.locator("[data-testid=records-section] img").first.get_attribute("src"),
                         fakes.s3_url, stored)
        await shot(admin, "providers-12-admin-record")
        assert violations == [[], []], violations
    finally:
        await api.aclose()
        await phone_ctx.close()
        await admin_ctx.close()
        server.stop()
        fakes.close()


def assert_presigned(src: str | None, endpoint: str, stored: list[str]) -> None:
    """A SigV4 presigned GET to the bucket on the S3 fake, for an object that is there."""
    assert src and src.startswith(f"{endpoint}/{BUCKET}/"), src
    url = urlsplit(src)
    q = parse_qs(url.query)
    assert q["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"] and q["X-Amz-Signature"] and q["X-Amz-Expires"]
    assert url.path.removeprefix(f"/{BUCKET}/") in stored
