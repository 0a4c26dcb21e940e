import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('organisation', '0001_squashed_0006_group_founded_on'),
    ]

    operations = [
        migrations.CreateModel(
            name='AnnualReportText',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('problems', models.TextField(verbose_name='存在的问题')),
                ('next_steps', models.TextField(verbose_name='下一步工作')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisation.region', verbose_name='区域')),
            ],
            options={
                'verbose_name': '年度报告文字',
                'verbose_name_plural': '年度报告文字',
                'constraints': [models.UniqueConstraint(fields=('year', 'region'), name='reports_annualtext_year_region')],
            },
        ),
    ]
