"""Every domain's tables, imported once so metadata (and Alembic) sees them all."""
from anjia.accounts.models import EmailVerification, RefreshToken, SmsCode, User, WechatBinding  # noqa: F401
from anjia.addresses.models import Address  # noqa: F401
from anjia.catalog.models import Category, RegionPrice, Service  # noqa: F401
from anjia.commission.models import CommissionRule  # noqa: F401
from anjia.core.models import AuditLog, IdempotencyKey  # noqa: F401
from anjia.coupons.models import Coupon  # noqa: F401
from anjia.customers.models import Campaign, CampaignMember, CustomerNote, CustomerTag, SegmentMembership  # noqa: F401,E501
from anjia.dispatch.models import DispatchRound, Offer  # noqa: F401
from anjia.fieldwork.models import ScheduleChange, ServiceRecord, WorkerLocation  # noqa: F401
from anjia.finance.models import ReconciliationDifference, ReconciliationRun  # noqa: F401
from anjia.ledger.models import JournalEntry, LedgerAccount, Posting  # noqa: F401
from anjia.notifications.models import Notification  # noqa: F401
from anjia.orders.models import Order, OrderEvent  # noqa: F401
from anjia.payments.models import Payment, ProviderNotification, Refund, SandboxTrade  # noqa: F401
from anjia.performance.models import PerformanceMonth, Reward, RewardRule, Scorecard  # noqa: F401
from anjia.plans.models import Plan  # noqa: F401
from anjia.preferences.models import CustomerPreference, FavouriteService, FavouriteWorker  # noqa: F401
from anjia.realtime.models import Event  # noqa: F401
from anjia.reviews.models import Review, ReviewPhoto, ReviewReminder  # noqa: F401
from anjia.scheduling.models import BookingRules, Holiday, Region, WorkerBooking, WorkerHours, WorkerLeave  # noqa: F401
from anjia.settlement.models import (  # noqa: F401
    Adjustment,
    Dispute,
    Earning,
    Statement,
    StatementLine,
    Withdrawal,
)
from anjia.sms.models import SmsMessage  # noqa: F401
from anjia.stats.models import DailyCancellation, DailyStat, DailyWorkerHours, DirtyDay  # noqa: F401
from anjia.support.models import Ticket, TicketEvent, TicketPhoto  # noqa: F401
from anjia.workforce.models import (  # noqa: F401
    CertificateRequirement,
    WorkerCertificate,
    WorkerNote,
    WorkerProfile,
    WorkerStatusEvent,
    WorkerTraining,
)
