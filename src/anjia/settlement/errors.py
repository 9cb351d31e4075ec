"""Settlement errors. Codes and texts are stable: the apps show them."""
from anjia.core.errors import define

STATEMENT_NOT_FOUND = define("statement_not_found", 404, "结算单不存在", "Statement not found")
STATEMENT_ALREADY_APPROVED = define("statement_already_approved", 409, "结算单已审核，不能重复审核",
                                    "The statement is already approved")
STATEMENT_NOT_APPROVED = define("statement_not_approved", 409, "结算单尚未审核，不能付款",
                                "The statement must be approved before it is paid")
STATEMENT_ALREADY_PAID = define("statement_already_paid", 409, "结算单已付款", "The statement is already paid")
LINE_NOT_FOUND = define("statement_line_not_found", 404, "结算明细不存在", "Statement line not found")
LINE_ALREADY_DISPUTED = define("statement_line_disputed", 409, "该明细已提出过异议",
                               "This line has already been disputed")
DISPUTE_NOT_FOUND = define("dispute_not_found", 404, "异议不存在", "Dispute not found")
DISPUTE_DECIDED = define("dispute_decided", 409, "该异议已处理", "The dispute has already been decided")
WITHDRAWAL_NOT_FOUND = define("withdrawal_not_found", 404, "提现申请不存在", "Withdrawal request not found")
WITHDRAWAL_OPEN = define("withdrawal_open", 409, "已有一笔提现申请在处理中",
                         "A withdrawal request is already open")
WITHDRAWAL_EXCEEDS = define("withdrawal_exceeds_balance", 422, "提现金额超过可提现余额",
                            "The amount is more than the balance available to withdraw")
WITHDRAWAL_STATE = define("withdrawal_state", 409, "提现申请当前状态不允许此操作",
                          "Not allowed in the withdrawal request's current state")
INVALID_PERIOD = define("invalid_period", 422, "结算周期不正确", "The period is not valid")
