import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('organisation', '0001_initial'),
        ('organisation', '0002_unit_duties'),
        ('organisation', '0003_group_sort_key'),
        ('organisation', '0004_region_kinds_motion_deadline'),
        ('organisation', '0005_unit_region'),
        ('organisation', '0006_group_founded_on'),
    ]

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Region',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('code', models.CharField(max_length=12, unique=True, verbose_name='区划代码')),
                ('name', models.CharField(max_length=64, verbose_name='名称')),
                ('kind', models.CharField(choices=[('province', '省'), ('prefecture', '州（地级）'), ('county', '县级'), ('city', '市'), ('town', '镇'), ('township', '乡'), ('street', '街道'), ('scenic', '风景区管理处'), ('village', '村'), ('community', '社区')], max_length=16, verbose_name='类型')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='organisation.region', verbose_name='上级')),
            ],
            options={
                'verbose_name': '行政区域',
                'verbose_name_plural': '行政区域',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='HandlingUnit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='名称')),
                ('kind', models.CharField(choices=[('government', '政府部门'), ('court', '法院'), ('procuratorate', '检察院'), ('other', '其他')], default='government', max_length=16, verbose_name='类型')),
                ('contact_person', models.CharField(blank=True, max_length=50, verbose_name='联系人')),
                ('phone', models.CharField(blank=True, max_length=32, verbose_name='联系电话')),
                ('is_active', models.BooleanField(default=True, verbose_name='在用')),
                ('duties', models.TextField(blank=True, help_text='单位“三定”方案中的主要职责，用于建议交办时推荐承办单位', verbose_name='职责')),
                ('region', models.ForeignKey(blank=True, help_text='市直单位填写市；镇直部门、村（居）委会填写所属乡镇', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='units', to='organisation.region', verbose_name='所属区域')),
            ],
            options={
                'verbose_name': '承办单位',
                'verbose_name_plural': '承办单位',
                'ordering': ['kind', 'name'],
            },
        ),
        migrations.CreateModel(
            name='Congress',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('level', models.CharField(choices=[('province', '省'), ('prefecture', '州'), ('city', '市'), ('township', '乡')], max_length=16, verbose_name='层级')),
                ('term', models.PositiveSmallIntegerField(verbose_name='届次')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='名称')),
                ('start_date', models.DateField(blank=True, null=True, verbose_name='本届开始')),
                ('end_date', models.DateField(blank=True, null=True, verbose_name='本届结束')),
                ('is_current', models.BooleanField(default=True, verbose_name='本届')),
                ('region', models.ForeignKey(blank=True, help_text='乡级人大填写所属乡镇；省、州级可留空', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='congresses', to='organisation.region', verbose_name='所属区域')),
            ],
            options={
                'verbose_name': '人民代表大会',
                'verbose_name_plural': '人民代表大会',
                'ordering': ['level', '-term', 'name'],
            },
        ),
        migrations.CreateModel(
            name='Session',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('number', models.PositiveSmallIntegerField(verbose_name='会次')),
                ('name', models.CharField(max_length=120, verbose_name='名称')),
                ('start_date', models.DateField(verbose_name='开幕日期')),
                ('end_date', models.DateField(verbose_name='闭幕日期')),
                ('motion_deadline', models.DateTimeField(blank=True, help_text='主席团确定的代表提出议案的截止时间；不填则至闭幕日24时', null=True, verbose_name='议案截止时间')),
                ('congress', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sessions', to='organisation.congress', verbose_name='人民代表大会')),
            ],
            options={
                'verbose_name': '会议',
                'verbose_name_plural': '会议',
                'ordering': ['congress', 'number'],
            },
        ),
        migrations.CreateModel(
            name='Station',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('kind', models.CharField(choices=[('home', '人大代表之家'), ('liaison', '人大代表联络站')], max_length=16, verbose_name='类型')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='名称')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='地址')),
                ('phone', models.CharField(blank=True, max_length=32, verbose_name='联系电话')),
                ('reception_hours', models.CharField(blank=True, max_length=200, verbose_name='接待时间')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='stations', to='organisation.region', verbose_name='所在区域')),
            ],
            options={
                'verbose_name': '代表之家/联络站',
                'verbose_name_plural': '代表之家/联络站',
                'ordering': ['region__code', 'kind', 'name'],
            },
        ),
        migrations.CreateModel(
            name='DeputyGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='名称')),
                ('founded_on', models.DateField(blank=True, help_text='新组建的小组请填写：从成立后第一个完整的季度起计入小组活动情况', null=True, verbose_name='成立日期')),
                ('notes', models.TextField(blank=True, verbose_name='备注')),
                ('sort_key', models.CharField(db_index=True, default='', editable=False, max_length=200, verbose_name='排序键')),
                ('station', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='groups', to='organisation.station', verbose_name='所在站点')),
            ],
            options={
                'verbose_name': '代表小组',
                'verbose_name_plural': '代表小组',
                'ordering': ['station__region__code', 'sort_key', 'name'],
            },
        ),
        migrations.AddConstraint(
            model_name='congress',
            constraint=models.UniqueConstraint(fields=('level', 'term', 'region'), name='congress_unique_level_term_region'),
        ),
        migrations.AddConstraint(
            model_name='session',
            constraint=models.UniqueConstraint(fields=('congress', 'number'), name='session_unique_number'),
        ),
    ]
