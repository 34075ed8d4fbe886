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
  let parts: [day: string, mon: string, year: number, hh: string, mm: string, ss: string];
  const imf = IMF.exec(value);
  const rfc850 = imf === null ? RFC850.exec(value) : null;
  const asctime = imf === null && rfc850 === null ? ASCTIME.exec(value) : null;
  if (imf !== null) {
    const [, d, mo, y, h, mi, se] = imf as unknown as string[];
    parts = [d!, mo!, Number(y), h!, mi!, se!];
  } else if (rfc850 !== null) {
    const [, d, mo, y, h, mi, se] = rfc850 as unknown as string[];
    const yy = Number(y);
    parts = [d!, mo!, yy < 70 ? 2000 + yy : 1900 + yy, h!, mi!, se!];
  } else if (asctime !== null) {
    const [, mo, d, h, mi, se, y] = asctime as unknown as string[];
    parts = [d!, mo!, Number(y), h!, mi!, se!];
  } else return null;
  const [day, mon, year, hh, mm, ss] = parts;
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
