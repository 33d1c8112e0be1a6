/** Read model of inspections other than random ones (G2). */
export { nonRandomInspectionsProjection } from './projection.js';
export { getNonRandomInspection, listNonRandomInspections, nonRandomStatistics, type NonRandomInspectionView, type NonRandomListQuery, type NonRandomStatistics } from './queries.js';
