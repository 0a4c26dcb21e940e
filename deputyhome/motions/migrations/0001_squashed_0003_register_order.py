import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('motions', '0001_initial'),
        ('motions', '0002_session_attendance'),
        ('motions', '0003_register_order'),
    ]

    dependencies = [
        ('deputies', '0001_squashed_0005_phone_before'),
        ('organisation', '0001_squashed_0006_group_founded_on'),
        ('suggestions', '0001_squashed_0014_result_weight_between_0_and_1'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Delegation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('name', models.CharField(max_length=100, verbose_name='名称')),
                ('region', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.region', verbose_name='所属乡镇（街道）')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='delegations', to='organisation.session', verbose_name='会议')),
            ],
            options={
                'verbose_name': '代表团',
                'verbose_name_plural': '代表团',
                'ordering': ['session', 'region__code', 'name'],
            },
        ),
        migrations.CreateModel(
            name='DelegationMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('role', models.CharField(choices=[('head', '团长'), ('vice_head', '副团长'), ('member', '成员')], default='member', max_length=12, verbose_name='职务')),
                ('start_date', models.DateField(verbose_name='加入日期')),
                ('end_date', models.DateField(blank=True, null=True, verbose_name='退出日期')),
                ('delegation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='motions.delegation', verbose_name='代表团')),
                ('deputy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='delegation_memberships', to='deputies.deputy', verbose_name='代表')),
            ],
            options={
                'verbose_name': '代表团成员',
                'verbose_name_plural': '代表团成员',
                'ordering': ['delegation', 'role', 'start_date', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Motion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('kind', models.CharField(choices=[('delegation', '代表团提出'), ('joint', '代表联名提出')], default='joint', max_length=12, verbose_name='提出方式')),
                ('number', models.PositiveIntegerField(blank=True, null=True, verbose_name='议案编号')),
                ('year', models.PositiveSmallIntegerField(db_index=True, verbose_name='年度')),
                ('title', models.CharField(max_length=200, verbose_name='案由')),
                ('grounds', models.TextField(blank=True, verbose_name='案据')),
                ('plan', models.TextField(blank=True, verbose_name='方案')),
                ('state', models.CharField(choices=[('draft', '草稿'), ('filed', '已提出'), ('accepted', '审查通过'), ('refused', '不予受理'), ('on_agenda', '列入会议议程'), ('not_on_agenda', '不列入会议议程'), ('converted', '作为建议处理'), ('reported', '已报告审议结果'), ('withdrawn', '已撤回')], db_index=True, default='draft', max_length=16, verbose_name='状态')),
                ('filed_at', models.DateTimeField(blank=True, null=True, verbose_name='提出时间')),
                ('checked_on', models.DateField(blank=True, null=True, verbose_name='审查日期')),
                ('refusal', models.TextField(blank=True, verbose_name='不予受理理由')),
                ('decision', models.CharField(blank=True, choices=[('on_agenda', '列入会议议程，交专门委员会审议'), ('not_on_agenda', '不列入会议议程'), ('converted', '不作为议案，作为建议处理')], db_index=True, max_length=16, verbose_name='主席团决定')),
                ('decided_on', models.DateField(blank=True, null=True, verbose_name='决定日期')),
                ('decision_note', models.TextField(blank=True, verbose_name='决定说明')),
                ('committee', models.CharField(blank=True, max_length=100, verbose_name='交付审议的专门委员会')),
                ('report_due_on', models.DateField(blank=True, null=True, verbose_name='审议结果报告期限')),
                ('reported_on', models.DateField(blank=True, null=True, verbose_name='审议结果报告日期')),
                ('report', models.TextField(blank=True, verbose_name='审议结果报告')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='录入人')),
                ('delegation', models.ForeignKey(blank=True, help_text='代表团提出的议案为提出的代表团；联名议案为领衔代表所在代表团', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='motions', to='motions.delegation', verbose_name='代表团')),
                ('lead', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='led_motions', to='deputies.deputy', verbose_name='领衔代表')),
                ('region', models.ForeignKey(blank=True, help_text='领衔代表（或代表团）所属乡镇，用于数据范围', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.region', verbose_name='所属乡镇')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='motions', to='organisation.session', verbose_name='会议')),
                ('suggestion', models.OneToOneField(blank=True, help_text='不作为议案、作为建议处理时生成的代表建议', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='motion', to='suggestions.suggestion', verbose_name='转为建议')),
            ],
            options={
                'verbose_name': '议案',
                'verbose_name_plural': '议案',
                'ordering': ['-year', 'number', '-id'],
            },
        ),
        migrations.CreateModel(
            name='MotionEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='时间')),
                ('actor_label', models.CharField(blank=True, max_length=100, verbose_name='操作方')),
                ('action', models.CharField(choices=[('create', '起草'), ('edit', '修改'), ('file', '提出'), ('confirm', '确认联名'), ('unsign', '撤回联名'), ('withdraw', '撤回议案'), ('check', '审查'), ('decide', '主席团决定'), ('report', '报告审议结果')], max_length=16, verbose_name='操作')),
                ('from_state', models.CharField(blank=True, choices=[('draft', '草稿'), ('filed', '已提出'), ('accepted', '审查通过'), ('refused', '不予受理'), ('on_agenda', '列入会议议程'), ('not_on_agenda', '不列入会议议程'), ('converted', '作为建议处理'), ('reported', '已报告审议结果'), ('withdrawn', '已撤回')], max_length=16, verbose_name='原状态')),
                ('to_state', models.CharField(blank=True, choices=[('draft', '草稿'), ('filed', '已提出'), ('accepted', '审查通过'), ('refused', '不予受理'), ('on_agenda', '列入会议议程'), ('not_on_agenda', '不列入会议议程'), ('converted', '作为建议处理'), ('reported', '已报告审议结果'), ('withdrawn', '已撤回')], max_length=16, verbose_name='新状态')),
                ('note', models.TextField(blank=True, verbose_name='说明')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('motion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='motions.motion')),
            ],
            options={
                'verbose_name': '议案办理过程',
                'verbose_name_plural': '议案办理过程',
                'ordering': ['at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='MotionRules',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('min_signers', models.PositiveSmallIntegerField(help_text='县级以上人大默认10人，乡镇人大默认5人（含领衔代表）', validators=[django.core.validators.MinValueValidator(2, '联名提出议案的最少人数不能少于2人。')], verbose_name='联名提出议案的最少代表人数')),
                ('review_months', models.PositiveSmallIntegerField(default=6, help_text='自主席团决定交付审议之日起计算', validators=[django.core.validators.MinValueValidator(1, '审议结果报告期限至少1个月。'), django.core.validators.MaxValueValidator(24, '审议结果报告期限最长24个月。')], verbose_name='审议结果报告期限（月）')),
                ('congress', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='motion_rules', to='organisation.congress', verbose_name='人民代表大会')),
            ],
            options={
                'verbose_name': '议案规则',
                'verbose_name_plural': '议案规则',
                'ordering': ['congress__level', 'congress__name'],
            },
        ),
        migrations.CreateModel(
            name='MotionSigner',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('is_lead', models.BooleanField(default=False, verbose_name='领衔')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='确认时间')),
                ('withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='撤回联名时间')),
                ('deputy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='motion_signatures', to='deputies.deputy', verbose_name='联名代表')),
                ('motion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signers', to='motions.motion')),
            ],
            options={
                'verbose_name': '议案联名代表',
                'verbose_name_plural': '议案联名代表',
                'ordering': ['-is_lead', 'id'],
            },
        ),
        migrations.CreateModel(
            name='SessionAttendance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('status', models.CharField(blank=True, choices=[('present', '出席'), ('excused', '请假'), ('absent', '缺席')], db_index=True, max_length=12, verbose_name='出席情况')),
                ('reason', models.CharField(blank=True, max_length=200, verbose_name='请假事由')),
                ('leave_state', models.CharField(blank=True, choices=[('pending', '待审批'), ('approved', '已批准'), ('refused', '未批准')], db_index=True, max_length=12, verbose_name='请假审批')),
                ('leave_requested_at', models.DateTimeField(blank=True, null=True, verbose_name='请假申请时间')),
                ('leave_decided_at', models.DateTimeField(blank=True, null=True, verbose_name='审批时间')),
                ('leave_refusal', models.CharField(blank=True, max_length=200, verbose_name='不予批准的理由')),
                ('recorded_at', models.DateTimeField(blank=True, null=True, verbose_name='登记时间')),
                ('deputy', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='session_attendances', to='deputies.deputy', verbose_name='代表')),
                ('leave_decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审批人')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='登记人')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendances', to='organisation.session', verbose_name='会议')),
            ],
            options={
                'verbose_name': '会议出席情况',
                'verbose_name_plural': '会议出席情况',
                'ordering': ['session', 'deputy'],
            },
        ),
        migrations.AddConstraint(
            model_name='delegation',
            constraint=models.UniqueConstraint(fields=('session', 'name'), name='delegation_unique_name'),
        ),
        migrations.AddConstraint(
            model_name='delegationmember',
            constraint=models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='delegation_member_dates_ordered', violation_error_message='退出日期不能早于加入日期。'),
        ),
        migrations.AddIndex(
            model_name='motion',
            index=models.Index(fields=['-filed_at', 'id'], name='motion_filed_at_order'),
        ),
        migrations.AddConstraint(
            model_name='motion',
            constraint=models.UniqueConstraint(condition=models.Q(('number__isnull', False)), fields=('session', 'number'), name='motion_number_unique_in_session'),
        ),
        migrations.AddConstraint(
            model_name='motionsigner',
            constraint=models.UniqueConstraint(fields=('motion', 'deputy'), name='motion_signer_unique'),
        ),
        migrations.AddConstraint(
            model_name='sessionattendance',
            constraint=models.UniqueConstraint(fields=('session', 'deputy'), name='motions_attendance_unique'),
        ),
    ]
