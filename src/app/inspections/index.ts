/** The on-site record as use cases (E1, E4, A3, E10). */
export { InspectionService, type InspectionDeps, type InspectionView, type InspectionWriteResult } from './service.js';
export * from './requests.js';
