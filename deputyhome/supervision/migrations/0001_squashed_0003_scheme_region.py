import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('supervision', '0001_initial'),
        ('supervision', '0002_supervisionrecord_to_suggestions'),
        ('supervision', '0003_scheme_region'),
    ]

    dependencies = [
        ('organisation', '0001_squashed_0006_group_founded_on'),
    ]

    operations = [
        migrations.CreateModel(
            name='ScoringScheme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('name', models.CharField(default='代表建议办理工作考核评分办法', max_length=100, verbose_name='名称')),
                ('min_suggestions', models.PositiveSmallIntegerField(default=2, help_text='主办件数少于此数的单位不参与排名', verbose_name='参与排名的最少主办件数')),
                ('region', models.ForeignKey(blank=True, help_text='空：默认办法（市人大）；乡镇人大制定本乡镇办法时填写所属乡镇', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.region', verbose_name='所属乡镇')),
            ],
            options={
                'verbose_name': '考核评分办法',
                'verbose_name_plural': '考核评分办法',
                'ordering': ['-year'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='ScoringItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('rule', models.CharField(choices=[('timeliness', '按期答复'), ('consultation', '答复前沟通联系'), ('reply_quality', '答复一次审核通过'), ('result', '办理结果'), ('satisfaction', '代表满意度'), ('overdue_deduction', '逾期答复扣分'), ('dissatisfied_deduction', '最终不满意扣分'), ('key_closed_bonus', '重点督办件办结加分')], max_length=32, verbose_name='计分项')),
                ('label', models.CharField(max_length=60, verbose_name='名称')),
                ('points', models.DecimalField(decimal_places=2, max_digits=5, verbose_name='分值')),
                ('cap', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='上限')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
                ('scheme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='supervision.scoringscheme')),
            ],
            options={
                'verbose_name': '评分项',
                'verbose_name_plural': '评分项',
                'ordering': ['order', 'id'],
            },
        ),
        migrations.AddConstraint(
            model_name='scoringscheme',
            constraint=models.UniqueConstraint(fields=('year', 'region'), name='scoring_scheme_unique_year_region'),
        ),
        migrations.AddConstraint(
            model_name='scoringscheme',
            constraint=models.UniqueConstraint(condition=models.Q(('region__isnull', True)), fields=('year',), name='scoring_scheme_unique_default_year'),
        ),
        migrations.AddConstraint(
            model_name='scoringitem',
            constraint=models.UniqueConstraint(fields=('scheme', 'rule'), name='scoring_item_unique_rule'),
        ),
    ]
