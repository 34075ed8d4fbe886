/** A regular expression source matching C's ctime() output, e.g. `Mon Nov  3 21:33:05 2026`. */
export const ctimeLike =
  '(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 123]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}';
