"""The default lists (suggestions/defaults.py): ten suggestion categories and the A/B/C result scheme.

Both stay editable in the admin; this only fills an empty database.
"""

from django.db import migrations

from deputyhome.suggestions.defaults import CATEGORIES, RESULT_CLASSES

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
