/** Inspections other than random ones (G2) as a use case. */
export { NonRandomInspectionService, type NonRandomWriteResult } from './service.js';
export { nonRandomIdParamsSchema, nonRandomListQuerySchema, nonRandomYearSchema } from './queries.js';
