// Single switch point for the API types. When web/shared/src/api/schema.d.ts
// (generated from the backend's OpenAPI document) is present, replace the line
// below with:  export type { paths } from '@anjia/shared/src/api/schema'
export type { paths } from './schema-fallback'
