/**
 * A tool's output reaches its reader whole, even when the tool has finished before the reader starts (the roles
 * dump is small and often done while the upload is still being created): an unread child stdout is drained by
 * Node when the process exits, which stored the part empty under a manifest that called the backup complete.
 */
import { startTool } from '../../jobs/backups/pg-tools';

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('a tool started for a dump', () => {
  it('keeps every byte of its output for a reader that starts after the tool has exited', async () => {
    const tool = startTool('/bin', 'sh', ['-c', 'printf "%s" "-- roles dump"'], {});
    await tool.done;
    expect((await readAll(tool.stdout)).toString()).toBe('-- roles dump');
  });

  it('passes a large output through whole, the tool pausing while the reader is slow', async () => {
    const tool = startTool('/bin', 'sh', ['-c', 'head -c 3000000 /dev/zero'], {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await readAll(tool.stdout)).length).toBe(3_000_000);
    await tool.done;
  });
});
