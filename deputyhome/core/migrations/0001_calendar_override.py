from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarOverride',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('date', models.DateField(unique=True, verbose_name='日期')),
                ('is_workday', models.BooleanField(default=False, help_text='勾选：当天为工作日（即使日历为休息日，如调休上班）；不勾选：当天为休息日。', verbose_name='上班')),
                ('note', models.CharField(help_text='例如：2027年春节', max_length=100, verbose_name='说明')),
            ],
            options={
                'verbose_name': '工作日历调整',
                'verbose_name_plural': '工作日历调整',
                'ordering': ['date'],
            },
        ),
    ]
