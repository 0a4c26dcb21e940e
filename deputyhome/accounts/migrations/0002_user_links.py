import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('accounts', '0002_login_lock_and_password_age'),
        ('accounts', '0003_unassigned_role'),
        ('accounts', '0004_one_time_password'),
        ('accounts', '0005_otp_secrets_at_rest'),
        ('accounts', '0006_role_and_one_time_indexes'),
        ('accounts', '0007_disabled_as_former'),
    ]

    dependencies = [
        ('accounts', '0001_user'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('deputies', '0001_squashed_0005_phone_before'),
        ('otp_static', '0003_add_timestamps'),
        ('otp_totp', '0003_add_timestamps'),
        ('organisation', '0001_squashed_0006_group_founded_on'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='deputy',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='user', to='deputies.deputy', verbose_name='代表本人'),
        ),
        migrations.AddField(
            model_name='user',
            name='group',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.deputygroup', verbose_name='所属小组'),
        ),
        migrations.AddField(
            model_name='user',
            name='groups',
            field=models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups'),
        ),
        migrations.AddField(
            model_name='user',
            name='region',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.region', verbose_name='所属区域'),
        ),
        migrations.AddField(
            model_name='user',
            name='unit',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.handlingunit', verbose_name='承办单位'),
        ),
        migrations.AddField(
            model_name='user',
            name='user_permissions',
            field=models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions'),
        ),
        migrations.AddIndex(
            model_name='user',
            index=models.Index(fields=['role'], name='user_role'),
        ),
        migrations.AddIndex(
            model_name='user',
            index=models.Index(condition=models.Q(('password_one_time_until__isnull', False)), fields=['password_one_time_until'], name='user_one_time_until'),
        ),
        migrations.CreateModel(
            name='EncryptedTOTPDevice',
            fields=[
            ],
            options={
                'verbose_name': '动态验证码设备',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('otp_totp.totpdevice',),
        ),
        migrations.CreateModel(
            name='HashedStaticDevice',
            fields=[
            ],
            options={
                'verbose_name': '备用码',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('otp_static.staticdevice',),
        ),
    ]
