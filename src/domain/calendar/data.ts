/**
 * The statutory calendar as data (A4: it comes from the State Council's yearly notice, not
 * from code). Per covered year: the public holidays (法定节假日 and the days joined to them)
 * and the adjusted working days (调休上班日, weekend days worked in exchange). A year not in
 * `years` has no data: its days are counted Monday to Friday and the result is provisional.
 */
export interface CalendarYear {
  readonly year: number;
  /** Days off, 'YYYY-MM-DD', all in `year`. */
  readonly holidays: readonly string[];
  /** Weekend days that are working days, 'YYYY-MM-DD', all in `year`. */
  readonly workdays: readonly string[];
  /** Where the year's data came from (the package, or a data-directory file), for audit. */
  readonly source: string;
}

export interface CalendarData {
  readonly years: readonly CalendarYear[];
}
