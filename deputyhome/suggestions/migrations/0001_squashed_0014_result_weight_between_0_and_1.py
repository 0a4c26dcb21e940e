"""The suggestion course's tables, and the default lists (suggestions/defaults.py): ten suggestion categories and
the A/B/C result scheme. Both stay editable; the seed only fills an empty database.
"""

import deputyhome.core.models
import deputyhome.suggestions.models
import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from deputyhome.suggestions.defaults import CATEGORIES, RESULT_CLASSES


def forwards(apps, schema_editor):
    Category = apps.get_model("suggestions", "Category")
    ResultClass = apps.get_model("suggestions", "ResultClass")
    for order, name in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"order": order})
    for order, (code, label, follow, weight) in enumerate(RESULT_CLASSES, start=1):
        ResultClass.objects.get_or_create(
            code=code, defaults={"label": label, "needs_follow_up": follow, "score_weight": weight, "order": order}
        )


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('suggestions', '0001_initial'),
        ('suggestions', '0002_default_categories_and_result_classes'),
        ('suggestions', '0003_event_actions_and_lead_first'),
        ('suggestions', '0004_supervisionrecord'),
        ('suggestions', '0005_history_merging_routing'),
        ('suggestions', '0006_suggestion_congress'),
        ('suggestions', '0007_category_region'),
        ('suggestions', '0008_forward'),
        ('suggestions', '0009_policy_region'),
        ('suggestions', '0010_suggestion_number_index'),
        ('suggestions', '0011_board_due_indexes'),
        ('suggestions', '0012_handling_due_id_index'),
        ('suggestions', '0013_forward_attachments'),
        ('suggestions', '0014_result_weight_between_0_and_1'),
    ]

    dependencies = [
        ('deputies', '0001_squashed_0005_phone_before'),
        ('organisation', '0001_squashed_0006_group_founded_on'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RegisterCounter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scope', models.CharField(max_length=40, unique=True)),
                ('last', models.PositiveIntegerField(default=0)),
            ],
            options={
                'verbose_name': '立案编号计数',
                'verbose_name_plural': '立案编号计数',
            },
        ),
        migrations.CreateModel(
            name='ResultClass',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=8, unique=True, verbose_name='代码')),
                ('label', models.CharField(max_length=60, verbose_name='名称')),
                ('needs_follow_up', models.BooleanField(default=False, verbose_name='需跟踪落实')),
                ('score_weight', models.DecimalField(decimal_places=2, default=1, help_text='0至1：办理结果一项按此比例得分（如A类1、B类0.8、C类0.5）', max_digits=4, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(1)], verbose_name='计分系数')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
                ('is_active', models.BooleanField(default=True, verbose_name='在用')),
            ],
            options={
                'verbose_name': '办理结果分类',
                'verbose_name_plural': '办理结果分类',
                'ordering': ['order', 'code'],
            },
        ),
        migrations.CreateModel(
            name='RoutingModel',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='训练时间')),
                ('digest', models.CharField(db_index=True, max_length=64, verbose_name='训练数据摘要')),
                ('documents', models.PositiveIntegerField(default=0, verbose_name='训练样本数')),
                ('blob', models.BinaryField(verbose_name='模型数据')),
                ('meta', models.JSONField(blank=True, default=dict, verbose_name='说明')),
            ],
            options={
                'verbose_name': '交办推荐模型',
                'verbose_name_plural': '交办推荐模型',
                'ordering': ['-id'],
            },
        ),
        migrations.CreateModel(
            name='Category',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=50, unique=True, verbose_name='名称')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
                ('is_active', models.BooleanField(default=True, verbose_name='在用')),
                ('region', models.ForeignKey(blank=True, help_text='留空为各级通用；乡镇人大自设的分类填写乡镇', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.region', verbose_name='所属人大区域')),
            ],
            options={
                'verbose_name': '建议分类',
                'verbose_name_plural': '建议分类',
                'ordering': ['order', 'name'],
            },
        ),
        migrations.CreateModel(
            name='Suggestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('title', models.CharField(max_length=200, verbose_name='标题')),
                ('situation', models.TextField(blank=True, verbose_name='基本情况')),
                ('reasons', models.TextField(blank=True, verbose_name='存在问题及原因')),
                ('proposals', models.TextField(blank=True, verbose_name='意见建议')),
                ('year', models.PositiveSmallIntegerField(db_index=True, verbose_name='年度')),
                ('state', models.CharField(choices=[('draft', '草稿'), ('submitted', '已提交'), ('returned', '已退回'), ('registered', '已立案'), ('assigned', '已交办'), ('handling', '办理中'), ('replied', '已答复'), ('awaiting_evaluation', '待评价'), ('rehandling', '重新办理'), ('closed', '已办结'), ('withdrawn', '已撤回')], db_index=True, default='draft', max_length=24, verbose_name='状态')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='提交时间')),
                ('return_reason', models.CharField(blank=True, choices=[('out_of_authority', '不属于本级职权范围'), ('personal', '代表本人及其亲属的个人事务'), ('court_case', '涉及具体司法案件'), ('forwarded_letter', '转交来信'), ('academic', '学术探讨'), ('promotion', '宣传推介产品'), ('empty', '内容空泛、没有具体意见'), ('other', '其他')], max_length=24, verbose_name='退回理由')),
                ('return_note', models.TextField(blank=True, verbose_name='退回说明')),
                ('number', models.PositiveIntegerField(blank=True, null=True, verbose_name='编号')),
                ('registered_on', models.DateField(blank=True, null=True, verbose_name='立案日期')),
                ('is_complex', models.BooleanField(default=False, verbose_name='涉及面广、办理难度大')),
                ('requirements', models.TextField(blank=True, verbose_name='办理要求')),
                ('assigned_on', models.DateField(blank=True, null=True, verbose_name='交办日期')),
                ('due_on', models.DateField(blank=True, db_index=True, null=True, verbose_name='办理期限')),
                ('round', models.PositiveSmallIntegerField(default=1, verbose_name='办理轮次')),
                ('consultation_waived', models.BooleanField(default=False, verbose_name='免予面商')),
                ('replied_on', models.DateField(blank=True, null=True, verbose_name='答复日期')),
                ('evaluation_due_on', models.DateField(blank=True, null=True, verbose_name='评价期限')),
                ('closed_on', models.DateField(blank=True, null=True, verbose_name='办结日期')),
                ('follow_up_on', models.DateField(blank=True, db_index=True, null=True, verbose_name='跟踪落实日期')),
                ('is_key', models.BooleanField(db_index=True, default=False, verbose_name='重点督办')),
                ('key_leader', models.CharField(blank=True, max_length=50, verbose_name='督办领导')),
                ('publish_reply', models.BooleanField(default=False, verbose_name='答复可公开')),
                ('public_token', models.CharField(default=deputyhome.suggestions.models._tracking_token, editable=False, max_length=32, unique=True)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='suggestions', to='deputies.deputy', verbose_name='领衔代表')),
                ('category', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='suggestions', to='suggestions.category', verbose_name='分类')),
                ('congress', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='suggestions', to='organisation.congress', verbose_name='受理人大')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='录入人')),
                ('merged_into', models.ForeignKey(blank=True, help_text='并案后由主建议统一答复；编号保留', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='merged', to='suggestions.suggestion', verbose_name='并入')),
                ('region', models.ForeignKey(blank=True, help_text='提交时领衔代表所属乡镇，用于按乡镇统计和数据范围', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.region', verbose_name='所属乡镇')),
                ('result_class', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='suggestions.resultclass', verbose_name='办理结果')),
                ('session', models.ForeignKey(blank=True, help_text='会议期间提出的建议填写所属会议；闭会期间留空', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='suggestions', to='organisation.session', verbose_name='会议')),
            ],
            options={
                'verbose_name': '代表建议',
                'verbose_name_plural': '代表建议',
                'ordering': ['-year', 'number', '-id'],
            },
            bases=(deputyhome.core.models.ChoiceLabels, models.Model),
        ),
        migrations.CreateModel(
            name='RoutingChoice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('unit', '承办单位'), ('category', '分类')], max_length=12, verbose_name='类型')),
                ('recommended', models.JSONField(default=list, verbose_name='推荐')),
                ('chosen', models.JSONField(default=list, verbose_name='选定')),
                ('accepted', models.BooleanField(default=False, verbose_name='采纳首选推荐')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('model', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='suggestions.routingmodel')),
                ('suggestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='routing_choices', to='suggestions.suggestion')),
            ],
            options={
                'verbose_name': '交办选择记录',
                'verbose_name_plural': '交办选择记录',
                'ordering': ['-at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Reply',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('round', models.PositiveSmallIntegerField(default=1, verbose_name='办理轮次')),
                ('text', models.TextField(verbose_name='答复内容')),
                ('publishable', models.BooleanField(default=False, verbose_name='可公开')),
                ('follow_up_on', models.DateField(blank=True, null=True, verbose_name='跟踪落实日期')),
                ('submitted_on', models.DateField(verbose_name='答复日期')),
                ('review_status', models.CharField(choices=[('pending', '待审核'), ('accepted', '审核通过'), ('sent_back', '已退回')], default='pending', max_length=12, verbose_name='审核')),
                ('review_note', models.TextField(blank=True, verbose_name='审核意见')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='replies', to='organisation.handlingunit')),
                ('result_class', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='suggestions.resultclass', verbose_name='办理结果')),
                ('suggestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='replies', to='suggestions.suggestion')),
            ],
            options={
                'verbose_name': '答复',
                'verbose_name_plural': '答复',
                'ordering': ['round', 'id'],
            },
            bases=(deputyhome.core.models.ChoiceLabels, models.Model),
        ),
        migrations.CreateModel(
            name='Forward',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('forwarded_on', models.DateField(verbose_name='转办日期')),
                ('due_on', models.DateField(db_index=True, verbose_name='答复期限')),
                ('note', models.TextField(help_text='请市级单位办理或答复的具体事项', verbose_name='转办事项')),
                ('status', models.CharField(choices=[('pending', '待答复'), ('answered', '已答复'), ('withdrawn', '已撤回')], db_index=True, default='pending', max_length=12, verbose_name='状态')),
                ('answer', models.TextField(blank=True, verbose_name='答复内容')),
                ('answered_on', models.DateField(blank=True, null=True, verbose_name='答复日期')),
                ('withdrawn_on', models.DateField(blank=True, null=True, verbose_name='撤回日期')),
                ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='答复人')),
                ('forwarded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='转办人')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='forwards', to='organisation.handlingunit', verbose_name='市级承办单位')),
                ('suggestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='forwards', to='suggestions.suggestion', verbose_name='建议')),
            ],
            options={
                'verbose_name': '转请市级办理',
                'verbose_name_plural': '转请市级办理',
                'ordering': ['forwarded_on', 'id'],
            },
            bases=(deputyhome.core.models.ChoiceLabels, models.Model),
        ),
        migrations.CreateModel(
            name='Extension',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('months', models.PositiveSmallIntegerField(verbose_name='延期（月）')),
                ('reason', models.TextField(verbose_name='理由')),
                ('status', models.CharField(choices=[('pending', '待审批'), ('approved', '已批准'), ('rejected', '未批准')], default='pending', max_length=12, verbose_name='状态')),
                ('requested_at', models.DateTimeField(auto_now_add=True, verbose_name='申请时间')),
                ('old_due_on', models.DateField(verbose_name='原期限')),
                ('new_due_on', models.DateField(blank=True, null=True, verbose_name='新期限')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='审批时间')),
                ('decision_note', models.TextField(blank=True, verbose_name='审批意见')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.handlingunit')),
                ('suggestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='extensions', to='suggestions.suggestion')),
            ],
            options={
                'verbose_name': '延期申请',
                'verbose_name_plural': '延期申请',
                'ordering': ['requested_at'],
            },
            bases=(deputyhome.core.models.ChoiceLabels, models.Model),
        ),
        migrations.CreateModel(
            name='Event',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='时间')),
                ('on', models.DateField(verbose_name='业务日期')),
                ('actor_label', models.CharField(blank=True, max_length=100, verbose_name='操作方')),
                ('action', models.CharField(choices=[('create', '起草'), ('edit', '修改'), ('submit', '提交'), ('withdraw', '撤回'), ('return', '退回代表'), ('register', '审查通过并立案'), ('assign', '交办'), ('receive', '签收'), ('unit_return', '申请退回（交办有误）'), ('consult', '记录沟通联系'), ('waive_consultation', '免予面商'), ('co_opinion', '协办意见'), ('request_extension', '申请延期'), ('decide_extension', '审批延期'), ('reply', '答复'), ('accept_reply', '审核通过答复'), ('send_back_reply', '退回答复'), ('evaluate', '评价'), ('rehandle', '转重新办理'), ('close', '办结'), ('mark_key', '列为重点督办'), ('supervise', '督办记录'), ('remind', '催办'), ('no_evaluation', '逾期未评价'), ('confirm_cosign', '确认联名'), ('merge', '并案'), ('unmerge', '撤销并案'), ('forward_up', '转请市级办理'), ('forward_answer', '市级单位答复转办事项'), ('forward_withdraw', '撤回转办')], max_length=24, verbose_name='操作')),
                ('from_state', models.CharField(blank=True, choices=[('draft', '草稿'), ('submitted', '已提交'), ('returned', '已退回'), ('registered', '已立案'), ('assigned', '已交办'), ('handling', '办理中'), ('replied', '已答复'), ('awaiting_evaluation', '待评价'), ('rehandling', '重新办理'), ('closed', '已办结'), ('withdrawn', '已撤回')], max_length=24, verbose_name='原状态')),
                ('to_state', models.CharField(blank=True, choices=[('draft', '草稿'), ('submitted', '已提交'), ('returned', '已退回'), ('registered', '已立案'), ('assigned', '已交办'), ('handling', '办理中'), ('replied', '已答复'), ('awaiting_evaluation', '待评价'), ('rehandling', '重新办理'), ('closed', '已办结'), ('withdrawn', '已撤回')], max_length=24, verbose_name='新状态')),
                ('round', models.PositiveSmallIntegerField(default=1, verbose_name='办理轮次')),
                ('note', models.TextField(blank=True, verbose_name='说明')),
                ('data', models.JSONField(blank=True, default=dict)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('suggestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='suggestions.suggestion')),
            ],
            options={
                'verbose_name': '办理过程',
                'verbose_name_plural': '办理过程',
                'ordering': ['at', 'id'],
            },
            bases=(deputyhome.core.models.ChoiceLabels, models.Model),
        ),
        migrations.CreateModel(
            name='Evaluation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('round', models.PositiveSmallIntegerField(default=1, verbose_name='办理轮次')),
                ('attitude', models.CharField(blank=True, choices=[('satisfied', '满意'), ('basic', '基本满意'), ('dissatisfied', '不满意')], max_length=16, verbose_name='办理态度')),
                ('result', models.CharField(blank=True, choices=[('satisfied', '满意'), ('basic', '基本满意'), ('dissatisfied', '不满意')], max_length=16, verbose_name='办理结果')),
                ('comment', models.TextField(blank=True, verbose_name='意见')),
                ('no_response', models.BooleanField(default=False, verbose_name='逾期未评价')),
                ('evaluated_on', models.DateField(verbose_name='评价日期')),
                ('deputy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='deputies.deputy')),
                ('suggestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evaluations', to='suggestions.suggestion')),
            ],
            options={
                'verbose_name': '代表评价',
                'verbose_name_plural': '代表评价',
                'ordering': ['round', 'id'],
            },
            bases=(deputyhome.core.models.ChoiceLabels, models.Model),
        ),
        migrations.CreateModel(
            name='CoSigner',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='确认时间')),
                ('deputy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cosigned', to='deputies.deputy', verbose_name='联名代表')),
                ('suggestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cosigners', to='suggestions.suggestion')),
            ],
            options={
                'verbose_name': '联名代表',
                'verbose_name_plural': '联名代表',
            },
        ),
        migrations.CreateModel(
            name='Consultation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('round', models.PositiveSmallIntegerField(default=1, verbose_name='办理轮次')),
                ('date', models.DateField(verbose_name='日期')),
                ('way', models.CharField(choices=[('in_person', '当面'), ('phone', '电话'), ('site', '现场')], max_length=12, verbose_name='方式')),
                ('notes', models.TextField(blank=True, verbose_name='情况')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.handlingunit')),
                ('suggestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='consultations', to='suggestions.suggestion')),
            ],
            options={
                'verbose_name': '沟通联系记录',
                'verbose_name_plural': '沟通联系记录',
                'ordering': ['date', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Attachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(upload_to='suggestions/%Y/', verbose_name='文件')),
                ('name', models.CharField(max_length=200, verbose_name='文件名')),
                ('size', models.PositiveIntegerField(verbose_name='大小')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('forward', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='suggestions.forward')),
                ('reply', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='suggestions.reply')),
                ('suggestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='suggestions.suggestion')),
            ],
            options={
                'verbose_name': '附件',
                'verbose_name_plural': '附件',
                'ordering': ['uploaded_at'],
            },
        ),
        migrations.CreateModel(
            name='Assignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('role', models.CharField(choices=[('lead', '主办单位'), ('co', '协办单位')], max_length=8, verbose_name='承办类型')),
                ('status', models.CharField(choices=[('active', '承办中'), ('returned', '已退回'), ('replaced', '已改办')], default='active', max_length=12, verbose_name='状态')),
                ('assigned_on', models.DateField(verbose_name='交办日期')),
                ('received_on', models.DateField(blank=True, null=True, verbose_name='签收日期')),
                ('return_by', models.DateField(blank=True, null=True, verbose_name='可申请退回至')),
                ('returned_on', models.DateField(blank=True, null=True, verbose_name='退回日期')),
                ('return_reason', models.TextField(blank=True, verbose_name='退回理由')),
                ('opinion_due_on', models.DateField(blank=True, null=True, verbose_name='协办意见期限')),
                ('opinion', models.TextField(blank=True, verbose_name='协办意见')),
                ('opinion_on', models.DateField(blank=True, null=True, verbose_name='协办意见日期')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='organisation.handlingunit', verbose_name='承办单位')),
                ('suggestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='suggestions.suggestion')),
            ],
            options={
                'verbose_name': '交办记录',
                'verbose_name_plural': '交办记录',
                'ordering': ['-role', 'id'],
            },
            bases=(deputyhome.core.models.ChoiceLabels, models.Model),
        ),
        migrations.CreateModel(
            name='SupervisionRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('method', models.CharField(choices=[('documents', '查资料'), ('report', '听汇报'), ('site', '看现场'), ('visit', '访代表')], max_length=12, verbose_name='督办方式')),
                ('date', models.DateField(verbose_name='日期')),
                ('findings', models.TextField(verbose_name='督办情况')),
                ('follow_up', models.TextField(blank=True, verbose_name='后续要求')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('suggestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='supervision_records', to='suggestions.suggestion')),
            ],
            options={
                'verbose_name': '督办记录',
                'verbose_name_plural': '督办记录',
                'db_table': 'supervision_supervisionrecord',
                'ordering': ['date', 'id'],
            },
            bases=(deputyhome.core.models.ChoiceLabels, models.Model),
        ),
        migrations.CreateModel(
            name='Policy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('handling_months', models.PositiveSmallIntegerField(default=3, verbose_name='办理期限（月）')),
                ('complex_handling_months', models.PositiveSmallIntegerField(default=6, verbose_name='复杂建议办理期限（月）')),
                ('unit_return_workdays', models.PositiveSmallIntegerField(default=7, verbose_name='交办有误退回期限（工作日）')),
                ('co_opinion_months', models.PositiveSmallIntegerField(default=1, verbose_name='协办意见期限（月）')),
                ('rehandling_months', models.PositiveSmallIntegerField(default=1, verbose_name='重新办理期限（月）')),
                ('evaluation_workdays', models.PositiveSmallIntegerField(default=20, verbose_name='代表评价期限（工作日）')),
                ('max_extension_months', models.PositiveSmallIntegerField(default=3, verbose_name='最长延期（月）')),
                ('due_soon_workdays', models.PositiveSmallIntegerField(default=10, verbose_name='临期提醒（工作日）')),
                ('region', models.ForeignKey(blank=True, help_text='留空为各级人大的默认设置；乡镇人大自设的期限填写乡镇', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.region', verbose_name='所属人大区域')),
            ],
            options={
                'verbose_name': '办理期限设置',
                'verbose_name_plural': '办理期限设置',
                'ordering': ['-year'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('region__isnull', True)), fields=('year',), name='policy_default_unique_per_year', violation_error_message='该年度的默认办理期限已设置，请编辑原有设置。'), models.UniqueConstraint(condition=models.Q(('region__isnull', False)), fields=('region', 'year'), name='policy_unique_per_region_year', violation_error_message='本级人大该年度的办理期限已设置，请编辑原有设置。')],
            },
        ),
        migrations.CreateModel(
            name='HistoricalSuggestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(db_index=True, verbose_name='年度')),
                ('number', models.PositiveIntegerField(blank=True, null=True, verbose_name='编号')),
                ('title', models.CharField(max_length=200, verbose_name='标题')),
                ('content', models.TextField(blank=True, verbose_name='内容')),
                ('author_name', models.CharField(blank=True, max_length=50, verbose_name='领衔代表')),
                ('is_public', models.BooleanField(default=True, verbose_name='对代表公开')),
                ('source', models.CharField(blank=True, max_length=200, verbose_name='来源')),
                ('imported_at', models.DateTimeField(auto_now_add=True, verbose_name='导入时间')),
                ('category', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='suggestions.category', verbose_name='分类')),
                ('co_units', models.ManyToManyField(blank=True, related_name='+', to='organisation.handlingunit', verbose_name='协办单位')),
                ('lead_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.handlingunit', verbose_name='主办单位')),
                ('result_class', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='suggestions.resultclass', verbose_name='答复类别')),
            ],
            options={
                'verbose_name': '往年建议',
                'verbose_name_plural': '往年建议',
                'ordering': ['-year', 'number', 'id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('number__isnull', False)), fields=('year', 'number'), name='history_number_unique')],
            },
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(fields=['-number', 'id'], name='suggestion_number_desc_id'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(condition=models.Q(('is_key', True), models.Q(('state', 'closed'), _negated=True)), fields=['due_on'], name='suggestion_key_open_due'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(condition=models.Q(('state__in', ('assigned', 'handling', 'rehandling'))), fields=['due_on', 'id'], name='suggestion_handling_due_id'),
        ),
        migrations.AddConstraint(
            model_name='suggestion',
            constraint=models.UniqueConstraint(condition=models.Q(('number__isnull', False), ('session__isnull', False)), fields=('session', 'number'), name='suggestion_number_unique_in_session'),
        ),
        migrations.AddConstraint(
            model_name='suggestion',
            constraint=models.UniqueConstraint(condition=models.Q(('number__isnull', False), ('session__isnull', True)), fields=('congress', 'year', 'number'), name='suggestion_number_unique_in_recess_year'),
        ),
        migrations.AddConstraint(
            model_name='forward',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('suggestion', 'unit'), name='one_pending_forward_per_unit'),
        ),
        migrations.AddConstraint(
            model_name='evaluation',
            constraint=models.UniqueConstraint(fields=('suggestion', 'deputy', 'round'), name='evaluation_unique'),
        ),
        migrations.AddConstraint(
            model_name='cosigner',
            constraint=models.UniqueConstraint(fields=('suggestion', 'deputy'), name='cosigner_unique'),
        ),
        migrations.AddConstraint(
            model_name='assignment',
            constraint=models.UniqueConstraint(condition=models.Q(('role', 'lead'), ('status', 'active')), fields=('suggestion',), name='one_active_lead_unit'),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
