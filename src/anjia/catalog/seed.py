"""The demo catalogue: what a 上海 home-services company sells, at realistic prices (fen)."""
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.catalog.models import Category, Service
from anjia.catalog.schemas import ServiceFields

ECO = {"code": "eco", "type": "bool", "label": "环保清洁剂", "label_en": "Eco-friendly products", "surcharge": 2000}
PETS = {"code": "pets", "type": "bool", "label": "家中有宠物", "label_en": "Pets at home"}
NOTES = {"code": "notes", "type": "text", "label": "备注", "label_en": "Notes", "max_length": 200}


def _choices(*rows):
    return [{"code": c, "label": lab, "label_en": en, "surcharge": s, "extra_minutes": m} for c, lab, en, s, m in rows]


KITCHEN_FOCUS = {"code": "focus_areas", "type": "multi", "label": "重点区域", "label_en": "Focus areas",
                 "choices": _choices(("stove", "灶台", "Stove", 0, 0), ("hood", "抽油烟机", "Range hood", 8000, 60),
                                     ("cabinets", "橱柜", "Cabinets", 5000, 45), ("sink", "水槽", "Sink", 0, 0))}
DEPTH = {"code": "depth", "type": "single", "label": "清洁深度", "label_en": "Depth", "required": True,
         "default": "normal",
         "choices": [{"code": "normal", "label": "普通", "label_en": "Standard"},
                     {"code": "deep", "label": "深度", "label_en": "Deep", "surcharge_bp": 3000, "extra_minutes": 60}]}
HOME_FOCUS = {"code": "focus_areas", "type": "multi", "label": "重点区域", "label_en": "Focus areas",
              "choices": _choices(("kitchen", "厨房", "Kitchen", 0, 0), ("bathroom", "卫生间", "Bathroom", 0, 0),
                                  ("balcony", "阳台", "Balcony", 0, 0), ("windows", "玻璃", "Windows", 0, 0))}
HEIGHT = {"code": "high_work", "type": "bool", "label": "需要高空作业（3米以上）", "label_en": "Work above 3 m",
          "surcharge": 3000}
CARE_LEVEL = {"code": "care_level", "type": "single", "label": "自理程度", "label_en": "Self-care", "required": True,
              "default": "independent",
              "choices": [{"code": "independent", "label": "能自理", "label_en": "Independent"},
                          {"code": "partial", "label": "半自理", "label_en": "Partly", "surcharge_bp": 2000},
                          {"code": "dependent", "label": "不能自理", "label_en": "Dependent", "surcharge_bp": 5000}]}


def item(code, name, en, price, minutes=60):
    return {"code": code, "name": name, "name_en": en, "unit_price": price, "duration_minutes": minutes}


CATALOG = [
    ("日常保洁", "Regular cleaning", "home", [
        dict(name="全屋清洁", name_en="Whole-home cleaning", skill="cleaning", pricing_kind="hourly", unit_name="小时",
             description="按小时计费的日常保洁：除尘、拖地、厨卫清洁、垃圾清理。2 小时起约。",
             items=[item("hour", "保洁工时", "Cleaning hour", 5000)], min_hours=2, max_hours=8,
             options=[HOME_FOCUS, ECO, PETS, NOTES]),
        dict(name="厨房清洁", name_en="Kitchen cleaning", skill="cleaning", pricing_kind="fixed", unit_name="次",
             description="灶台、台面、水槽、墙面瓷砖的日常清洁。", items=[item("kitchen", "厨房", "Kitchen", 12000, 120)],
             options=[KITCHEN_FOCUS, ECO, PETS, NOTES]),
        dict(name="卫生间清洁", name_en="Bathroom cleaning", skill="cleaning", pricing_kind="fixed", unit_name="间",
             description="马桶、淋浴区、洗手台、镜面、地漏除垢。", items=[item("bathroom", "卫生间", "Bathroom", 8000, 90)],
             options=[ECO, PETS, NOTES]),
    ]),
    ("深度保洁", "Deep cleaning", "star", [
        dict(name="全屋深度保洁", name_en="Whole-home deep clean", skill="cleaning", pricing_kind="fixed", unit_name="套",
             description="开荒级深度清洁，含 60㎡，超出按面积计费。", items=[item("home", "全屋（含60㎡）", "Home (60 m²)", 29900, 240)],
             options=[{"code": "area", "type": "number", "label": "房屋面积", "label_en": "Floor area", "unit": "㎡",
                       "min": 20, "max": 400, "included_units": 60, "per_unit_surcharge": 500, "minutes_per_unit": 2,
                       "required": True, "default": 60}, ECO, PETS, NOTES]),
        dict(name="厨房深度清洁", name_en="Kitchen deep clean", skill="cleaning", pricing_kind="fixed", unit_name="次",
             description="重油污深度清洁：灶台、抽油烟机外壳、橱柜内外、墙面与地面。",
             items=[item("kitchen_deep", "厨房深度清洁", "Kitchen deep clean", 26800, 180)],
             options=[KITCHEN_FOCUS, DEPTH, ECO, PETS, NOTES]),
    ]),
    ("家电清洗", "Appliance cleaning", "laptop", [
        dict(name="空调清洗", name_en="Air conditioner", skill="appliance", pricing_kind="fixed", unit_name="台",
             description="拆洗滤网、蒸发器高温蒸汽杀菌，外机清洁。",
             items=[item("wall", "挂机", "Wall unit", 8000, 60), item("floor", "柜机", "Floor unit", 12000, 90),
                    item("central", "中央空调（单出风口）", "Central (per vent)", 15000, 90)],
             options=[HEIGHT, NOTES]),
        dict(name="洗衣机清洗", name_en="Washing machine", skill="appliance", pricing_kind="fixed", unit_name="台",
             description="拆内筒除垢除菌。", items=[item("top", "波轮", "Top loader", 10000, 90),
                                              item("front", "滚筒", "Front loader", 13000, 120)], options=[NOTES]),
        dict(name="油烟机清洗", name_en="Range hood", skill="appliance", pricing_kind="fixed", unit_name="台",
             description="拆洗叶轮、油网、油杯，去除重油污。",
             items=[item("european", "欧式", "European", 15000, 90), item("chinese", "中式", "Chinese", 12000, 90),
                    item("side", "侧吸式", "Side draft", 14000, 90)], options=[NOTES]),
        dict(name="冰箱清洗", name_en="Refrigerator", skill="appliance", pricing_kind="fixed", unit_name="台",
             description="内胆、隔板、密封条清洁除味。",
             items=[item("single", "单门", "Single door", 8000, 60), item("double", "双门", "Double door", 11000, 90),
                    item("side_by_side", "对开门", "Side-by-side", 15000, 120)], options=[NOTES]),
    ]),
    ("家居保养", "Home care", "tools", [
        dict(name="地板打蜡", name_en="Floor waxing", skill="home_care", pricing_kind="fixed", unit_name="次",
             description="实木/复合地板清洁打蜡，含 30㎡。", items=[item("floor", "地板（含30㎡）", "Floor (30 m²)", 20000, 150)],
             options=[{"code": "area", "type": "number", "label": "打蜡面积", "label_en": "Area", "unit": "㎡", "min": 10,
                       "max": 300, "included_units": 30, "per_unit_surcharge": 500, "minutes_per_unit": 2,
                       "required": True, "default": 30}, NOTES]),
        dict(name="家具擦拭", name_en="Furniture care", skill="home_care", pricing_kind="hourly", unit_name="小时",
             description="实木家具清洁养护。", items=[item("hour", "工时", "Hour", 6000)], min_hours=2, max_hours=6,
             options=[NOTES]),
    ]),
    ("保姆", "Nanny", "user", [
        dict(name="住家保姆", name_en="Live-in nanny", skill="nanny", pricing_kind="package", unit_name="天",
             description="住家照顾起居、做饭、家务，每天工作约 10 小时，26 天起。",
             items=[item("day", "住家服务日", "Day", 25000, 600)], min_days=26, max_days=365, daily_hours=10,
             deposit=100000, options=[PETS, NOTES]),
        dict(name="白班保姆", name_en="Day nanny", skill="nanny", pricing_kind="package", unit_name="天",
             description="白天上门，家务与做饭，每天 8 小时，5 天起。",
             items=[item("day", "白班服务日", "Day", 18000, 480)], min_days=5, max_days=365, daily_hours=8,
             deposit=50000, options=[PETS, NOTES]),
    ]),
    ("月嫂", "Maternity nurse", "heart", [
        dict(name="金牌月嫂", name_en="Senior maternity nurse", skill="maternity", pricing_kind="package", unit_name="天",
             description="24 小时住家照护产妇与新生儿，26 天一单。",
             items=[item("day", "月嫂服务日", "Day", 38000, 1440)], min_days=26, max_days=52, daily_hours=24,
             deposit=200000, options=[NOTES]),
    ]),
    ("老人护理", "Elderly care", "team", [
        dict(name="居家老人陪护", name_en="Elderly companion care", skill="elderly_care", pricing_kind="hourly",
             unit_name="小时", description="陪伴、助餐、助浴、用药提醒。4 小时起约。",
             items=[item("hour", "陪护工时", "Care hour", 6000)], min_hours=4, max_hours=12,
             options=[CARE_LEVEL, NOTES]),
    ]),
    ("病人护理", "Patient care", "service", [
        dict(name="医院陪护", name_en="Hospital care", skill="patient_care", pricing_kind="package", unit_name="天",
             description="医院 24 小时陪护：生活照料、翻身、协助就医。",
             items=[item("day", "陪护日", "Day", 30000, 1440)], min_days=1, max_days=90, daily_hours=24,
             deposit=50000, options=[CARE_LEVEL, NOTES]),
        dict(name="居家病人护理", name_en="Home patient care", skill="patient_care", pricing_kind="hourly",
             unit_name="小时", description="术后或慢病居家护理。4 小时起约。",
             items=[item("hour", "护理工时", "Care hour", 7000)], min_hours=4, max_hours=12,
             options=[CARE_LEVEL, NOTES]),
    ]),
]


async def seed(session: AsyncSession) -> int:
    created = 0
    for sort, (name, name_en, icon, services) in enumerate(CATALOG, start=1):
        cat = await session.scalar(select(Category).where(Category.name == name))
        if cat is None:
            cat = Category(name=name, name_en=name_en, icon=icon, sort=sort, published=True)
            session.add(cat)
            await session.flush()
            created += 1
        for position, spec in enumerate(services, start=1):
            if await session.scalar(select(Service.id).where(Service.name == spec["name"])):
                continue
            fields = ServiceFields.model_validate({"category_id": cat.id, **spec}).model_dump(mode="json")
            session.add(Service(**fields, sort=position))
            created += 1
    await session.flush()
    return created
