import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const run = (env: Record<string, string>) =>
  spawnSync('bash', ['scripts/test-prereqs.sh'], { env: { ...process.env, ...env }, encoding: 'utf8' });

describe('npm test prerequisites (pretest)', () => {
  it('passes silently when the browser, a CJK font, Go and x/mod are present', () => {
    const r = run({});
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('a missing browser it may not install stops npm test with one line saying what to do', () => {
    const r = run({ CHROMIUM_PATH: '/nonexistent/chromium', SUIJI_NO_INSTALL: '1' });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('apt-get install -y chromium');
  });

  it('issue 12: missing PostgreSQL 15 server binaries it may not install stop npm test with one line naming postgresql-15', () => {
    const r = run({ SUIJI_PG_BIN: '/nonexistent/postgresql/bin', SUIJI_NO_INSTALL: '1' });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('apt-get install -y postgresql-15');
  });

  it('a missing Go it may not install stops npm test naming golang-go', () => {
    const r = run({ GO: '/nonexistent/go', SUIJI_NO_INSTALL: '1' });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('apt-get install -y golang-go');
  });

  it("missing Go x/mod sources (sumdb/note) stop npm test naming golang-golang-x-mod-dev", () => {
    const r = run({ SUIJI_GOPATH: '/nonexistent/gocode', SUIJI_NO_INSTALL: '1' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('apt-get install -y golang-golang-x-mod-dev');
    expect(r.stderr).not.toContain('golang-go ');
  });
});
