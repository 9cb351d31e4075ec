"""A small demo city for the live day's tests: the base seeds (staff, catalogue, region and rules,
commission) and a few of the demo city's customers and workers, made as the history makes them."""
import random
from datetime import UTC, datetime

from anjia.accounts import seed as accounts_seed
from anjia.addresses import seed as addresses_seed
from anjia.catalog import seed as catalog_seed
from anjia.commission import seed as commission_seed
from anjia.demo import history
from anjia.scheduling import seed as scheduling_seed
from anjia.workforce import seed as workforce_seed

WORKERS = [0, 1, 2, 25, 26, 33]  # cleaners, appliance technicians and a carer (history.SKILL_SETS' order)


async def small_city(session, customers: int = 6) -> dict:
    for step in (accounts_seed.seed, catalog_seed.seed, commission_seed.seed):
        await step(session)
    region = await scheduling_seed.seed_region(session)
    plan = history.plan_people(random.Random(history.SEED), datetime(2026, 9, 1, tzinfo=UTC))
    people = [plan.workers[i] for i in WORKERS]
    ids = await accounts_seed.add_people(session, "worker", [{"phone": w["phone"], "nickname": w["nickname"]}
                                                             for w in people])
    for w in people:
        await workforce_seed.seed_worker(session, ids[w["phone"]], region.id, w["skills"], w["lat"], w["lng"])
    chosen = plan.customers[:customers]
    cids = await accounts_seed.add_people(session, "customer", [{"phone": c["phone"], "nickname": c["nickname"]}
                                                                for c in chosen])
    await addresses_seed.add_addresses(session, [{**c["address"], "user_id": cids[c["phone"]], "region_id": region.id}
                                                 for c in chosen])
    await session.commit()
    return {"workers": [ids[w["phone"]] for w in people], "customers": list(cids.values()), "region_id": region.id}
