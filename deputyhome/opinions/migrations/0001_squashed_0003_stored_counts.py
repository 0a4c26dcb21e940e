import deputyhome.core.crypto
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('opinions', '0001_voter_contact'),
        ('opinions', '0002_encrypt_citizen_phone'),
        ('opinions', '0003_stored_counts'),
    ]

    dependencies = [
        ('activities', '0001_squashed_0003_assessment_year_order'),
        ('deputies', '0001_squashed_0005_phone_before'),
        ('organisation', '0001_squashed_0006_group_founded_on'),
        ('suggestions', '0001_squashed_0014_result_weight_between_0_and_1'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ThrottleCounter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=120, unique=True)),
                ('count', models.PositiveIntegerField(default=0)),
                ('expires_at', models.DateTimeField(db_index=True)),
            ],
            options={
                'verbose_name': '提交频率计数',
                'verbose_name_plural': '提交频率计数',
            },
        ),
        migrations.CreateModel(
            name='ModelStory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('title', models.CharField(max_length=120, verbose_name='标题')),
                ('text', models.TextField(verbose_name='事迹')),
                ('figures', models.JSONField(blank=True, default=list, verbose_name='数据')),
                ('is_published', models.BooleanField(db_index=True, default=False, verbose_name='已发布')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='发布时间')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('deputy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='stories', to='deputies.deputy', verbose_name='代表')),
            ],
            options={
                'verbose_name': '代表典型',
                'verbose_name_plural': '代表典型',
                'ordering': ['-published_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Opinion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('tracking_code', models.CharField(editable=False, max_length=16, unique=True, verbose_name='查询码')),
                ('channel', models.CharField(choices=[('online', '扫码留言'), ('reception', '接待选民'), ('visit', '走访'), ('other', '其他')], default='online', max_length=12, verbose_name='来源')),
                ('content', models.TextField(verbose_name='反映内容')),
                ('name', models.CharField(blank=True, max_length=30, verbose_name='姓名')),
                ('phone', deputyhome.core.crypto.EncryptedCharField(blank=True, max_length=120, verbose_name='联系电话')),
                ('photo', models.FileField(blank=True, upload_to='opinions/%Y/%m/', verbose_name='照片')),
                ('privacy_version', models.CharField(blank=True, max_length=20, verbose_name='同意的隐私告知版本')),
                ('consented_at', models.DateTimeField(blank=True, null=True, verbose_name='同意时间')),
                ('received_on', models.DateField(db_index=True, verbose_name='收到日期')),
                ('status', models.CharField(choices=[('new', '待处理'), ('replied', '已答复'), ('forwarded', '已转交承办单位'), ('merged', '已合并处理'), ('problem', '已转为问题'), ('suggestion', '已形成代表建议')], db_index=True, default='new', max_length=12, verbose_name='状态')),
                ('reply', models.TextField(blank=True, verbose_name='答复内容')),
                ('replied_at', models.DateTimeField(blank=True, null=True, verbose_name='答复时间')),
                ('deputy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='opinions', to='deputies.deputy', verbose_name='反映给代表')),
                ('duplicate_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='duplicates', to='opinions.opinion', verbose_name='合并到')),
                ('problem', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='activities.problem', verbose_name='转为问题')),
                ('recorded_by', models.ForeignKey(blank=True, help_text='工作人员录入的意见；群众扫码留言为空', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='录入人')),
                ('referral', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='activities.referral', verbose_name='转交事项')),
                ('region', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.region', verbose_name='所属乡镇')),
                ('replied_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='答复人')),
                ('station', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='opinions', to='organisation.station', verbose_name='家站')),
                ('suggestion', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='suggestions.suggestion', verbose_name='形成的建议')),
            ],
            options={
                'verbose_name': '群众意见',
                'verbose_name_plural': '群众意见',
                'ordering': ['-received_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='OpinionEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                ('actor_label', models.CharField(blank=True, max_length=100, verbose_name='操作人')),
                ('action', models.CharField(max_length=24, verbose_name='操作')),
                ('note', models.TextField(blank=True, verbose_name='说明')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('opinion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='opinions.opinion')),
            ],
            options={
                'verbose_name': '意见处理记录',
                'verbose_name_plural': '意见处理记录',
                'ordering': ['at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Pairing',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('household', models.CharField(max_length=50, verbose_name='联系户（户主）')),
                ('members', models.PositiveSmallIntegerField(default=1, verbose_name='家庭人口')),
                ('since', models.DateField(verbose_name='结对日期')),
                ('ended_on', models.DateField(blank=True, null=True, verbose_name='结束日期')),
                ('notes', models.TextField(blank=True, verbose_name='基本情况')),
                ('contact_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='联系次数')),
                ('deputy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='pairings', to='deputies.deputy', verbose_name='代表')),
                ('village', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.region', verbose_name='所在村（社区）')),
            ],
            options={
                'verbose_name': '结对联系户',
                'verbose_name_plural': '结对联系户',
                'ordering': ['deputy', 'village__code', 'household', 'id'],
            },
        ),
        migrations.CreateModel(
            name='PairingContact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(verbose_name='联系日期')),
                ('way', models.CharField(choices=[('visit', '入户走访'), ('phone', '电话联系'), ('wechat', '微信联系'), ('meeting', '座谈交流'), ('help', '帮扶办事'), ('other', '其他')], max_length=12, verbose_name='联系方式')),
                ('notes', models.TextField(verbose_name='联系情况')),
                ('pairing', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contacts', to='opinions.pairing')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '联系记录',
                'verbose_name_plural': '联系记录',
                'ordering': ['-date', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Reception',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('date', models.DateField(db_index=True, verbose_name='接待日期')),
                ('voters_received', models.PositiveIntegerField(default=0, verbose_name='接待选民（人次）')),
                ('notes', models.TextField(blank=True, verbose_name='接待情况')),
                ('opinion_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='收集意见')),
                ('deputies', models.ManyToManyField(related_name='receptions', to='deputies.deputy', verbose_name='接待代表')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='录入人')),
                ('station', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='receptions', to='organisation.station', verbose_name='家站')),
            ],
            options={
                'verbose_name': '接待记录',
                'verbose_name_plural': '接待记录',
                'ordering': ['-date', '-id'],
            },
        ),
        migrations.AddField(
            model_name='opinion',
            name='reception',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='opinions', to='opinions.reception', verbose_name='接待记录'),
        ),
        migrations.CreateModel(
            name='ReceptionSlot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('weekday', models.PositiveSmallIntegerField(blank=True, choices=[(1, '每周一'), (2, '每周二'), (3, '每周三'), (4, '每周四'), (5, '每周五'), (6, '每周六'), (7, '每周日')], null=True, verbose_name='每周固定接待日')),
                ('date', models.DateField(blank=True, db_index=True, null=True, verbose_name='接待日期')),
                ('start_time', models.TimeField(verbose_name='开始时间')),
                ('end_time', models.TimeField(verbose_name='结束时间')),
                ('notice', models.TextField(blank=True, verbose_name='接待公告')),
                ('announced_on', models.DateField(verbose_name='公告日期')),
                ('is_active', models.BooleanField(default=True, verbose_name='有效')),
                ('deputies', models.ManyToManyField(blank=True, related_name='reception_slots', to='deputies.deputy', verbose_name='接待代表')),
                ('station', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reception_slots', to='organisation.station', verbose_name='家站')),
            ],
            options={
                'verbose_name': '接待安排',
                'verbose_name_plural': '接待安排',
                'ordering': ['station', 'date', 'weekday', 'start_time'],
            },
        ),
        migrations.AddField(
            model_name='reception',
            name='slot',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='receptions', to='opinions.receptionslot', verbose_name='接待安排'),
        ),
        migrations.AddIndex(
            model_name='pairing',
            index=models.Index(fields=['contact_count', 'id'], name='pairing_contact_count'),
        ),
        migrations.AddIndex(
            model_name='pairing',
            index=models.Index(fields=['-contact_count', 'id'], name='pairing_contact_count_desc'),
        ),
        migrations.AddConstraint(
            model_name='pairing',
            constraint=models.CheckConstraint(condition=models.Q(('ended_on__isnull', True), ('ended_on__gte', models.F('since')), _connector='OR'), name='pairing_dates_ordered'),
        ),
        migrations.AddConstraint(
            model_name='opinion',
            constraint=models.CheckConstraint(condition=models.Q(('station__isnull', False), ('deputy__isnull', False), _connector='OR'), name='opinion_has_addressee'),
        ),
        migrations.AddConstraint(
            model_name='opinion',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'merged'), _negated=True), ('duplicate_of__isnull', False), _connector='OR'), name='opinion_merged_has_target'),
        ),
        migrations.AddConstraint(
            model_name='receptionslot',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('weekday__isnull', False), ('date__isnull', True)), models.Q(('weekday__isnull', True), ('date__isnull', False)), _connector='OR'), name='slot_weekday_xor_date'),
        ),
        migrations.AddConstraint(
            model_name='receptionslot',
            constraint=models.CheckConstraint(condition=models.Q(('end_time__gt', models.F('start_time'))), name='slot_times_ordered'),
        ),
        migrations.AddIndex(
            model_name='reception',
            index=models.Index(fields=['opinion_count', 'id'], name='reception_opinion_count'),
        ),
        migrations.AddIndex(
            model_name='reception',
            index=models.Index(fields=['-opinion_count', 'id'], name='reception_opinion_count_desc'),
        ),
    ]
