"""The motion register's default order (newest filed first) read off an index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("motions", "0002_session_attendance")]
    operations = [
        migrations.AddIndex("motion", models.Index(fields=["-filed_at", "id"], name="motion_filed_at_order")),
    ]
