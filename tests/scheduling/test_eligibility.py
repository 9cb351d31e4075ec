from tests.conftest import auth


async def test_only_eligible_workers_count(client, world, session):
    """Slots need a worker with the skill, verified and active, within radius, certified for it, working then."""
    from sqlalchemy import update

    from anjia.workforce.models import WorkerProfile
    from tests.support import next_weekday

    h = auth(world["token"])
    day = next_weekday(2, 10).date().isoformat()
    params = {"service_id": world["services"]["居家老人陪护"], "address_id": world["address_id"],
              "from": day, "to": day, "hours": 4}
    slots = (await client.get("/api/v1/availability", params=params, headers=h)).json()["days"][0]["slots"]
    assert slots and not any(s["available"] for s in slots)  # nobody has elderly_care
    await session.execute(update(WorkerProfile).values(skills=["elderly_care"], review_status="submitted"))
    await session.commit()
    slots = (await client.get("/api/v1/availability", params=params, headers=h)).json()["days"][0]["slots"]
    assert not any(s["available"] for s in slots)  # not verified
    await session.execute(update(WorkerProfile).values(review_status="approved", radius_km=0.5))
    await session.commit()
    slots = (await client.get("/api/v1/availability", params=params, headers=h)).json()["days"][0]["slots"]
    assert not any(s["available"] for s in slots)  # too far
    await session.execute(update(WorkerProfile).values(radius_km=20))
    await session.commit()
    slots = (await client.get("/api/v1/availability", params=params, headers=h)).json()["days"][0]["slots"]
    assert not any(s["available"] for s in slots)  # no 养老护理员证 (only a health certificate)
    from anjia.workforce import seed as workforce_seed

    for w in world["workers"]:
        await workforce_seed.certify(session, w, ["elderly_care"])
    await session.commit()
    slots = (await client.get("/api/v1/availability", params=params, headers=h)).json()["days"][0]["slots"]
    assert all(s["available"] for s in slots)
