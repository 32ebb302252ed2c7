/** `npm run ci-setup` against a local stand-in for GitHub's OIDC subject-customisation API. */
import { ensureSubjectTemplate, WANTED } from '../../scripts/github-oidc-subject';
import { listenWithBody as startLocalServer } from '../../tools/stand-ins/http';

/** GET/PUT /repos/{owner}/{repo}/actions/oidc/customization/sub, bearer auth, 201 on PUT, 422 on a bad body. */
async function fakeGitHub(initial: object, { token = 'admin-token' } = {}) {
  const state = { template: initial as Record<string, unknown>, calls: [] as string[] };
  const server = await startLocalServer((req, body, res) => {
    const json = (status: number, payload?: unknown) =>
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(payload === undefined ? '' : JSON.stringify(payload));
    state.calls.push(`${req.method} ${req.url}`);
    if (req.headers.authorization !== `Bearer ${token}`)
      return void json(403, { message: 'Must have admin rights to Repository.' });
    if (req.url !== '/repos/o/r/actions/oidc/customization/sub') return void json(404, { message: 'Not Found' });
    if (req.method === 'GET') return void json(200, state.template);
    if (req.method === 'PUT') {
      const wanted = JSON.parse(body);
      if (
        typeof wanted.use_default !== 'boolean' ||
        (wanted.include_claim_keys ?? []).some((k: string) => !/^\w+$/.test(k))
      )
        return void json(422, { message: 'Invalid request.' });
      state.template = wanted;
      return void json(201, {});
    }
    json(405, { message: 'Method Not Allowed' });
  });
  return { server, state, api: { apiUrl: server.url, token } };
}

describe('npm run ci-setup (the repository OIDC subject)', () => {
  it('shows what it would change and changes nothing without --apply', async () => {
    const { server, state, api } = await fakeGitHub({ use_default: true });
    try {
      const { changed, lines } = await ensureSubjectTemplate(api, 'o/r', false);
      expect(changed).toBe(false);
      expect(lines.join('\n')).toContain(
        `change: PUT /repos/o/r/actions/oidc/customization/sub {"use_default":false,"include_claim_keys":["repo","context","ref","job_workflow_ref"]}`,
      );
      expect(lines.at(-1)).toMatch(/not changed \(dry run\)\. Run again with --apply/);
      expect(state.calls).toEqual(['GET /repos/o/r/actions/oidc/customization/sub']);
    } finally {
      await server.close();
    }
  });

  it('with --apply, PUTs the wanted claims and reads them back', async () => {
    const { server, state, api } = await fakeGitHub({ use_default: false, include_claim_keys: ['repo', 'context'] });
    try {
      const { changed, lines } = await ensureSubjectTemplate(api, 'o/r', true);
      expect(changed).toBe(true);
      expect(state.template).toEqual(WANTED);
      expect(state.calls.map((c) => c.split(' ')[0])).toEqual(['GET', 'PUT', 'GET']);
      expect(lines.at(-1)).toBe('changed: the OIDC subject is now claims ["repo","context","ref","job_workflow_ref"]');
    } finally {
      await server.close();
    }
  });

  it('does nothing when the repository is already set up', async () => {
    const { server, state, api } = await fakeGitHub(WANTED);
    try {
      expect((await ensureSubjectTemplate(api, 'o/r', true)).changed).toBe(false);
      expect(state.calls).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('says which token it needs when GitHub refuses', async () => {
    const { server, api } = await fakeGitHub({ use_default: true }, { token: 'admin-token' });
    try {
      await expect(ensureSubjectTemplate({ ...api, token: 'read-only' }, 'o/r', true)).rejects.toThrow(
        /answered 403.*Fix: use a token of a repository administrator/,
      );
    } finally {
      await server.close();
    }
  });
});
