/** Just enough of a browser's cookie handling for HTTP tests against one host: no redirects followed. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size)
      headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** Plants a cookie, as a script or a shared machine could. */
  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  /** Starts a Strava login and returns the state the dashboard sent. */
  async startLogin(baseUrl: string): Promise<string> {
    const response = await this.fetch(`${baseUrl}/auth/strava`);
    return new URL(response.headers.get('location')!).searchParams.get('state')!;
  }
}
