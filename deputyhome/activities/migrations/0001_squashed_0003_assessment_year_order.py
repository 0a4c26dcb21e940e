"""The activities app's tables, and the default station checklist: 五有, 五统一 and the usual local station norms
(DOMAIN.md).

Points add up to 100: 五有 10 each, 五统一 6 each, the four norms 5 each. Every item can be edited or retired
afterwards; a changed checklist does not rewrite stored assessments.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


ITEMS = [
    # (group, code, label, description, points)
    ("five_haves", "WY-1", "有平台", "有固定的活动场所，面积适宜，桌椅、档案柜、公示栏等设施齐全。", 10),
    ("five_haves", "WY-2", "有制度", "家站工作职责、学习培训、联系接待选民、代表述职、意见建议处理等制度健全。", 10),
    ("five_haves", "WY-3", "有活动", "按计划组织代表开展视察、调研、走访、接待选民等活动，有记录可查。", 10),
    ("five_haves", "WY-4", "有效果", "收集的群众意见得到及时处理和反馈，解决了一批群众关心的实际问题。", 10),
    ("five_haves", "WY-5", "有看点", "结合本地实际形成工作特色和亮点，有可推广的经验做法。", 10),
    ("five_uniforms", "TY-1", "统一挂牌", "按统一样式在显著位置悬挂“人大代表之家”或“人大代表联络站”牌子。", 6),
    ("five_uniforms", "TY-2", "统一制度", "统一制定的各项工作制度上墙公示。", 6),
    ("five_uniforms", "TY-3", "统一台账", "活动记录、接待登记、意见建议办理等台账统一规范、及时完整。", 6),
    ("five_uniforms", "TY-4", "统一标识", "使用统一的人大代表标识和宣传用语。", 6),
    ("five_uniforms", "TY-5", "统一布置", "接待室、会议室、代表信息公示栏按统一要求布置。", 6),
    ("norms", "GF-1", "固定接待日", "确定固定的接待选民日，每周或每月至少一次，并向社会公布。", 5),
    ("norms", "GF-2", "代表每年进站", "进站代表每人每年至少到家站参加一次活动或接待选民。", 5),
    ("norms", "GF-3", "接待提前公告", "接待选民前至少2天发布公告，公布接待代表、时间和地点。", 5),
    ("norms", "GF-4", "小组季度活动", "代表小组每季度至少集中开展一次活动。", 5),
]


def load(apps, schema_editor):
    StandardItem = apps.get_model("activities", "StandardItem")
    for order, (group, code, label, description, points) in enumerate(ITEMS, start=1):
        StandardItem.objects.update_or_create(
            code=code,
            defaults={"group": group, "label": label, "description": description, "points": points, "order": order},
        )


def unload(apps, schema_editor):
    StandardItem = apps.get_model("activities", "StandardItem")
    StandardItem.objects.filter(code__in=[code for _g, code, *_rest in ITEMS], results__isnull=True).delete()


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('activities', '0001_stations_campaigns_activities_problems'),
        ('activities', '0002_default_station_standards'),
        ('activities', '0003_assessment_year_order'),
    ]

    dependencies = [
        ('deputies', '0001_squashed_0005_phone_before'),
        ('organisation', '0001_squashed_0006_group_founded_on'),
        ('suggestions', '0001_squashed_0014_result_weight_between_0_and_1'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AssessmentPolicy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(unique=True, verbose_name='年度')),
                ('pass_score', models.PositiveSmallIntegerField(default=80, verbose_name='达标分数线（百分制）')),
            ],
            options={
                'verbose_name': '家站达标分数线',
                'verbose_name_plural': '家站达标分数线',
                'ordering': ['-year'],
            },
        ),
        migrations.CreateModel(
            name='AssessmentResult',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('met', '达标'), ('partly', '部分达标'), ('not_met', '未达标')], max_length=16, verbose_name='评估结果')),
                ('points', models.PositiveSmallIntegerField(verbose_name='分值')),
                ('notes', models.TextField(blank=True, verbose_name='说明')),
            ],
            options={
                'verbose_name': '评估结果',
                'verbose_name_plural': '评估结果',
                'ordering': ['item__order', 'item__code'],
            },
        ),
        migrations.CreateModel(
            name='Rule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('title', models.CharField(max_length=100, unique=True, verbose_name='制度名称')),
                ('category', models.CharField(choices=[('duties', '站点工作职责'), ('training', '代表学习培训'), ('reception', '联系接待选民'), ('reporting', '代表述职'), ('opinions', '代表意见处理'), ('other', '其他')], max_length=16, verbose_name='类别')),
                ('is_active', models.BooleanField(default=True, verbose_name='在用')),
            ],
            options={
                'verbose_name': '制度',
                'verbose_name_plural': '制度',
                'ordering': ['category', 'title'],
            },
        ),
        migrations.CreateModel(
            name='StandardItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('group', models.CharField(choices=[('five_haves', '五有'), ('five_uniforms', '五统一'), ('norms', '站点规范')], max_length=16, verbose_name='类别')),
                ('code', models.CharField(max_length=16, unique=True, verbose_name='编号')),
                ('label', models.CharField(max_length=100, verbose_name='名称')),
                ('description', models.TextField(blank=True, verbose_name='评价要点')),
                ('points', models.PositiveSmallIntegerField(default=10, verbose_name='分值')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
                ('is_active', models.BooleanField(default=True, verbose_name='在用')),
            ],
            options={
                'verbose_name': '家站建设标准项',
                'verbose_name_plural': '家站建设标准项',
                'ordering': ['order', 'code'],
            },
        ),
        migrations.CreateModel(
            name='Activity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('kind', models.CharField(choices=[('research', '调研'), ('inspection', '视察'), ('enforcement_check', '执法检查'), ('visit', '走访'), ('reception', '接待选民'), ('forum', '座谈'), ('training', '培训'), ('other', '其他')], max_length=24, verbose_name='活动类型')),
                ('level', models.CharField(choices=[('committee', '市人大常委会'), ('township', '乡镇（街道）人大'), ('group', '代表小组')], max_length=16, verbose_name='组织层级')),
                ('date', models.DateField(db_index=True, verbose_name='活动日期')),
                ('place', models.CharField(max_length=200, verbose_name='活动地点')),
                ('topic', models.CharField(max_length=200, verbose_name='活动主题')),
                ('notes', models.TextField(blank=True, verbose_name='活动情况')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='录入人')),
                ('group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='activities', to='organisation.deputygroup', verbose_name='代表小组')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.region', verbose_name='组织区域')),
                ('station', models.ForeignKey(blank=True, help_text='在家站开展或由家站组织的活动填写，用于按家站统计', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='activities', to='organisation.station', verbose_name='活动家站')),
            ],
            options={
                'verbose_name': '代表活动',
                'verbose_name_plural': '代表活动',
                'ordering': ['-date', '-id'],
            },
        ),
        migrations.CreateModel(
            name='ActivityPhoto',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='文件名')),
                ('size', models.PositiveIntegerField(verbose_name='大小')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                ('file', models.FileField(upload_to='activities/photos/%Y/', verbose_name='照片')),
                ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='activities.activity')),
                ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '活动照片',
                'verbose_name_plural': '活动照片',
                'ordering': ['uploaded_at', 'id'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Campaign',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('slogan', models.CharField(max_length=100, verbose_name='行动主题口号')),
                ('start_on', models.DateField(verbose_name='开始日期')),
                ('end_on', models.DateField(verbose_name='结束日期')),
                ('main_theme', models.CharField(max_length=200, verbose_name='全市主题')),
                ('description', models.TextField(blank=True, verbose_name='工作要求')),
            ],
            options={
                'verbose_name': '代表行动',
                'verbose_name_plural': '代表行动',
                'ordering': ['-start_on', '-id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('end_on__gte', models.F('start_on'))), name='campaign_dates_ordered')],
            },
        ),
        migrations.AddField(
            model_name='activity',
            name='campaign',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='activities', to='activities.campaign', verbose_name='代表行动'),
        ),
        migrations.CreateModel(
            name='EvidencePhoto',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='文件名')),
                ('size', models.PositiveIntegerField(verbose_name='大小')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                ('file', models.FileField(upload_to='activities/evidence/%Y/', verbose_name='照片')),
                ('result', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='activities.assessmentresult')),
                ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '佐证照片',
                'verbose_name_plural': '佐证照片',
                'ordering': ['uploaded_at', 'id'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Output',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('kind', models.CharField(choices=[('research_report', '调研报告'), ('review_opinion', '审议意见')], max_length=24, verbose_name='成果类型')),
                ('title', models.CharField(max_length=200, verbose_name='标题')),
                ('file', models.FileField(blank=True, upload_to='activities/outputs/%Y/', verbose_name='文件')),
                ('file_name', models.CharField(blank=True, max_length=200, verbose_name='文件名')),
                ('date', models.DateField(verbose_name='形成日期')),
                ('sent_to', models.CharField(blank=True, max_length=100, verbose_name='报送（交办）单位')),
                ('response', models.TextField(blank=True, verbose_name='办理反馈')),
                ('response_on', models.DateField(blank=True, null=True, verbose_name='反馈日期')),
                ('activity', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='outputs', to='activities.activity', verbose_name='活动')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '活动成果',
                'verbose_name_plural': '活动成果',
                'ordering': ['-date', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Referral',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('title', models.CharField(max_length=200, verbose_name='事项')),
                ('content', models.TextField(verbose_name='具体内容')),
                ('due_on', models.DateField(blank=True, db_index=True, null=True, verbose_name='办理期限')),
                ('status', models.CharField(choices=[('open', '待答复'), ('replied', '已答复')], db_index=True, default='open', max_length=12, verbose_name='状态')),
                ('reply', models.TextField(blank=True, verbose_name='答复内容')),
                ('replied_on', models.DateField(blank=True, null=True, verbose_name='答复日期')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='转交人')),
                ('region', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.region', verbose_name='所属乡镇')),
                ('replied_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='答复人')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='organisation.handlingunit', verbose_name='承办单位')),
            ],
            options={
                'verbose_name': '转交事项',
                'verbose_name_plural': '转交事项',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Problem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('text', models.TextField(verbose_name='问题描述')),
                ('place', models.CharField(blank=True, max_length=200, verbose_name='地点')),
                ('date', models.DateField(db_index=True, verbose_name='发现日期')),
                ('status', models.CharField(choices=[('open', '待处理'), ('closed', '当场解决'), ('forwarded', '转交办理'), ('suggestion', '形成建议')], db_index=True, default='open', max_length=12, verbose_name='处理状态')),
                ('closing_note', models.TextField(blank=True, verbose_name='处理说明')),
                ('handled_on', models.DateField(blank=True, null=True, verbose_name='处理日期')),
                ('activity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='problems', to='activities.activity', verbose_name='发现于活动')),
                ('category', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='suggestions.category', verbose_name='分类')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='录入人')),
                ('deputy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='problems', to='deputies.deputy', verbose_name='提出代表')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.region', verbose_name='所属乡镇')),
                ('suggestion', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='source_problems', to='suggestions.suggestion', verbose_name='形成的建议')),
                ('referral', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='problem', to='activities.referral', verbose_name='转交事项')),
            ],
            options={
                'verbose_name': '发现问题',
                'verbose_name_plural': '发现问题',
                'ordering': ['-date', '-id'],
            },
        ),
        migrations.CreateModel(
            name='RuleVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('version', models.CharField(max_length=30, verbose_name='版本')),
                ('text', models.TextField(verbose_name='正文')),
                ('effective_on', models.DateField(verbose_name='施行日期')),
                ('rule', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='activities.rule', verbose_name='制度')),
            ],
            options={
                'verbose_name': '制度版本',
                'verbose_name_plural': '制度版本',
                'ordering': ['rule', '-effective_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='RulePosting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('posted_on', models.DateField(verbose_name='上墙日期')),
                ('station', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rule_postings', to='organisation.station', verbose_name='家站')),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='postings', to='activities.ruleversion', verbose_name='制度版本')),
            ],
            options={
                'verbose_name': '制度上墙',
                'verbose_name_plural': '制度上墙',
                'ordering': ['station', 'version'],
            },
        ),
        migrations.AddField(
            model_name='assessmentresult',
            name='item',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='results', to='activities.standarditem', verbose_name='标准项'),
        ),
        migrations.CreateModel(
            name='StationAssessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('year', models.PositiveSmallIntegerField(db_index=True, verbose_name='年度')),
                ('assessed_on', models.DateField(verbose_name='评估日期')),
                ('notes', models.TextField(blank=True, verbose_name='总体意见')),
                ('score', models.DecimalField(decimal_places=1, default=0, max_digits=5, verbose_name='得分')),
                ('pass_score', models.PositiveSmallIntegerField(default=80, verbose_name='达标分数线')),
                ('passed', models.BooleanField(db_index=True, default=False, verbose_name='达标')),
                ('assessor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='评估人')),
                ('station', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='organisation.station', verbose_name='家站')),
            ],
            options={
                'verbose_name': '家站年度评估',
                'verbose_name_plural': '家站年度评估',
                'ordering': ['-year', 'station__region__code', 'station__name'],
            },
        ),
        migrations.AddField(
            model_name='assessmentresult',
            name='assessment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='results', to='activities.stationassessment'),
        ),
        migrations.CreateModel(
            name='TownshipTheme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('theme', models.CharField(max_length=200, verbose_name='活动主题')),
                ('description', models.TextField(blank=True, verbose_name='说明')),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='township_themes', to='activities.campaign')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.region', verbose_name='乡镇（街道）')),
            ],
            options={
                'verbose_name': '乡镇行动主题',
                'verbose_name_plural': '乡镇行动主题',
                'ordering': ['region__code'],
            },
        ),
        migrations.CreateModel(
            name='GroupTopic',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('topic', models.CharField(max_length=200, verbose_name='小切口')),
                ('description', models.TextField(blank=True, verbose_name='说明')),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='group_topics', to='activities.campaign')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.deputygroup', verbose_name='代表小组')),
            ],
            options={
                'verbose_name': '小组小切口',
                'verbose_name_plural': '小组小切口',
                'ordering': ['group__station__region__code', 'group__name'],
                'constraints': [models.UniqueConstraint(fields=('campaign', 'group'), name='topic_unique_group')],
            },
        ),
        migrations.CreateModel(
            name='Participation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('attendance', models.CharField(choices=[('present', '出席'), ('excused', '请假'), ('absent', '缺席')], default='present', max_length=12, verbose_name='出席情况')),
                ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participations', to='activities.activity')),
                ('deputy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='activity_participations', to='deputies.deputy', verbose_name='代表')),
            ],
            options={
                'verbose_name': '参加代表',
                'verbose_name_plural': '参加代表',
                'ordering': ['activity', 'id'],
                'constraints': [models.UniqueConstraint(fields=('activity', 'deputy'), name='participation_unique')],
            },
        ),
        migrations.AddConstraint(
            model_name='ruleversion',
            constraint=models.UniqueConstraint(fields=('rule', 'version'), name='rule_version_unique'),
        ),
        migrations.AddConstraint(
            model_name='ruleposting',
            constraint=models.UniqueConstraint(fields=('station', 'version'), name='posting_unique_station_version'),
        ),
        migrations.AddIndex(
            model_name='stationassessment',
            index=models.Index(fields=['-year', 'id'], name='assessment_year_order'),
        ),
        migrations.AddConstraint(
            model_name='stationassessment',
            constraint=models.UniqueConstraint(fields=('station', 'year'), name='assessment_unique_station_year'),
        ),
        migrations.AddConstraint(
            model_name='assessmentresult',
            constraint=models.UniqueConstraint(fields=('assessment', 'item'), name='result_unique_item'),
        ),
        migrations.AddConstraint(
            model_name='townshiptheme',
            constraint=models.UniqueConstraint(fields=('campaign', 'region'), name='theme_unique_region'),
        ),
        migrations.RunPython(load, unload),
    ]
