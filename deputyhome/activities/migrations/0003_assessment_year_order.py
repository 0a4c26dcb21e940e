"""The assessments' register in its default order (newest year first) read off an index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("activities", "0002_default_station_standards")]
    operations = [
        migrations.AddIndex("stationassessment", models.Index(fields=["-year", "id"], name="assessment_year_order")),
    ]
