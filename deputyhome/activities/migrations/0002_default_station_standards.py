"""The default station checklist: 五有, 五统一 and the usual local station norms (DOMAIN.md).

Points add up to 100: 五有 10 each, 五统一 6 each, the four norms 5 each. Every item can be
edited or retired afterwards; a changed checklist does not rewrite stored assessments.
"""

from django.db import migrations

ITEMS = [
    # (group, code, label, description, points)
    ("five_haves", "WY-1", "有平台", "有固定的活动场所，面积适宜，桌椅、档案柜、公示栏等设施齐全。", 10),
    ("five_haves", "WY-2", "有制度", "家站工作职责、学习培训、联系接待选民、代表述职、意见建议处理等制度健全。", 10),
    ("five_haves", "WY-3", "有活动", "按计划组织代表开展视察、调研、走访、接待选民等活动，有记录可查。", 10),
    ("five_haves", "WY-4", "有效果", "收集的群众意见得到及时处理和反馈，解决了一批群众关心的实际问题。", 10),
    ("five_haves", "WY-5", "有看点", "结合本地实际形成工作特色和亮点，有可推广的经验做法。", 10),
    ("five_uniforms", "TY-1", "统一挂牌", "按统一样式在显著位置悬挂“人大代表之家”或“人大代表联络站”牌子。", 6),
    ("five_uniforms", "TY-2", "统一制度", "统一制定的各项工作制度上墙公示。", 6),
    ("five_uniforms", "TY-3", "统一台账", "活动记录、接待登记、意见建议办理等台账统一规范、及时完整。", 6),
    ("five_uniforms", "TY-4", "统一标识", "使用统一的人大代表标识和宣传用语。", 6),
    ("five_uniforms", "TY-5", "统一布置", "接待室、会议室、代表信息公示栏按统一要求布置。", 6),
    ("norms", "GF-1", "固定接待日", "确定固定的接待选民日，每周或每月至少一次，并向社会公布。", 5),
    ("norms", "GF-2", "代表每年进站", "进站代表每人每年至少到家站参加一次活动或接待选民。", 5),
    ("norms", "GF-3", "接待提前公告", "接待选民前至少2天发布公告，公布接待代表、时间和地点。", 5),
    ("norms", "GF-4", "小组季度活动", "代表小组每季度至少集中开展一次活动。", 5),
]


def load(apps, schema_editor):
    StandardItem = apps.get_model("activities", "StandardItem")
    for order, (group, code, label, description, points) in enumerate(ITEMS, start=1):
        StandardItem.objects.update_or_create(
            code=code,
            defaults={"group": group, "label": label, "description": description, "points": points, "order": order},
        )


def unload(apps, schema_editor):
    StandardItem = apps.get_model("activities", "StandardItem")
    StandardItem.objects.filter(code__in=[code for _g, code, *_rest in ITEMS], results__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_stations_campaigns_activities_problems")]

    operations = [migrations.RunPython(load, unload)]
