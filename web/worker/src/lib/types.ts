/**
 * The worker app's API types: aliases of the generated OpenAPI schemas (web/shared/src/api/schema.d.ts,
 * `make openapi`), never hand-written copies.
 */
import type { components } from '@anjia/shared/src/api/schema'

type S = components['schemas']

/** Monday = 0 … Sunday = 6; times are local wall-clock "HH:MM" ("24:00" allowed as an end). */
export type WeeklyRange = S['WeeklyRange']
/** `start`/`end` ISO 8601 with offset (UTC on output). */
export type WorkerLeave = S['LeaveOut']
export type WorkerAvailability = S['WorkerAvailabilityOut']
export type WorkerSettingsIn = S['WorkerSettingsIn']
export type LeaveIn = S['LeaveIn']
/** `GET /regions` item (public). */
export type RegionSummary = S['RegionOut']

export type ServiceRef = S['ServiceRef']
export type Requirement = S['Requirement']
/** `GET /worker/offers` item. Money in fen; times ISO 8601. */
export type Offer = S['OfferOut']
/** `GET /worker/orders/{id}` (also the answer of accept / depart / check-in / check-out). */
export type WorkerOrder = S['WorkerOrderOut']
export type TimelineEntry = S['TimelineEntry']
/** The order's address snapshot (an object in the schema) read with the address's field types. */
export type OrderAddress = Partial<S['AddressOut']>
export const addressOf = (o: { address?: Record<string, unknown> | null } | null | undefined): OrderAddress =>
  (o?.address ?? {}) as OrderAddress
/** The reject body; `reason` may be left out (the server defaults it). */
export type RejectIn = Omit<S['RejectIn'], 'reason'> & Partial<Pick<S['RejectIn'], 'reason'>>
export type RejectReasonCode = S['RejectIn']['reason_code']
export type CheckInIn = S['CheckInIn']
export type WorkerOrderScope = 'upcoming' | 'today' | 'done'

export type RecordStage = S['RecordOut']['stage']
/** `GET /worker/orders/{id}/records` item; `url` / `thumb_url` are relative signed links. */
export type ServiceRecord = S['RecordOut']
export type ScheduleChangeIn = S['ScheduleChangeIn']
export type ScheduleChange = S['ScheduleChangeOut']
