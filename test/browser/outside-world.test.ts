/**
 * check-app's stand-in for the outside world, driven by the fixture app's own supabase-js client in Chromium
 * (`window.supabase`): a select gets a list, `.single()` PostgREST's "no rows" error, an insert its rows back, a
 * Realtime channel joins over a WebSocket that never leaves loopback, and what no stand-in can know the shape of
 * (an RPC, an edge function) is answered and reported as not checked rather than failing the app.
 */
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { browseSite } from '../../scripts/check-app/browse';
import { describeFinding } from '../../scripts/check-app/findings';
import { launchChromium } from '../support/browser';
import { siteModel, startPreview } from '../support/preview';

let browser: Browser;
let server: Server;
let url: string;
beforeAll(async () => {
  browser = await launchChromium();
  ({ server, url } = await startPreview(siteModel('staging')));
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/** What the app's data layer does on a deep page, through the bundle's own supabase-js. */
async function useSupabase(page: Page) {
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', undefined, { timeout: 10_000 });
  return page.evaluate(async () => {
    const supabase = (window as any).supabase;
    const list = await supabase.from('bookings').select('id, slot').eq('patient_id', 'x');
    const single = await supabase.from('bookings').select('*').eq('id', 1).single();
    const maybe = await supabase.from('bookings').select('*').eq('id', 1).maybeSingle();
    const inserted = await supabase.from('bookings').insert({ slot: '2026-12-08T09:00' }).select();
    const rpc = await supabase.rpc('next_free_slot');
    const joined = await new Promise<string>((resolve) => {
      supabase.channel('bookings').subscribe((status: string) => {
        if (status !== 'CLOSED') resolve(status);
      });
      setTimeout(() => resolve('no answer in 8 s'), 8_000);
    });
    return {
      list: { isList: Array.isArray(list.data), error: list.error },
      single: single.error?.code,
      maybe: { data: maybe.data, error: maybe.error },
      inserted: inserted.data,
      rpc: rpc.error,
      joined,
    };
  });
}

it('answers supabase-js in the shapes it expects, keeps Realtime on loopback, and names what it did not check', async () => {
  let results: Awaited<ReturnType<typeof useSupabase>> | undefined;
  const unchecked = new Set<string>();
  const findings = await browseSite(browser, url, ['/booking/confirm'], {
    unchecked,
    interact: async (page) => {
      results = await useSupabase(page);
    },
  });
  expect(findings.map(describeFinding)).toEqual([]);
  expect(results).toEqual({
    list: { isList: true, error: null },
    single: 'PGRST116',
    maybe: { data: null, error: null },
    inserted: [{ slot: '2026-12-08T09:00' }],
    rpc: null,
    joined: 'SUBSCRIBED',
  });
  expect([...unchecked]).toEqual(['POST https://stagingprojectref.supabase.co/rest/v1/rpc/next_free_slot']);
}, 60_000);
