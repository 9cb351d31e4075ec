import { createRouter, createWebHashHistory } from 'vue-router'
import { useAuthStore } from './stores/auth'
import { MENU } from './menu'

const perm = (key: string) => MENU.find((m) => m.key === key)?.permission

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
    {
      path: '/',
      component: () => import('./layout/AdminLayout.vue'),
      redirect: '/dashboard',
      children: [
        { path: 'dashboard', name: 'dashboard', component: () => import('./views/DashboardView.vue'), meta: { title: 'menu.dashboard' } },
        { path: 'orders', name: 'orders', component: () => import('./views/OrdersView.vue'), meta: { title: 'menu.orders', permission: perm('orders') } },
        { path: 'schedule-changes', name: 'scheduleChanges', component: () => import('./views/ScheduleChangesView.vue'), meta: { title: 'menu.scheduleChanges', permission: perm('scheduleChanges') } },
        { path: 'support/tickets', name: 'tickets', component: () => import('./views/support/TicketsView.vue'), meta: { title: 'menu.tickets', permission: perm('tickets') } },
        { path: 'support/analysis', name: 'supportAnalysis', component: () => import('./views/support/SupportAnalysisView.vue'), meta: { title: 'menu.supportAnalysis', permission: perm('supportAnalysis') } },
        { path: 'reviews', name: 'reviews', component: () => import('./views/ReviewsView.vue'), meta: { title: 'menu.reviews', permission: perm('reviews') } },
        { path: 'performance', name: 'performance', component: () => import('./views/PerformanceView.vue'), meta: { title: 'menu.performance', permission: perm('performance') } },
        { path: 'live', name: 'live', component: () => import('./views/LiveView.vue'), meta: { title: 'menu.live', permission: perm('live') } },
        { path: 'customers', name: 'customers', component: () => import('./views/CustomersView.vue'), meta: { title: 'menu.customers', permission: perm('customers') } },
        { path: 'customers/:id', name: 'customerProfile', component: () => import('./views/CustomerProfileView.vue'), meta: { title: 'customers.profile', permission: perm('customers') } },
        { path: 'campaigns', name: 'campaigns', component: () => import('./views/CampaignsView.vue'), meta: { title: 'menu.campaigns', permission: perm('campaigns') } },
        { path: 'coupons', name: 'coupons', component: () => import('./views/CouponsView.vue'), meta: { title: 'menu.coupons', permission: perm('coupons') } },
        { path: 'workers', name: 'workers', component: () => import('./views/WorkersView.vue'), meta: { title: 'menu.workers', permission: perm('workers') } },
        { path: 'workers/:id', name: 'workerFile', component: () => import('./views/WorkerFileView.vue'), meta: { title: 'wf.file', permission: perm('workers') } },
        { path: 'worker-review', name: 'workerReview', component: () => import('./views/WorkerReviewView.vue'), meta: { title: 'menu.workerReview', permission: perm('workerReview') } },
        { path: 'finance/overview', name: 'financeOverview', component: () => import('./views/finance/FinanceOverviewView.vue'), meta: { title: 'menu.financeOverview', permission: perm('financeOverview') } },
        { path: 'finance/payments', name: 'payments', component: () => import('./views/finance/PaymentsView.vue'), meta: { title: 'menu.payments', permission: perm('payments') } },
        { path: 'finance/refunds', name: 'refunds', component: () => import('./views/finance/RefundsView.vue'), meta: { title: 'menu.refunds', permission: perm('refunds') } },
        { path: 'finance/issues', name: 'paymentIssues', component: () => import('./views/finance/IssuesView.vue'), meta: { title: 'menu.paymentIssues', permission: perm('paymentIssues') } },
        { path: 'finance/statements', name: 'statements', component: () => import('./views/finance/StatementsView.vue'), meta: { title: 'menu.statements', permission: perm('statements') } },
        { path: 'finance/withdrawals', name: 'withdrawals', component: () => import('./views/finance/WithdrawalsView.vue'), meta: { title: 'menu.withdrawals', permission: perm('withdrawals') } },
        { path: 'finance/commission', name: 'commission', component: () => import('./views/finance/CommissionRulesView.vue'), meta: { title: 'menu.commission', permission: perm('commission') } },
        { path: 'finance/reconciliation', name: 'reconciliation', component: () => import('./views/finance/ReconciliationView.vue'), meta: { title: 'menu.reconciliation', permission: perm('reconciliation') } },
        { path: 'finance/reports', name: 'reports', component: () => import('./views/finance/ReportsView.vue'), meta: { title: 'menu.reports', permission: perm('reports') } },
        { path: 'catalog', name: 'catalog', component: () => import('./views/CatalogView.vue'), meta: { title: 'menu.catalog', permission: perm('catalog') } },
        { path: 'regions', name: 'regions', component: () => import('./views/RegionsView.vue'), meta: { title: 'menu.regions', permission: perm('regions') } },
        { path: 'booking-rules', name: 'rules', component: () => import('./views/BookingRulesView.vue'), meta: { title: 'menu.rules', permission: perm('rules') } },
        { path: 'users', name: 'users', component: () => import('./views/UsersView.vue'), meta: { title: 'menu.users', permission: perm('users') } },
        { path: 'staff', name: 'staff', component: () => import('./views/StaffView.vue'), meta: { title: 'menu.staff', permission: perm('staff') } },
        { path: 'audit-logs', name: 'audit', component: () => import('./views/AuditLogsView.vue'), meta: { title: 'menu.audit', permission: perm('audit') } },
      ],
    },
    { path: '/:pathMatch(.*)*', redirect: '/dashboard' },
  ],
})

router.beforeEach(async (to) => {
  const auth = useAuthStore()
  if (to.meta.public) {
    return auth.isLoggedIn && to.name === 'login' ? { path: '/dashboard' } : true
  }
  if (!auth.isLoggedIn) return { path: '/login', query: to.fullPath !== '/dashboard' ? { redirect: to.fullPath } : {} }
  await auth.bootstrap()
  if (!auth.isLoggedIn) return { path: '/login' }
  const p = to.meta.permission as string | undefined
  if (p && !auth.can(p)) return { path: '/dashboard' }
  return true
})
