from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('figures', '0001_snapshots'),
        ('figures', '0002_snapshot_version'),
    ]

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='FigureSnapshot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=64, verbose_name='统计')),
                ('key', models.CharField(max_length=128, verbose_name='范围')),
                ('value', models.JSONField(verbose_name='结果')),
                ('computed_at', models.DateTimeField(verbose_name='计算时间')),
                ('as_of_event', models.BigIntegerField(default=0, verbose_name='截至审计事件')),
                ('seconds', models.FloatField(default=0, verbose_name='计算用时（秒）')),
                ('version', models.PositiveIntegerField(default=1, verbose_name='格式版本')),
            ],
            options={
                'verbose_name': '预先计算的统计',
                'verbose_name_plural': '预先计算的统计',
                'constraints': [models.UniqueConstraint(fields=('name', 'key'), name='figure_snapshot_name_key')],
            },
        ),
    ]
