from shared.mongo import AGENCIES, CALENDARS, CATEGORIES, OFFICIALS, SLA_POLICIES, Database
from shared.settings import Settings
from shared.sla.policy_store import policy_in_force
from shared.sla.targets import SlaUnit
from tanggap.seed import seed_demo


async def test_seed_is_idempotent(db: Database, settings: Settings) -> None:
    first = await seed_demo(db, settings)
    counts = {name: await db[name].count_documents({}) for name in (AGENCIES, CATEGORIES, CALENDARS, OFFICIALS, SLA_POLICIES)}

    second = await seed_demo(db, settings)

    assert first.created["agencies"] == 13
    assert second.created == {}
    assert counts == {name: await db[name].count_documents({}) for name in counts}


async def test_seed_category_policy_overrides_agency_default(db: Database, settings: Settings) -> None:
    await seed_demo(db, settings)

    street_lights = await policy_in_force(db, "DISHUB", "lampu-jalan")
    traffic = await policy_in_force(db, "DISHUB", "lalu-lintas")
    fire = await policy_in_force(db, "DAMKAR", "kebakaran")

    assert street_lights.resolution.amount == 3
    assert traffic.resolution.amount == 5
    assert fire.calendar_code == "24x7"
    assert fire.response.unit is SlaUnit.MINUTES
