/** Order status tabs; keys match the backend's order statuses. */
export const ORDER_TABS = ['all', 'pending_payment', 'pending_accept', 'accepted', 'in_service', 'completed', 'cancelled'] as const
export type OrderTab = (typeof ORDER_TABS)[number]
