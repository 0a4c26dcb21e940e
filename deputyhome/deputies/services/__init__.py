"""The writes of the deputies app: each service one transaction with its audit row. One module per area; callers
import the register's writes from here, the others from their module:

    register          deputies, their mandates and group memberships (the register's forms)
    phone_changes     a changed phone told to the old number
    account_requests  申请开通代表账号: the staff ask the administrators for deputies' logins
    account_batches   开通代表账号 in batches, the roles given with them, the handover of a login
    term_change       换届: a congress's term ends and the next one begins
    term_undo         撤销换届: a term change made by mistake taken back
    roster_import     代表名册导入: the checked file applied, all or nothing
    first_login_codes 首次登录短信验证: a code sent to the deputy's phone, a code typed
"""

from .register import (
    ask_account_review,
    deputies_resync_region,
    deputy_create,
    deputy_delete,
    deputy_update,
    mandate_create,
    mandate_delete,
    mandate_update,
    membership_create,
    membership_delete,
    membership_update,
    memberships_past,
    seats_after,
)

__all__ = [
    "ask_account_review",
    "deputies_resync_region",
    "deputy_create",
    "deputy_delete",
    "deputy_update",
    "mandate_create",
    "mandate_delete",
    "mandate_update",
    "membership_create",
    "membership_delete",
    "membership_update",
    "memberships_past",
    "seats_after",
]
