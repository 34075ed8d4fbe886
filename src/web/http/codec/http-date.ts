/**
 * HTTP dates (RFC 9110 §5.6.7): IMF-fixdate out, the three historic formats in. Pure: the caller
 * supplies the time (the adapter takes it from its clock), and `HttpDateCache` re-formats at most
 * once per second.
 *
 * @example
 * ```ts
 * formatHttpDate(784111777); // 'Sun, 06 Nov 1994 08:49:37 GMT'
 * parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT'); // 784111777
 * ```
 * @module
 */

/**
 * Formats seconds since the epoch as an IMF-fixdate.
 *
 * @example
 * ```ts
 * formatHttpDate(0); // 'Thu, 01 Jan 1970 00:00:00 GMT'
 * ```
 */
export function formatHttpDate(seconds: number): string {
  return new Date(Math.floor(seconds) * 1000).toUTCString();
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const IMF = /^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850 = /^[A-Za-z]+, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME = /^[A-Za-z]{3} ([A-Za-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/**
 * Parses an HTTP date into seconds since the epoch; `null` when it is not one.
 *
 * @example
 * ```ts
 * parseHttpDate('Sun Nov  6 08:49:37 1994'); // 784111777
 * ```
 */
export function parseHttpDate(value: string): number | null {
  let day: string;
  let mon: string;
  let year: number;
  let hh: string;
  let mm: string;
  let ss: string;
  let m = IMF.exec(value);
  if (m !== null) {
    [, day, mon, , hh, mm, ss] = m as unknown as string[] as [string, string, string, string, string, string, string];
    year = Number(m[3]);
  } else if ((m = RFC850.exec(value)) !== null) {
    [, day, mon, , hh, mm, ss] = m as unknown as string[] as [string, string, string, string, string, string, string];
    const yy = Number(m[3]);
    year = yy < 70 ? 2000 + yy : 1900 + yy;
  } else if ((m = ASCTIME.exec(value)) !== null) {
    [, mon, day, hh, mm, ss] = m as unknown as string[] as [string, string, string, string, string, string];
    year = Number(m[6]);
  } else return null;
  const month = MONTHS.indexOf(mon.toLowerCase());
  if (month < 0) return null;
  const t = Date.UTC(year, month, Number(day.trim()), Number(hh), Number(mm), Number(ss));
  return Number.isNaN(t) ? null : t / 1000;
}

/**
 * Remembers the formatted date of the current second.
 *
 * @example
 * ```ts
 * const dates = new HttpDateCache();
 * dates.get(clock.seconds()); // formatted once per second
 * ```
 */
export class HttpDateCache {
  #second = Number.NaN;
  #value = '';

  /**
   * The IMF-fixdate of `seconds`, re-formatted only when the second changed.
   *
   * @example
   * ```ts
   * dates.get(Date.now() / 1000);
   * ```
   */
  get(seconds: number): string {
    const s = Math.floor(seconds);
    if (s !== this.#second) {
      this.#second = s;
      this.#value = formatHttpDate(s);
    }
    return this.#value;
  }
}
