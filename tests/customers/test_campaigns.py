"""Coupon campaigns: launched to a segment with a control group decided by hash (the same on
every run), coupons issued through the coupons package (once per customer and campaign), the
report counting redemptions, orders and GMV per arm since launch; access and bad input."""
from sqlalchemy import select, text

from anjia.coupons.models import Coupon
from anjia.customers import campaigns, segments
from anjia.customers.models import CampaignMember
from tests.conftest import auth, staff_token
from tests.customers.helpers import customer, past_order
from tests.dispatch.helpers import paid_order

BODY = {"name": "回流关怀", "segment": "new", "kind": "amount", "value": 3000, "min_spend": 10000, "valid_days": 7,
        "coupon_title": "新客满100减30", "control_percent": 30}


async def _segment(session, world, n=12):
    """The world's customer and `n` more, all new; one old customer who is lost."""
    people = [await customer(session, f"1390000{i:04d}", f"客{i}", days_ago=2) for i in range(n)]
    old = await customer(session, "13900009999", "老客", days_ago=400)
    await past_order(session, world, old.id, days_ago=300, total=10_000)
    await segments.recompute(session)
    await session.commit()
    return people


def test_the_control_group_is_the_share_asked_chosen_by_hash():
    ids = list(range(1, 2001))
    held = campaigns.control_group(7, ids, 1000)
    assert len(held) == 200 and held == campaigns.control_group(7, list(reversed(ids)), 1000)
    assert held != campaigns.control_group(8, ids, 1000)
    assert max(campaigns.bucket(7, c) for c in held) <= min(campaigns.bucket(7, c) for c in set(ids) - held)
    assert campaigns.control_group(7, ids, 0) == set()
    assert len(campaigns.control_group(7, [1, 2, 3, 4, 5, 6, 7, 8], 1000)) == 1  # a small segment keeps a control
    assert len(campaigns.control_group(7, [1, 2, 3], 5000)) == 2  # rounded half up, someone always treated
    assert campaigns.control_group(7, [1], 5000) == set()


async def test_launch_issues_to_the_treated_only_and_the_report_counts_a_redemption(client, session, world, engine):
    people = await _segment(session, world)
    h = auth(await staff_token(client, session, "yunying", ["marketing"]))
    r = await client.post("/api/v1/admin/campaigns", json=BODY, headers=h)
    assert r.status_code == 201, r.text
    c = r.json()
    members = {m.customer_id: m for m in await session.scalars(select(CampaignMember)
                                                                .where(CampaignMember.campaign_id == c["id"]))}
    everyone = {p.id for p in people} | {world["customer_id"]}
    assert set(members) == everyone  # the lost customer is not in the segment
    control = campaigns.control_group(c["id"], sorted(everyone), 3000)
    assert {cid for cid, m in members.items() if m.arm == "control"} == control and len(control) == 4  # 30 % of 13
    treated = everyone - control
    coupons = list(await session.scalars(select(Coupon).where(Coupon.source == "campaign")))
    assert {x.customer_id for x in coupons} == treated
    assert {(x.title, x.value, x.min_spend, x.source_ref) for x in coupons} == {
        ("新客满100减30", 3000, 10000, f"campaign:{c['id']}")}
    assert (c["members"], c["issued"], c["redeemed"]) == (len(everyone), len(treated), 0)

    # the world's customer orders: with the coupon when treated (applied automatically), and pays
    order, _ = await paid_order(client, session, world)
    arm = members[world["customer_id"]].arm
    assert order["quote"]["discount_total"] == (3000 if arm == "treated" else 0)
    report = (await client.get(f"/api/v1/admin/campaigns/{c['id']}", headers=h)).json()
    by_arm = {a["arm"]: a for a in report["arms"]}
    mine, other = by_arm[arm], by_arm["control" if arm == "treated" else "treated"]
    assert (mine["orders"], mine["buyers"], mine["gmv"]) == (1, 1, order["total"])
    assert mine["redeemed"] == (1 if arm == "treated" else 0)
    assert (other["orders"], other["gmv"], other["redeemed"]) == (0, 0, 0)
    assert mine["conversion_bp"] == 10_000 // mine["members"]
    assert report["lift_gmv_per_member"] == by_arm["treated"]["gmv_per_member"] - by_arm["control"]["gmv_per_member"]
    listed = (await client.get("/api/v1/admin/campaigns", headers=h)).json()
    assert listed["total"] == 1 and listed["items"][0]["redeemed"] == mine["redeemed"]
    async with engine.connect() as conn:
        row = (await conn.execute(text("SELECT after FROM audit_logs WHERE action = 'campaign.create'"))).one()
    assert (row.after["members"], row.after["treated"]) == (len(everyone), len(treated))

    # the profile shows the membership
    profile = (await client.get(f"/api/v1/admin/customers/{world['customer_id']}", headers=h)).json()
    assert [(x["campaign_id"], x["arm"]) for x in profile["campaigns"]] == [(c["id"], arm)]


async def test_no_control_group_and_bad_input(client, session, world):
    await _segment(session, world, n=2)
    h = auth(await staff_token(client, session, "yunying", ["marketing"]))
    r = await client.post("/api/v1/admin/campaigns", json={**BODY, "control_percent": 0, "kind": "percent",
                                                          "value": 1500, "cap": 5000}, headers=h)
    assert r.status_code == 201, r.text
    report = (await client.get(f"/api/v1/admin/campaigns/{r.json()['id']}", headers=h)).json()
    assert [a["members"] for a in report["arms"]] == [3, 0] and report["lift_conversion_bp"] is None

    async def refused(body, status, code=None):
        before = (await client.get("/api/v1/admin/campaigns", headers=h)).json()["total"]
        r = await client.post("/api/v1/admin/campaigns", json=body, headers=h)
        assert r.status_code == status, r.text
        if code:
            assert r.json()["code"] == code
        assert (await client.get("/api/v1/admin/campaigns", headers=h)).json()["total"] == before

    await refused({**BODY, "segment": "high_value"}, 422, "campaign_empty_segment")
    await refused({**BODY, "service_id": 999_999}, 422, "invalid_campaign")
    await refused({**BODY, "cap": 1000}, 422)  # a cap on an amount coupon
    await refused({**BODY, "kind": "percent", "value": 10_001}, 422)
    await refused({**BODY, "control_percent": 51}, 422)
    await refused({**BODY, "segment": "vip"}, 422)
    support = auth(await staff_token(client, session, "kefu", ["support"]))
    assert (await client.post("/api/v1/admin/campaigns", json=BODY, headers=support)).status_code == 403
    assert (await client.get("/api/v1/admin/campaigns", headers=support)).status_code == 403
    r = await client.get("/api/v1/admin/campaigns/999999", headers=h)
    assert r.status_code == 404 and r.json()["code"] == "campaign_not_found"
