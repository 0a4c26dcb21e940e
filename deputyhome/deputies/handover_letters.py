"""开通通知书: the 开通单 as a Word document, one A4 page per deputy, to print and hand over in person.

The .xlsx 开通单 is a list (a line per deputy, for the township's own records); a township hands each deputy a
page instead: whose account, the login address, the username and one-time password, and the first login step by
step (首次登录验证 where the deputy has a phone on the record). Each page is written as WordprocessingML text and
parsed once for the whole document: python-docx's call per paragraph took seconds for a thousand deputies.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone

from deputyhome.core.masking import mask_phone

from .services.account_batches import HANDOVER_DAYS, Handover

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT = "仿宋"
TITLE_FONT = "黑体"
CODE_FONT = "Consolas"  # the password: 0/O and 1/l told apart (the alphabet has no look-alikes, the reader may)


def _run(text: str, *, size: int = 32, font: str = BODY_FONT, bold: bool = False) -> str:
    """A run of `text` (size in half-points: 32 = 三号 16 pt)."""
    b = "<w:b/>" if bold else ""
    fonts = f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>'
    return f'<w:r><w:rPr>{fonts}{b}<w:sz w:val="{size}"/></w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraph(*runs: str, align: str = "", indent: bool = False, after: int = 120, page_break: bool = False) -> str:
    jc = f'<w:jc w:val="{align}"/>' if align else ""
    ind = '<w:ind w:firstLineChars="200" w:firstLine="640"/>' if indent else ""
    brk = "<w:pageBreakBefore/>" if page_break else ""
    return f'<w:p><w:pPr>{brk}<w:spacing w:after="{after}" w:line="440" w:lineRule="exact"/>{ind}{jc}</w:pPr>{"".join(runs)}</w:p>'


def _letter(h: Handover, *, login_url: str, first: bool) -> str:
    until = f"{timezone.localtime(h.until):%Y年%m月%d日 %H:%M}"
    steps = ["在手机或电脑的浏览器中打开登录网址，输入上面的用户名和一次性密码。"]
    if settings.FIRST_LOGIN_SMS and h.deputy.phone:
        steps.append(
            f"点击“获取验证码”，输入发到您在代表名册中登记的手机（{mask_phone(h.deputy.phone)}）上的6位短信验证码。"
            "如果这不是您的手机号，请不要登录，联系所在乡镇（街道）人大更正。"
        )
    steps.append("按页面提示设置您自己的密码（不少于8位，不要用生日、电话号码等易猜的密码），以后用新密码登录。")
    parts = [
        _paragraph(
            _run("代表之家账号开通通知书", size=44, font=TITLE_FONT), align="center", after=360, page_break=not first
        ),
        _paragraph(_run(f"{h.deputy.name}代表：")),
        _paragraph(
            _run("您的代表之家登录账号已经开通。代表之家可以查看和提交代表建议、参加活动和培训、记录履职情况。"),
            indent=True,
        ),
        _paragraph(_run("登录网址：", bold=True), _run(login_url, font=CODE_FONT), indent=True),
        _paragraph(_run("用 户 名：", bold=True), _run(h.username, font=CODE_FONT), indent=True),
        _paragraph(_run("一次性密码：", bold=True), _run(h.password, font=CODE_FONT), indent=True),
        _paragraph(_run("有效期至：", bold=True), _run(until), indent=True, after=240),
        _paragraph(_run("首次登录步骤：", bold=True)),
        *(_paragraph(_run(f"{n}. {step}"), indent=True) for n, step in enumerate(steps, start=1)),
        _paragraph(
            _run(
                f"一次性密码{HANDOVER_DAYS}天内有效，只能使用一次。过期、遗失或登录遇到问题，请联系所在乡镇（街道）人大。"
                "密码和验证码请勿告诉任何人，包括转交本通知书的工作人员。"
            ),
            indent=True,
            after=480,
        ),
        _paragraph(_run(settings.COMMITTEE_NAME), align="right", after=0),
        _paragraph(_run(f"{timezone.localdate():%Y年%m月%d日}"), align="right"),
    ]
    return "".join(parts)


def handover_letters(handovers: Sequence[Handover], *, login_url: str) -> bytes:
    """The 开通通知书 (.docx): one page per deputy, in the 开通单's order."""
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Cm

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(3)
    section.left_margin = section.right_margin = Cm(2.6)
    letters = "".join(_letter(h, login_url=login_url, first=n == 0) for n, h in enumerate(handovers))
    body = parse_xml(f"<w:body {nsdecls('w')}>{letters}</w:body>")
    anchor = document.element.body.sectPr  # the section's settings stay the body's last child
    for paragraph in list(body):
        anchor.addprevious(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
