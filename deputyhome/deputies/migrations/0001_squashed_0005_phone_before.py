import deputyhome.core.crypto
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('deputies', '0001_initial'),
        ('deputies', '0002_encrypt_id_number_and_phone'),
        ('deputies', '0003_account_requests'),
        ('deputies', '0004_first_login_codes'),
        ('deputies', '0005_phone_before'),
    ]

    dependencies = [
        ('organisation', '0001_squashed_0006_group_founded_on'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Deputy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('name', models.CharField(db_index=True, max_length=50, verbose_name='姓名')),
                ('gender', models.CharField(choices=[('M', '男'), ('F', '女')], max_length=1, verbose_name='性别')),
                ('ethnicity', models.CharField(max_length=20, verbose_name='民族')),
                ('birth_date', models.DateField(verbose_name='出生年月')),
                ('party', models.CharField(max_length=20, verbose_name='政治面貌')),
                ('education', models.CharField(blank=True, max_length=20, verbose_name='文化程度')),
                ('employer_title', models.CharField(blank=True, max_length=200, verbose_name='工作单位及职务')),
                ('phone', deputyhome.core.crypto.EncryptedCharField(blank=True, max_length=120, verbose_name='联系电话')),
                ('phone_before', deputyhome.core.crypto.EncryptedCharField(blank=True, max_length=120, verbose_name='原联系电话')),
                ('phone_changed_at', models.DateTimeField(blank=True, null=True, verbose_name='联系电话变更时间')),
                ('id_number', deputyhome.core.crypto.EncryptedCharField(max_length=120, unique=True, verbose_name='身份证号')),
                ('photo', models.ImageField(blank=True, upload_to='deputies/photos/', verbose_name='照片')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='住址')),
                ('region', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='deputies', to='organisation.region', verbose_name='所属乡镇')),
            ],
            options={
                'verbose_name': '人大代表',
                'verbose_name_plural': '人大代表',
                'ordering': ['region__code', 'name', 'id'],
            },
        ),
        migrations.CreateModel(
            name='AccountRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('asked_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='申请时间')),
                ('done_at', models.DateTimeField(blank=True, null=True, verbose_name='开通时间')),
                ('asked_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='申请人')),
                ('deputy', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='account_requests', to='deputies.deputy', verbose_name='代表')),
            ],
            options={
                'verbose_name': '代表账号开通申请',
                'verbose_name_plural': '代表账号开通申请',
                'ordering': ['asked_at', 'pk'],
                'indexes': [models.Index(fields=['deputy', 'asked_at'], name='account_request_deputy_at'), models.Index(condition=models.Q(('done_at__isnull', True)), fields=['asked_at'], name='account_request_open')],
            },
        ),
        migrations.CreateModel(
            name='FirstLoginCode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('digest', models.CharField(max_length=64, verbose_name='验证码摘要')),
                ('sent_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='发送时间')),
                ('tries', models.PositiveSmallIntegerField(default=0, verbose_name='错误次数')),
                ('used_at', models.DateTimeField(blank=True, null=True, verbose_name='验证时间')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='账号')),
            ],
            options={
                'verbose_name': '首次登录短信验证码',
                'verbose_name_plural': '首次登录短信验证码',
                'indexes': [models.Index(fields=['user', 'sent_at'], name='first_login_code_user_at')],
            },
        ),
        migrations.CreateModel(
            name='GroupMembership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('role', models.CharField(choices=[('leader', '组长'), ('vice_leader', '副组长'), ('liaison', '联络员'), ('member', '组员')], default='member', max_length=16, verbose_name='职务')),
                ('start_date', models.DateField(verbose_name='加入日期')),
                ('end_date', models.DateField(blank=True, null=True, verbose_name='退出日期')),
                ('deputy', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='deputies.deputy', verbose_name='代表')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='memberships', to='organisation.deputygroup', verbose_name='代表小组')),
            ],
            options={
                'verbose_name': '小组成员',
                'verbose_name_plural': '小组成员',
                'ordering': ['group', 'role', 'start_date'],
                'constraints': [models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='membership_dates_ordered')],
            },
        ),
        migrations.CreateModel(
            name='Mandate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('constituency', models.CharField(blank=True, max_length=100, verbose_name='选区')),
                ('start_date', models.DateField(verbose_name='任期开始')),
                ('end_date', models.DateField(blank=True, null=True, verbose_name='任期终止')),
                ('status', models.CharField(choices=[('active', '在任'), ('ended', '已终止')], default='active', max_length=16, verbose_name='状态')),
                ('end_reason', models.CharField(blank=True, choices=[('term_end', '任期届满'), ('resigned', '辞职'), ('recalled', '罢免'), ('moved', '调离本行政区域'), ('deceased', '去世'), ('other', '其他')], max_length=16, verbose_name='终止原因')),
                ('congress', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='mandates', to='organisation.congress', verbose_name='人民代表大会')),
                ('deputy', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mandates', to='deputies.deputy', verbose_name='代表')),
            ],
            options={
                'verbose_name': '代表资格',
                'verbose_name_plural': '代表资格',
                'ordering': ['congress__level', '-start_date'],
                'constraints': [models.UniqueConstraint(fields=('deputy', 'congress'), name='mandate_unique_deputy_congress'), models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='mandate_dates_ordered')],
            },
        ),
    ]
