import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('deputies', '0001_squashed_0005_phone_before'),
        ('organisation', '0001_squashed_0006_group_founded_on'),
    ]

    operations = [
        migrations.CreateModel(
            name='Material',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('title', models.CharField(max_length=150, unique=True, verbose_name='资料名称')),
                ('publisher', models.CharField(blank=True, max_length=100, verbose_name='出版或印发单位')),
                ('description', models.TextField(blank=True, verbose_name='说明')),
            ],
            options={
                'verbose_name': '学习资料',
                'verbose_name_plural': '学习资料',
                'ordering': ['title'],
            },
        ),
        migrations.CreateModel(
            name='TrainingPlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('year', models.PositiveSmallIntegerField(db_index=True, validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='年度')),
                ('level', models.CharField(choices=[('city', '市级'), ('township', '乡镇级')], default='city', max_length=16, verbose_name='组织层级')),
                ('title', models.CharField(max_length=150, verbose_name='方案名称')),
                ('purpose', models.TextField(blank=True, verbose_name='培训目的')),
                ('content', models.TextField(blank=True, verbose_name='培训内容')),
                ('forms', models.TextField(blank=True, verbose_name='培训形式')),
                ('safeguards', models.TextField(blank=True, verbose_name='保障措施')),
                ('budget', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='经费预算（元）')),
                ('status', models.CharField(choices=[('draft', '草稿'), ('approved', '已批准')], default='draft', max_length=16, verbose_name='状态')),
                ('region', models.ForeignKey(blank=True, help_text='乡镇级方案填写；市级方案留空', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='training_plans', to='organisation.region', verbose_name='乡镇（街道）')),
            ],
            options={
                'verbose_name': '培训方案',
                'verbose_name_plural': '培训方案',
                'ordering': ['-year', 'level', 'region__code', 'title'],
            },
        ),
        migrations.CreateModel(
            name='TrainingSession',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('title', models.CharField(max_length=150, verbose_name='培训名称')),
                ('kind', models.CharField(choices=[('initial', '初任培训'), ('special', '专题培训'), ('meeting', '以会代训'), ('onsite', '现场教学'), ('lecture', '专家授课'), ('exchange', '学员交流'), ('self_study', '个人自学')], max_length=16, verbose_name='培训类型')),
                ('level', models.CharField(choices=[('city', '市级'), ('township', '乡镇级')], default='city', max_length=16, verbose_name='组织层级')),
                ('date', models.DateField(db_index=True, verbose_name='培训日期')),
                ('start_time', models.TimeField(blank=True, null=True, verbose_name='开始时间')),
                ('end_time', models.TimeField(blank=True, null=True, verbose_name='结束时间')),
                ('hours', models.DecimalField(decimal_places=1, help_text='参训代表每人计入的学时，例如 3 或 1.5', max_digits=4, validators=[django.core.validators.MinValueValidator(Decimal('0.5')), django.core.validators.MaxValueValidator(Decimal('99.9'))], verbose_name='学时')),
                ('lecturer', models.CharField(blank=True, max_length=100, verbose_name='授课人')),
                ('place', models.CharField(blank=True, max_length=150, verbose_name='地点')),
                ('description', models.TextField(blank=True, verbose_name='内容摘要')),
                ('signin_code', models.CharField(blank=True, max_length=8, verbose_name='签到码')),
                ('signin_open', models.BooleanField(default=False, verbose_name='开放签到')),
                ('plan', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='sessions', to='training.trainingplan', verbose_name='所属培训方案')),
                ('region', models.ForeignKey(blank=True, help_text='乡镇级培训填写；市级培训留空', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='training_sessions', to='organisation.region', verbose_name='乡镇（街道）')),
            ],
            options={
                'verbose_name': '培训',
                'verbose_name_plural': '培训',
                'ordering': ['-date', '-start_time', '-id'],
            },
        ),
        migrations.CreateModel(
            name='MaterialDistribution',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('date', models.DateField(verbose_name='发放日期')),
                ('quantity', models.PositiveIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1)], verbose_name='数量（份）')),
                ('notes', models.CharField(blank=True, max_length=200, verbose_name='备注')),
                ('deputy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='training_materials', to='deputies.deputy', verbose_name='发放给代表')),
                ('material', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='distributions', to='training.material', verbose_name='学习资料')),
                ('session', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='distributions', to='training.trainingsession', verbose_name='在培训中发放')),
            ],
            options={
                'verbose_name': '资料发放',
                'verbose_name_plural': '资料发放',
                'ordering': ['-date', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Attendance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('invited', models.BooleanField(default=True, help_text='未邀请而凭签到码签到的代表记为现场加入', verbose_name='已邀请')),
                ('status', models.CharField(choices=[('pending', '未签到'), ('present', '到会'), ('excused', '请假'), ('absent', '缺席')], default='pending', max_length=16, verbose_name='出勤')),
                ('excuse_reason', models.CharField(blank=True, max_length=200, verbose_name='请假事由')),
                ('signed_in_at', models.DateTimeField(blank=True, null=True, verbose_name='签到时间')),
                ('signin_way', models.CharField(blank=True, choices=[('staff', '工作人员登记'), ('self', '本人签到码签到')], max_length=16, verbose_name='签到方式')),
                ('deputy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='training_attendances', to='deputies.deputy', verbose_name='代表')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendances', to='training.trainingsession', verbose_name='培训')),
            ],
            options={
                'verbose_name': '培训出勤',
                'verbose_name_plural': '培训出勤',
                'ordering': ['session', 'deputy__region__code', 'deputy__name', 'id'],
            },
        ),
        migrations.AddConstraint(
            model_name='trainingplan',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('level', 'city'), ('region__isnull', True)), models.Q(('level', 'township'), ('region__isnull', False)), _connector='OR'), name='training_plan_organiser_region'),
        ),
        migrations.AddConstraint(
            model_name='trainingsession',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('level', 'city'), ('region__isnull', True)), models.Q(('level', 'township'), ('region__isnull', False)), _connector='OR'), name='training_session_organiser_region'),
        ),
        migrations.AddConstraint(
            model_name='trainingsession',
            constraint=models.UniqueConstraint(condition=models.Q(('signin_open', True)), fields=('signin_code',), name='training_session_open_code_unique'),
        ),
        migrations.AddConstraint(
            model_name='trainingsession',
            constraint=models.CheckConstraint(condition=models.Q(('signin_open', False), models.Q(('signin_code', ''), _negated=True), _connector='OR'), name='training_session_open_has_code'),
        ),
        migrations.AddConstraint(
            model_name='materialdistribution',
            constraint=models.CheckConstraint(condition=models.Q(('deputy__isnull', False), ('session__isnull', False), _connector='OR'), name='training_distribution_has_recipient'),
        ),
        migrations.AddIndex(
            model_name='attendance',
            index=models.Index(fields=['deputy', 'status'], name='training_att_deputy_status'),
        ),
        migrations.AddConstraint(
            model_name='attendance',
            constraint=models.UniqueConstraint(fields=('session', 'deputy'), name='training_attendance_unique'),
        ),
        migrations.AddConstraint(
            model_name='attendance',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'excused'), _negated=True), models.Q(('excuse_reason', ''), _negated=True), _connector='OR'), name='training_attendance_excused_has_reason'),
        ),
    ]
