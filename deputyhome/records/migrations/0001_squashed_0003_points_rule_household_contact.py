import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('records', '0001_duty_records_points_voter_reports'),
        ('records', '0002_attendance_moves_to_motions'),
        ('records', '0003_points_rule_household_contact'),
    ]

    dependencies = [
        ('deputies', '0001_squashed_0005_phone_before'),
        ('organisation', '0001_squashed_0006_group_founded_on'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PointsScheme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(unique=True, verbose_name='年度')),
                ('name', models.CharField(default='人大代表履职积分办法', max_length=100, verbose_name='名称')),
                ('notes', models.TextField(blank=True, verbose_name='说明')),
            ],
            options={
                'verbose_name': '履职积分办法',
                'verbose_name_plural': '履职积分办法',
                'ordering': ['-year'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='VoterReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('date', models.DateField(db_index=True, verbose_name='述职日期')),
                ('status', models.CharField(choices=[('planned', '计划'), ('held', '已述职'), ('cancelled', '已取消')], db_index=True, default='planned', max_length=12, verbose_name='状态')),
                ('voters_present', models.PositiveIntegerField(blank=True, null=True, verbose_name='参加选民人数')),
                ('summary', models.TextField(blank=True, verbose_name='述职情况')),
                ('satisfied', models.PositiveIntegerField(default=0, verbose_name='满意票')),
                ('basically_satisfied', models.PositiveIntegerField(default=0, verbose_name='基本满意票')),
                ('dissatisfied', models.PositiveIntegerField(default=0, verbose_name='不满意票')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='录入人')),
                ('deputy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='voter_reports', to='deputies.deputy', verbose_name='述职代表')),
                ('station', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='voter_reports', to='organisation.station', verbose_name='述职地点（家站）')),
            ],
            options={
                'verbose_name': '向选民述职',
                'verbose_name_plural': '向选民述职',
                'ordering': ['-date', '-id'],
            },
        ),
        migrations.CreateModel(
            name='PointsItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('rule', models.CharField(choices=[('session_attended', '出席人民代表大会会议'), ('training_hour', '参加履职培训（按学时）'), ('activity_attended', '参加代表活动'), ('reception', '进站接待选民'), ('opinion_handled', '收集反映社情民意'), ('suggestion_led', '领衔提出建议'), ('suggestion_cosigned', '联名提出建议'), ('report_to_voters', '向选民述职'), ('household_contact', '联系结对户'), ('unexcused_absence', '无故缺席会议、培训或活动')], max_length=32, verbose_name='计分项')),
                ('label', models.CharField(max_length=60, verbose_name='名称')),
                ('points', models.DecimalField(decimal_places=2, max_digits=6, verbose_name='每次（件、学时）分值')),
                ('cap', models.DecimalField(blank=True, decimal_places=2, max_digits=7, null=True, verbose_name='本项上限')),
                ('is_deduction', models.BooleanField(default=False, verbose_name='扣分项')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
                ('scheme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='records.pointsscheme')),
            ],
            options={
                'verbose_name': '积分项',
                'verbose_name_plural': '积分项',
                'ordering': ['order', 'id'],
                'constraints': [models.UniqueConstraint(fields=('scheme', 'rule'), name='points_item_unique_rule')],
            },
        ),
    ]
