/**
 * A CIDR block as a security group accepts it: IPv4 `a.b.c.d/n` or IPv6 `x:x::/n`, written in its network form
 * (no host bits set), so the rule in the template is the range the config says. Pure, so config checks stay offline.
 */

export interface Cidr {
  readonly version: 4 | 6;
  /** The block as written, already in network form. */
  readonly text: string;
  readonly prefixLength: number;
}

/** The block, or why `text` is not one (a sentence ending in "Fix: …"). */
export function parseCidr(text: string): Cidr | { readonly problem: string } {
  const [address, prefix, ...rest] = text.split('/');
  if (prefix === undefined || rest.length > 0 || !/^\d{1,3}$/.test(prefix)) {
    const single = isIpv4(address) ? `${address}/32` : isIpv6(address) ? `${address}/128` : '203.0.113.7/32';
    return { problem: `has no prefix length. Fix: write a CIDR block, e.g. "${single}" for one address.` };
  }
  const prefixLength = Number(prefix);
  const version = isIpv4(address) ? 4 : isIpv6(address) ? 6 : undefined;
  if (version === undefined)
    return { problem: `is not an IPv4 or IPv6 address. Fix: write e.g. "203.0.113.7/32" or "2001:db8::/64".` };
  const bits = version === 4 ? 32 : 128;
  if (prefixLength > bits) return { problem: `has a prefix longer than ${bits} bits. Fix: use /1 to /${bits}.` };
  if (prefixLength === 0)
    return {
      problem: `is every address, which is what leaving the field out already does. Fix: list the database's own addresses, or remove the field.`,
    };
  const value = version === 4 ? ipv4Value(address) : ipv6Value(address);
  const hostMask = (1n << BigInt(bits - prefixLength)) - 1n;
  if ((value & hostMask) !== 0n) {
    const network = version === 4 ? ipv4Text(value & ~hostMask) : ipv6Text(value & ~hostMask, bits);
    return {
      problem: `has host bits set, so it is not the block it seems to be. Fix: write "${network}/${prefixLength}", or /${bits} for the one address.`,
    };
  }
  return { version, text, prefixLength };
}

function isIpv4(address: string): boolean {
  const parts = address.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

function ipv4Value(address: string): bigint {
  return address.split('.').reduce((sum, part) => (sum << 8n) + BigInt(part), 0n);
}

function ipv4Text(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');
}

/** The eight 16-bit groups of an IPv6 address in hex groups (one `::` allowed), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  if (!groups.flat().every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const written = groups.flat().length;
  if (halves.length === 1 ? written !== 8 : written > 7) return undefined;
  const zeros = halves.length === 2 ? Array(8 - written).fill('0') : [];
  return [...groups[0], ...zeros, ...(groups[1] ?? [])].map((g) => parseInt(g, 16));
}

function isIpv6(address: string): boolean {
  return ipv6Groups(address) !== undefined;
}

function ipv6Value(address: string): bigint {
  return ipv6Groups(address)!.reduce((sum, group) => (sum << 16n) + BigInt(group), 0n);
}

/** Full form (no `::` shortening): enough for a Fix the reader copies. */
function ipv6Text(value: bigint, bits: number): string {
  const groups: string[] = [];
  for (let shift = bits - 16; shift >= 0; shift -= 16) groups.push(((value >> BigInt(shift)) & 0xffffn).toString(16));
  return groups.join(':');
}
