// URLs as they may be shown to a user: logs, errors, reports and issue bodies never carry credentials.

/** The URL without user, password, query or fragment (also when it does not parse as a URL). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//').replace(/[?#].*$/, '');
  }
}
