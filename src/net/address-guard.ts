/**
 * Which network addresses a tool may reach. `web_fetch` (and anything else that fetches on the model's
 * behalf) must not be usable to probe the user's own machine or local network: loopback, private,
 * link-local, carrier-grade NAT, unique-local, multicast and reserved ranges are refused, including the
 * IPv6 forms that embed an IPv4 address (mapped `::ffff:a.b.c.d`, compatible `::a.b.c.d`, NAT64
 * `64:ff9b::/96`, 6to4 `2002::/16`).
 *
 * `resolveAllowedAddresses` resolves a host once and returns the addresses to connect to, so the caller
 * can connect to exactly what was checked (no second lookup that DNS rebinding could change).
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

/** Resolve a host name to IP addresses (both families). Injected by tests. */
export type HostResolver = (host: string) => Promise<string[]>;

export interface AddressPolicy {
  /** Let private, loopback and other local addresses through (the user opted in). */
  allowPrivate?: boolean;
  /** Host names (lower case, no port) exempt from the local-address check. */
  allowedHosts?: readonly string[];
  resolve?: HostResolver;
}

/** A host or address the policy refuses; `reason` says which range it falls in. */
export class BlockedAddressError extends Error {
  override readonly name = "BlockedAddressError";
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(
      `${address === host ? `${host} is` : `${host} resolves to ${address},`} a local or private network address (${reason}); fetching those is not allowed.`,
    );
  }
}

/** The host could not be resolved (or resolved to nothing). */
export class HostResolutionError extends Error {
  override readonly name = "HostResolutionError";
  constructor(
    readonly host: string,
    detail: string,
  ) {
    super(`Could not resolve ${host}: ${detail}`);
  }
}

export const defaultHostResolver: HostResolver = async (host) => {
  const entries = await lookup(host, { all: true, verbatim: true });
  return entries.map((entry) => entry.address);
};

/** IPv4 ranges refused, as [first octets, prefix length, reason]. */
const blockedIpv4Ranges: readonly [number[], number, string][] = [
  [[0], 8, "unspecified (0.0.0.0/8)"],
  [[10], 8, "private (10.0.0.0/8)"],
  [[100, 64], 10, "carrier-grade NAT (100.64.0.0/10)"],
  [[127], 8, "loopback"],
  [[169, 254], 16, "link-local"],
  [[172, 16], 12, "private (172.16.0.0/12)"],
  [[192, 0, 0], 24, "reserved (192.0.0.0/24)"],
  [[192, 168], 16, "private (192.168.0.0/16)"],
  [[198, 18], 15, "reserved benchmarking (198.18.0.0/15)"],
  [[224], 4, "multicast"],
  [[240], 4, "reserved (240.0.0.0/4)"],
];

/** Names that always mean this machine, whatever a resolver says. */
function isLocalHostName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  return (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    name === "localhost.localdomain" ||
    name === "ip6-localhost" ||
    name === "ip6-loopback"
  );
}

function ipv4Octets(address: string): number[] {
  return address.split(".").map((part) => Number.parseInt(part, 10));
}

function inIpv4Range(octets: number[], start: number[], prefixLength: number): boolean {
  const value = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const padded = [0, 1, 2, 3].map((index) => start[index] ?? 0);
  const base = ((padded[0]! << 24) | (padded[1]! << 16) | (padded[2]! << 8) | padded[3]!) >>> 0;
  const mask = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  return (value & mask) >>> 0 === (base & mask) >>> 0;
}

function classifyIpv4(address: string): string | null {
  const octets = ipv4Octets(address);
  if (octets.every((octet) => octet === 255)) return "broadcast";
  for (const [start, prefixLength, reason] of blockedIpv4Ranges) {
    if (inIpv4Range(octets, start, prefixLength)) return reason;
  }
  return null;
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped, embedded IPv4 expanded). */
export function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().replace(/^\[|\]$/g, "");
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    const octets = ipv4Octets(tail);
    const high = ((octets[0]! << 8) | octets[1]!).toString(16);
    const low = ((octets[2]! << 8) | octets[3]!).toString(16);
    text = `${text.slice(0, lastColon + 1)}${high}:${low}`;
  }
  const [head = "", rest] = text.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const restGroups = rest === undefined || rest === "" ? [] : rest.split(":");
  const missing = rest === undefined ? 0 : 8 - headGroups.length - restGroups.length;
  const groups = [...headGroups, ...Array<string>(missing).fill("0"), ...restGroups];
  return groups.map((group) => Number.parseInt(group, 16));
}

function embeddedIpv4(high: number, low: number): string {
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

function classifyIpv6(address: string): string | null {
  const groups = ipv6Groups(address);
  const [first = 0, second = 0] = groups;
  const allZeroBefore = (count: number) => groups.slice(0, count).every((group) => group === 0);
  if (allZeroBefore(8)) return "unspecified (::)";
  if (allZeroBefore(7) && groups[7] === 1) return "loopback";
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible) reach the IPv4 address they carry.
  if (allZeroBefore(5) && (groups[5] === 0xffff || groups[5] === 0)) {
    const inner = classifyIpv4(embeddedIpv4(groups[6]!, groups[7]!));
    return inner ? `${inner}, IPv4 inside IPv6` : null;
  }
  if (first === 0x64 && second === 0xff9b && groups.slice(2, 6).every((group) => group === 0)) {
    const inner = classifyIpv4(embeddedIpv4(groups[6]!, groups[7]!));
    return inner ? `${inner}, through NAT64` : null;
  }
  if (first === 0x2002) {
    const inner = classifyIpv4(embeddedIpv4(second, groups[2]!));
    return inner ? `${inner}, through 6to4` : null;
  }
  if ((first & 0xffc0) === 0xfe80) return "link-local (fe80::/10)";
  if ((first & 0xffc0) === 0xfec0) return "site-local (fec0::/10)";
  if ((first & 0xfe00) === 0xfc00) return "unique-local (fc00::/7)";
  if ((first & 0xff00) === 0xff00) return "multicast";
  if (first === 0x100 && groups.slice(1, 4).every((group) => group === 0)) return "discard (100::/64)";
  return null;
}

/**
 * Why `address` (an IP literal, IPv6 optionally in brackets) is refused, or null when it is a public
 * address. Throws on text that is not an IP address.
 */
export function classifyAddress(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, "");
  const family = isIP(bare.replace(/%.*$/, ""));
  if (family === 4) return classifyIpv4(bare);
  if (family === 6) return classifyIpv6(bare);
  throw new TypeError(`Not an IP address: ${address}`);
}

/**
 * Check `host` (a URL's hostname: a name, an IPv4 literal or a bracketed IPv6 literal) against the
 * policy and return the addresses to connect to, in resolver order. Every resolved address must pass:
 * a name that resolves to both public and local addresses is refused.
 */
export async function resolveAllowedAddresses(
  host: string,
  policy: AddressPolicy,
  signal?: AbortSignal,
): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, "");
  const literal = isIP(bare) !== 0;
  const exempt =
    policy.allowPrivate === true ||
    (policy.allowedHosts ?? []).some((allowed) => allowed.toLowerCase() === bare.toLowerCase());
  if (!exempt && isLocalHostName(bare))
    throw new BlockedAddressError(host, host, "loopback (local host name)");
  let addresses: string[];
  if (literal) {
    addresses = [bare];
  } else {
    const resolver = policy.resolve ?? defaultHostResolver;
    try {
      addresses = await abortable(resolver(bare), signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new HostResolutionError(host, error instanceof Error ? error.message : String(error));
    }
    if (addresses.length === 0) throw new HostResolutionError(host, "no addresses");
  }
  for (const address of addresses) {
    if (isIP(address.replace(/%.*$/, "")) === 0) {
      throw new HostResolutionError(host, `the resolver returned "${address}", which is not an IP address`);
    }
    if (exempt) continue;
    const reason = classifyAddress(address);
    if (reason) throw new BlockedAddressError(host, literal ? host : address, reason);
  }
  return addresses;
}

/** Where a local address is: loopback and unspecified addresses are this computer, the rest the network. */
export type Locality = "this-computer" | "local-network";

/** The locality of a `BlockedAddressError` reason. */
export function localityOf(reason: string): Locality {
  return /^(loopback|unspecified)/.test(reason) ? "this-computer" : "local-network";
}

/**
 * Where `host` is when it is, or resolves to, a local address; undefined for a public host or one
 * that cannot be resolved. For approval prompts: says where a call goes, decides nothing.
 */
export async function hostLocality(host: string, resolve?: HostResolver): Promise<Locality | undefined> {
  try {
    await resolveAllowedAddresses(host, { resolve });
    return undefined;
  } catch (error) {
    return error instanceof BlockedAddressError ? localityOf(error.reason) : undefined;
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolvePromise, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolvePromise(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
