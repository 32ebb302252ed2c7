import { COMMENT_MARKER } from '../../scripts/ci/diff-summary';
import { upsertDiffComment } from '../../scripts/ci/pr-comment';
import { listenWithBody as startLocalServer } from '../../tools/stand-ins/http';

interface Comment {
  id: number;
  body: string;
  user: { type: string };
}

/** A local stand-in for GitHub's issue-comments API: paging by `page`/`per_page`, bearer auth, JSON. */
async function fakeGitHub(comments: Comment[], { failWith }: { failWith?: number } = {}) {
  const calls: string[] = [];
  const server = await startLocalServer((req, body, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    calls.push(`${req.method} ${url.pathname}${url.search}`);
    const json = (status: number, payload: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    if (req.headers.authorization !== 'Bearer test-token') return void json(401, { message: 'Bad credentials' });
    if (failWith) return void json(failWith, { message: 'Resource not accessible by integration' });
    if (req.method === 'GET' && url.pathname === '/repos/o/r/issues/7/comments') {
      const perPage = Number(url.searchParams.get('per_page'));
      const page = Number(url.searchParams.get('page'));
      return void json(200, comments.slice((page - 1) * perPage, page * perPage));
    }
    if (req.method === 'PATCH' && url.pathname.startsWith('/repos/o/r/issues/comments/')) {
      const comment = comments.find((c) => c.id === Number(url.pathname.split('/').at(-1)))!;
      comment.body = JSON.parse(body).body;
      return void json(200, comment);
    }
    if (req.method === 'POST' && url.pathname === '/repos/o/r/issues/7/comments') {
      const created = { id: comments.length + 1000, body: JSON.parse(body).body, user: { type: 'Bot' } };
      comments.push(created);
      return void json(201, created);
    }
    json(404, { message: 'Not Found' });
  });
  return { server, calls, target: { apiUrl: server.url, token: 'test-token', repository: 'o/r', pullRequest: 7 } };
}

const person = (id: number, body = 'looks good') => ({ id, body, user: { type: 'User' } });

describe('the one diff comment per pull request', () => {
  it('creates it on the first push, then updates that same comment on every later push', async () => {
    const comments: Comment[] = [person(1)];
    const { server, target } = await fakeGitHub(comments);
    try {
      expect(await upsertDiffComment(target, `${COMMENT_MARKER}\nfirst`)).toBe('created');
      expect(await upsertDiffComment(target, `${COMMENT_MARKER}\nsecond`)).toBe('updated');
      expect(comments.filter((c) => c.body.startsWith(COMMENT_MARKER)).map((c) => c.body)).toEqual([
        `${COMMENT_MARKER}\nsecond`,
      ]);
    } finally {
      await server.close();
    }
  });

  it('finds ours past the first page, and never overwrites a person quoting it', async () => {
    const comments: Comment[] = [
      ...Array.from({ length: 150 }, (_, i) => person(i + 1)),
      person(151, `${COMMENT_MARKER} quoted`),
      { id: 152, body: `${COMMENT_MARKER}\nold`, user: { type: 'Bot' } },
    ];
    const { server, calls, target } = await fakeGitHub(comments);
    try {
      expect(await upsertDiffComment(target, `${COMMENT_MARKER}\nnew`)).toBe('updated');
      expect(calls).toEqual([
        'GET /repos/o/r/issues/7/comments?per_page=100&page=1',
        'GET /repos/o/r/issues/7/comments?per_page=100&page=2',
        'PATCH /repos/o/r/issues/comments/152',
      ]);
      expect(comments.find((c) => c.id === 151)!.body).toBe(`${COMMENT_MARKER} quoted`);
    } finally {
      await server.close();
    }
  });

  it("fails with GitHub's status when it may not comment", async () => {
    const { server, target } = await fakeGitHub([], { failWith: 403 });
    try {
      await expect(upsertDiffComment(target, 'x')).rejects.toThrow(/answered 403: .*Resource not accessible/);
    } finally {
      await server.close();
    }
  });
});
