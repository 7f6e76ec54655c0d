/**
 * The cookies a Node device holds (a browser keeps them itself). Names and values only: the
 * server's cookies are host-only, `Path=/`, and a Node device talks to one origin.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** The `cookie` request header, or undefined when there is nothing to send. */
  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  delete(name: string): void {
    this.cookies.delete(name);
  }

  get size(): number {
    return this.cookies.size;
  }

  keys(): IterableIterator<string> {
    return this.cookies.keys();
  }

  /** `[name, value]` pairs, like a Map's. */
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.cookies[Symbol.iterator]();
  }

  /** Applies the `Set-Cookie` headers of one answer (an empty value or `Max-Age=0` deletes). */
  absorb(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /;\s*Max-Age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** The wipe: a logged-out Node device forgets its session. */
  clear(): void {
    this.cookies.clear();
  }
}
