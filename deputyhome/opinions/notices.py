"""The privacy notice citizens consent to before leaving an opinion, by version.

Texts are kept here, in the code, and never edited once published: a new wording is a new
version, and every opinion records the version its author consented to, so what each person
agreed to can always be shown.
"""

from __future__ import annotations

CURRENT_VERSION = "2026-1"

NOTICES: dict[str, str] = {
    "2026-1": (
        "1. 您反映的内容将由本站人大代表和人大工作人员阅处，必要时转交有关部门办理。\n"
        "2. 姓名和联系电话可以不填；填写的，仅用于代表和工作人员与您联系、反馈办理情况，"
        "不对外公开，不用于其他用途。\n"
        "3. 我们不会要求您提供身份证号码，请不要在内容或照片中填写身份证号码、银行卡号等信息。\n"
        "4. 凭查询码只能查看办理状态和答复内容，不显示您的姓名、电话和反映内容。请妥善保管查询码。\n"
        "5. 您的信息按照人大代表工作档案管理规定保存，工作人员查阅、处理均留有记录。"
    ),
}


def current() -> tuple[str, str]:
    return CURRENT_VERSION, NOTICES[CURRENT_VERSION]


def text_of(version: str) -> str:
    return NOTICES.get(version, "")
