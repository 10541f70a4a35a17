/**
 * Warnings for configs that are legal but do not describe the experiment of
 * the paper: two packets that cross the chain one after the other, each
 * starting before it, apart from each other, and crossing it once before
 * tEnd. Nothing here refuses a run: a warning says what is odd and which keys
 * change it. The CLI prints them, the result carries them (`warnings`), the
 * dashboard's form shows them.
 *
 * Positions are on the ring (MODEL.md): a centre x is the site x mod N, and
 * a packet moves with the group velocity v = 2 t_h sin(k_e) / hbar of
 * observables.ts, to +x for v > 0. The chain region is the one the result's
 * chainIntervals use: [n_0 - 2 sigma, n_{L-1} + 2 sigma].
 *
 * Each packet's place is read along its actual path. The leading packet φ2
 * is past the chain when the nearest image of the chain region lies behind it
 * in the direction it moves (minimum image). The trailing packet φ1 starts d
 * sites behind φ2 on that same path, so it is where going back d sites from
 * φ2 leads: still between the chain and φ2 (fine, wherever the ring puts
 * it), inside the chain region, or round past the chain to ahead of φ2 (it
 * then reaches the chain first). A trailing packet nearer the chain's far
 * edge than its near one is not past the chain when φ2 lies between it and
 * the chain.
 */

import type { RunConfig } from './config.js';
import { packetsOf } from './initial-state.js';
import { groupVelocity } from './observables.js';

/** |<phi1|phi2>| above which the two packets count as overlapping at t = 0. */
export const OVERLAP_THRESHOLD = 0.1;
/** A packet narrower than this (in lattice spacings) is one or two sites, not a wave packet. */
export const MIN_PACKET_SIGMA = 1;
/** A packet wider than N / (2 * this) overlaps itself round the ring: 6 sigma must fit in half the ring. */
export const PACKET_SPAN_SIGMAS = 6;

const mod = (x: number, N: number): number => ((x % N) + N) % N;
const fmt = (x: number): string => String(Number(x.toPrecision(4)));

interface PacketPlace {
  name: string;
  /** The config's expression for its centre ("x2", "x2 - d"). */
  expression: string;
  centre: number;
  /** Centre as a site of the ring, in [0, N). */
  site: number;
  /** Inside the chain region at t = 0. */
  inside: boolean;
  /** Sites it travels before it enters the chain region (a whole round when it starts inside). */
  toChain: number;
  /** Sites since it left the chain region, going back against its motion. */
  sinceChain: number;
}

function placeOf(config: RunConfig, name: string, expression: string, centre: number, direction: 1 | -1): PacketPlace {
  const { N } = config;
  const lo = config.spinStart - 2 * config.sigma;
  const hi = config.spinStart + config.L - 1 + 2 * config.sigma;
  const site = mod(centre, N);
  const inside = hi - lo >= N || mod(site - lo, N) <= hi - lo;
  // Moving to +x the packet meets lo ahead and left hi behind; to -x the other way round.
  const ahead = direction > 0 ? mod(lo - site, N) : mod(site - hi, N);
  const behind = direction > 0 ? mod(site - hi, N) : mod(lo - site, N);
  return { name, expression, centre, site, inside, toChain: ahead, sinceChain: behind };
}

/** The warnings of a valid config; empty at the paper's defaults. */
export function runWarnings(config: RunConfig): string[] {
  const warnings: string[] = [];
  const { N, sigma } = config;
  const chain = `sites ${config.spinStart}-${config.spinStart + config.L - 1}`;
  const region = `[${fmt(config.spinStart - 2 * sigma)}, ${fmt(config.spinStart + config.L - 1 + 2 * sigma)}]`;

  if (sigma < MIN_PACKET_SIGMA) {
    warnings.push(
      `sigma = ${fmt(sigma)} is below ${MIN_PACKET_SIGMA} lattice spacing: the packet sits on one or two sites and spreads over the whole band ` +
        'of wave vectors, so it has no group velocity and does not cross the chain as a packet; raise sigma',
    );
  }
  if (PACKET_SPAN_SIGMAS * sigma > N / 2) {
    warnings.push(
      `sigma = ${fmt(sigma)} is too wide for the ring: ${PACKET_SPAN_SIGMAS} sigma = ${fmt(PACKET_SPAN_SIGMAS * sigma)} > N/2 = ${fmt(N / 2)}, ` +
        'so the packet overlaps itself round the ring and covers the chain at t = 0; lower sigma or raise N',
    );
  }

  const v = groupVelocity(config);
  // sin(k_e) of 1e-12 or less: the packet stays put within any run the limits allow.
  if (!(Math.abs(v) > 1e-12)) {
    warnings.push(
      `the packets do not move: the group velocity 2 th sin(ke) / hbar is 0 (th = ${fmt(config.th)}, ke = ${fmt(config.ke)}); ` +
        'set ke away from 0 and ±π (the paper takes 1) and th to a nonzero hopping',
    );
    return warnings;
  }
  const direction = v > 0 ? 1 : -1;
  const places = [placeOf(config, 'the leading packet φ2', 'x2', config.x2, direction)];
  if (config.state !== 'single') places.push(placeOf(config, 'the trailing packet φ1', 'x2 - d', config.x2 - config.d, direction));

  const leading = places[0];
  for (const p of places) {
    const where = p.site === p.centre ? `starts at site ${fmt(p.centre)}` : `starts at ${p.expression} = ${fmt(p.centre)}, which is site ${fmt(p.site)} on the ring (N = ${N})`;
    const keys = p.expression === 'x2' ? 'x2 (or spinStart)' : 'x2 or d (or N)';
    if (p.inside) {
      warnings.push(
        `${p.name} ${where}: inside the chain region ${region} (the chain is at ${chain}, ±2 sigma), so it does not cross the chain from outside; ` +
          `change ${keys} so that it starts before the chain`,
      );
    } else if (p === leading && p.sinceChain < p.toChain) {
      warnings.push(
        `${p.name} ${where}: past the chain (${chain}) in the direction it moves, so it comes round the ring before it reaches the chain; ` +
          `change ${keys} so that it starts before the chain`,
      );
    }
  }
  if (places.length === 2 && !places.some((p) => p.inside) && places[1].toChain < places[0].toChain) {
    warnings.push(
      `the trailing packet φ1 (x2 - d = ${fmt(places[1].centre)}) reaches the chain before the leading packet φ2 (x2 = ${fmt(config.x2)}): ` +
        `d = ${fmt(config.d)} wraps round the ring of N = ${N} sites; lower d or raise N`,
    );
  }

  const speed = Math.abs(v);
  const regionLength = config.L - 1 + 4 * sigma;
  for (const p of regionLength < N ? places : []) {
    // Inside at t = 0, a packet comes round into the chain after toChain sites (a whole round from the region's first site);
    // outside, after its first pass and one round (N more).
    const again = p.inside ? p.toChain || N : p.toChain + N;
    const tAgain = again / speed;
    if (tAgain < config.tEnd) {
      warnings.push(
        `${p.name} comes round the ring into the chain again at t ≈ ${fmt(tAgain)} fs, before tEnd = ${fmt(config.tEnd)} fs ` +
          `(ring of N = ${N} sites at ${fmt(speed)} sites/fs): lower tEnd or raise N`,
      );
    }
  }

  if (config.state !== 'single') {
    const overlap = packetOverlap(config);
    if (overlap > OVERLAP_THRESHOLD) {
      warnings.push(
        `the two packets overlap at t = 0: |<φ1|φ2>| = ${fmt(overlap)} > ${OVERLAP_THRESHOLD} (d = ${fmt(config.d)}, sigma = ${fmt(sigma)}), ` +
          'so the electrons do not start as two separate packets; raise d or lower sigma',
      );
    }
  }
  return warnings;
}

/** |<phi1|phi2>| of the two packets on the ring. */
export function packetOverlap(config: RunConfig): number {
  const { phi1, phi2 } = packetsOf(config);
  let re = 0, im = 0;
  for (let i = 0; i < phi1.length; i += 2) {
    re += phi1[i] * phi2[i] + phi1[i + 1] * phi2[i + 1];
    im += phi1[i] * phi2[i + 1] - phi1[i + 1] * phi2[i];
  }
  return Math.hypot(re, im);
}
