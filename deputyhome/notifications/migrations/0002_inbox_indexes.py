"""The unread count on every page and the inbox's two parts, each read off an index of its own."""

from django.db import migrations, models

IN_SITE = models.Q(channel="in_app")


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]
    operations = [
        migrations.AddIndex(
            "notification",
            models.Index(fields=["user"], condition=IN_SITE & models.Q(read_at=None), name="notification_unread"),
        ),
        migrations.AddIndex(
            "notification",
            models.Index(
                fields=["user", "-created_at", "-id"],
                condition=IN_SITE & models.Q(read_at__isnull=False),
                name="notification_read",
            ),
        ),
    ]
