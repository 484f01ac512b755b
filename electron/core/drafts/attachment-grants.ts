import { randomBytes } from 'node:crypto';

/** How long a grant waits to be bound to a draft: enough for a slow page, short enough to be useless later. */
export const GRANT_TTL_MS = 10 * 60 * 1000;

/**
 * The only way a file path becomes an attachment: host-side code (the native picker, the preload's
 * drop, the core handing back a message's own attachments) vouches for a path and gets an opaque,
 * random grant id; the renderer can only pass such ids back. A grant is used once (it binds the file
 * to a draft) or expires, and lives in this process's memory only, so a page can neither invent one
 * nor reuse one from another session. A renderer that names a path gets nothing.
 */
export class AttachmentGrants {
  private readonly grants = new Map<string, { path: string; expiresAt: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = GRANT_TTL_MS,
  ) {}

  issue(path: string): string {
    this.sweep();
    const id = `grant-${randomBytes(16).toString('hex')}`;
    this.grants.set(id, { path, expiresAt: this.now() + this.ttlMs });
    return id;
  }

  /**
   * The granted paths, each usable once; undefined (and nothing used up) when any id was never
   * issued, was already used or has expired, so a request is bound all or nothing.
   */
  takeAll(ids: readonly string[]): string[] | undefined {
    this.sweep();
    if (new Set(ids).size !== ids.length || !ids.every((id) => this.grants.has(id))) return undefined;
    return ids.map((id) => {
      const path = this.grants.get(id)!.path;
      this.grants.delete(id);
      return path;
    });
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, grant] of this.grants) if (grant.expiresAt <= now) this.grants.delete(id);
  }
}
