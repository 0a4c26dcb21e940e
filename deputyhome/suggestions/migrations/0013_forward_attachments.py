"""A city unit's answer to a forwarded matter may carry files (答复函): an attachment may belong to a forward."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0012_handling_due_id_index")]
    operations = [
        migrations.AddField(
            "attachment",
            "forward",
            models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="attachments",
                to="suggestions.forward",
            ),
        ),
    ]
