// Applies this device's last theme and language before the first paint, so a page chosen dark never
// flashes light while the app loads. A file, not an inline script: the page's Content-Security-Policy
// allows scripts from this origin only. shared/styles/theme.ts and shared/i18n/locale.ts keep
// these keys; the server's choice replaces them once the app has loaded it.
try {
  const theme = localStorage.getItem('countersign.theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  const locale = localStorage.getItem('countersign.locale');
  if (locale) document.documentElement.lang = locale;
} catch {
  // Storage blocked (a privacy setting): the page follows the system until the app knows better.
}
