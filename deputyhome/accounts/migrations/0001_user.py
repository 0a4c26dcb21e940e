import django.contrib.auth.models
import django.contrib.auth.validators
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('accounts', '0001_initial'),
    ]

    dependencies = []

    operations = [
        migrations.CreateModel(
            name='User',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='password')),
                ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('username', models.CharField(error_messages={'unique': 'A user with that username already exists.'}, help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.', max_length=150, unique=True, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username')),
                ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email address')),
                ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                ('role', models.CharField(choices=[('city_officer', '市人大常委会代工委工作人员'), ('township_officer', '乡镇（街道）人大工作人员'), ('group_leader', '代表小组组长'), ('liaison_officer', '联络员'), ('deputy', '人大代表'), ('unit_clerk', '承办单位经办人'), ('supervisor', '督办人员'), ('leader', '领导'), ('system_admin', '系统管理员'), ('security_admin', '安全管理员'), ('audit_admin', '审计管理员'), ('unassigned', '未分配角色')], default='unassigned', max_length=32, verbose_name='角色')),
                ('display_name', models.CharField(blank=True, max_length=50, verbose_name='姓名')),
                ('password_changed_at', models.DateTimeField(blank=True, null=True, verbose_name='密码修改时间')),
                ('password_one_time_until', models.DateTimeField(blank=True, null=True, verbose_name='一次性密码有效期至')),
                ('disabled_as_former', models.BooleanField(default=False, verbose_name='因代表离任停用')),
            ],
            options={
                'verbose_name': '用户',
                'verbose_name_plural': '用户',
                'ordering': ['username'],
            },
            managers=[
                ('objects', django.contrib.auth.models.UserManager()),
            ],
        ),
        migrations.CreateModel(
            name='LoginLock',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('username', models.CharField(max_length=150, unique=True, verbose_name='用户名')),
                ('failures', models.JSONField(default=list, verbose_name='失败时间')),
                ('locked_until', models.DateTimeField(blank=True, null=True, verbose_name='锁定至')),
            ],
            options={
                'verbose_name': '登录锁定',
                'verbose_name_plural': '登录锁定',
            },
        ),
    ]
