/** Read models of annual plans (PL1) and public notices (P2). */
export { plansProjection, noticesProjection } from './projection.js';
export { planVersions, planVersionsOfYear, inForce, getNotice, listNotices, type PlanVersionView, type NoticeView } from './queries.js';
export { businessNoticesProjection } from './businesses.js';
