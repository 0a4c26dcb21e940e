"""The default lists (DOMAIN.md): ten suggestion categories and the A/B/C result scheme.

Both stay editable in the admin; this only fills an empty database.
"""

from django.db import migrations

CATEGORIES = [
    "经济建设",
    "城乡建设与管理",
    "农业农村",
    "教育科技文化",
    "医疗卫生",
    "社会保障",
    "生态环境",
    "交通运输",
    "政法与社会治理",
    "其他",
]

RESULT_CLASSES = [
    ("A", "已解决或采纳", False, "1.00"),
    ("B", "正在解决或列入计划解决", True, "0.80"),
    ("C", "因条件限制或其他原因留作参考", True, "0.50"),
]


def forwards(apps, schema_editor):
    Category = apps.get_model("suggestions", "Category")
    ResultClass = apps.get_model("suggestions", "ResultClass")
    for order, name in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"order": order})
    for order, (code, label, follow, weight) in enumerate(RESULT_CLASSES, start=1):
        ResultClass.objects.get_or_create(
            code=code, defaults={"label": label, "needs_follow_up": follow, "score_weight": weight, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
