/**
 * A size the way file managers show it ("512 B", "3.4 KB", "12 MB"), binary multiples, the number
 * in the user's locale ("3,4 KB" in German). The one formatter for sizes in every host: the window,
 * the command line and the settings check's summary.
 */
export function formatBytes(bytes: number, locale?: string): string {
  if (bytes < 1024) return `${new Intl.NumberFormat(locale).format(bytes)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value < 10 ? 1 : 0;
  const number = new Intl.NumberFormat(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return `${number.format(value)} ${units[unit]}`;
}
