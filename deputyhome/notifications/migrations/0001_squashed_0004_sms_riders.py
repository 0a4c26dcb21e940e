import deputyhome.core.crypto
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('notifications', '0001_initial'),
        ('notifications', '0002_inbox_indexes'),
        ('notifications', '0003_failed_deliveries'),
        ('notifications', '0004_sms_riders'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='NumberSms',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('phone', deputyhome.core.crypto.EncryptedCharField(max_length=120, verbose_name='手机号')),
                ('text', models.TextField(verbose_name='内容')),
                ('purpose', models.CharField(max_length=40, verbose_name='用途')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='发送时间')),
                ('error', models.TextField(blank=True, verbose_name='发送错误')),
                ('tries', models.PositiveSmallIntegerField(default=0, verbose_name='发送次数')),
            ],
            options={
                'verbose_name': '发往号码的短信',
                'verbose_name_plural': '发往号码的短信',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(condition=models.Q(('sent_at', None)), fields=['-created_at', '-id'], name='number_sms_unsent')],
            },
        ),
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('channel', models.CharField(choices=[('in_app', '站内消息'), ('email', '电子邮件'), ('sms', '短信')], default='in_app', max_length=8, verbose_name='渠道')),
                ('subject', models.CharField(max_length=200, verbose_name='标题')),
                ('body', models.TextField(blank=True, verbose_name='内容')),
                ('link', models.CharField(blank=True, max_length=300, verbose_name='链接')),
                ('key', models.CharField(blank=True, max_length=200, verbose_name='去重键')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                ('sent_ok', models.BooleanField(default=True, verbose_name='发送成功')),
                ('error', models.TextField(blank=True, verbose_name='发送错误')),
                ('tries', models.PositiveSmallIntegerField(default=1, verbose_name='发送次数')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='已读时间')),
                ('sent_with', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='riders', to='notifications.notification', verbose_name='随同发送')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '通知',
                'verbose_name_plural': '通知',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(condition=models.Q(('channel', 'in_app'), ('read_at', None)), fields=['user'], name='notification_unread'), models.Index(condition=models.Q(('channel', 'in_app'), ('read_at__isnull', False)), fields=['user', '-created_at', '-id'], name='notification_read'), models.Index(condition=models.Q(('sent_ok', False)), fields=['-created_at', '-id'], name='notification_failed'), models.Index(condition=models.Q(('sent_with__isnull', False)), fields=['sent_with'], name='notification_riders')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('key', ''), _negated=True), fields=('user', 'channel', 'key'), name='notification_unique_key')],
            },
        ),
    ]
