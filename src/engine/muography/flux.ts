// Sea-level cosmic-ray muon flux and a muon generator (docs/physics-muography-simulation.md, "Flux at sea level").
// Intensities in m⁻² s⁻¹ sr⁻¹ GeV⁻¹ as a function of the total energy E (GeV) and the zenith angle θ:
//   Guan et al., "A parametrization of the cosmic-ray muon flux at sea-level", arXiv:1509.06176 (modified Gaisser,
//   PDG RPP 2024 eq. 30.4 with the curved-Earth cosθ* and the low-energy factor);
//   Shukla & Sankrith, "Energy and angular distributions of atmospheric muons at the Earth", arXiv:1606.06907.
// Sampling is exact up to binning: the flux through a horizontal plane, I·cosθ per solid angle, i.e. I·cosθ·sinθ per
// dθ, is tabulated on 200 geometric E bins × 200 θ bins and inverted by binary search on its cumulative sum.
// Muon i of a batch draws from Philox keyed by (seed, stream) at counter i, so it is the same muon on any number of
// threads and on the GPU (gpu/muons.ts runs this loop as a WGSL kernel on the same table).
import { philox, philoxKey, uniform24 } from '../core/philox'
import { MUON_MASS_GEV } from '../core/units'
import type { MuonBatch } from './types'

export type FluxModel = 'guan' | 'shukla'

export interface FluxRange {
  /** maximum zenith angle, degrees (default 70) */
  thetaMaxDeg?: number
  /** total energy range, GeV (default 0.5–500) */
  eMin?: number
  eMax?: number
}

// Guan et al. 2015: effective zenith angle cosθ* on a curved Earth, then Gaisser's form with a low-energy factor.
const P1 = 0.102573, P2 = -0.068287, P3 = 0.958633, P4 = 0.0407253, P5 = 0.817285

function guan(e: number, c: number): number {
  const cs = Math.sqrt((c * c + P1 * P1 + P2 * Math.pow(c, P3) + P4 * Math.pow(c, P5)) / (1 + P1 * P1 + P2 + P4))
  const lowE = Math.pow(e * (1 + 3.64 / (e * Math.pow(cs, 1.29))), -2.7)
  // 0.14 cm⁻² s⁻¹ sr⁻¹ GeV⁻¹ → ×1e4 per m²
  return 1400 * lowE * (1 / (1 + (1.1 * e * cs) / 115) + 0.054 / (1 + (1.1 * e * cs) / 850))
}

// Shukla & Sankrith 2018, sea-level fit: I0 = 88 m⁻²s⁻¹sr⁻¹, n = 3, E0 = 3.87 GeV, Ec = 0.5 GeV (cut-off),
// ε = 854 GeV, R_earth/d = 174; N normalises the vertical integral above Ec to I0.
const SH_I0 = 88, SH_N = 3, SH_E0 = 3.87, SH_EC = 0.5, SH_EPS = 854, SH_RD = 174
const SH_NORM = (SH_N - 1) * Math.pow(SH_E0 + SH_EC, SH_N - 1)

function shukla(e: number, c: number): number {
  const d = Math.sqrt(SH_RD * SH_RD * c * c + 2 * SH_RD + 1) - SH_RD * c
  return SH_I0 * SH_NORM * Math.pow(SH_E0 + e, -SH_N) / (1 + e / SH_EPS) * Math.pow(d, -(SH_N - 1))
}

/** Differential intensity dN/(dA dt dΩ dE) in m⁻² s⁻¹ sr⁻¹ GeV⁻¹ at total energy e (GeV) and cos(zenith) c. */
export function intensity(model: FluxModel, e: number, c: number): number {
  return model === 'guan' ? guan(e, c) : shukla(e, c)
}

function resolveRange(r: FluxRange): { thetaMax: number; eMin: number; eMax: number } {
  const thetaMax = ((r.thetaMaxDeg ?? 70) * Math.PI) / 180
  const eMin = r.eMin ?? 0.5
  const eMax = r.eMax ?? 500
  if (!(eMin > MUON_MASS_GEV) || !(eMax > eMin)) throw new Error(`bad muon energy range [${eMin}, ${eMax}] GeV`)
  if (!(thetaMax >= 0) || thetaMax >= Math.PI / 2) throw new Error(`bad maximum zenith angle ${r.thetaMaxDeg}°`)
  return { thetaMax, eMin, eMax }
}

/**
 * Midpoint-rule table of the horizontal-plane flux over (ln E, θ): w = I(E,θ)·E·ΔlnE · cosθ·sinθ·Δθ (per unit
 * azimuth). With θmax = 0 the θ axis collapses to the vertical direction (weight I(E, 0)·E·ΔlnE).
 */
interface Grid { nE: number; nT: number; lnE0: number; dlnE: number; dth: number; w: Float64Array; total: number }

function grid(model: FluxModel, range: FluxRange, nE: number, nT: number): Grid {
  const { thetaMax, eMin, eMax } = resolveRange(range)
  const lnE0 = Math.log(eMin)
  const dlnE = (Math.log(eMax) - lnE0) / nE
  const vertical = thetaMax === 0
  const nTT = vertical ? 1 : nT
  const dth = vertical ? 0 : thetaMax / nT
  const w = new Float64Array(nE * nTT)
  let total = 0
  for (let i = 0; i < nE; i++) {
    const e = Math.exp(lnE0 + (i + 0.5) * dlnE)
    for (let j = 0; j < nTT; j++) {
      const th = (j + 0.5) * dth
      const c = Math.cos(th)
      const ang = vertical ? 1 : c * Math.sin(th) * dth
      const v = intensity(model, e, c) * e * dlnE * ang
      w[i * nTT + j] = v
      total += v
    }
  }
  return { nE, nT: nTT, lnE0, dlnE, dth, w, total }
}

const SAMPLER_BINS = 200
/** the cumulative table as uint32 cut points: bin k is drawn when a 32-bit word w falls in [cut[k − 1], cut[k]) */
export interface Sampler extends Grid { cut: Uint32Array<ArrayBuffer> }
const samplers = new Map<string, Sampler>()

export function sampler(model: FluxModel, range: FluxRange): Sampler {
  const { thetaMax, eMin, eMax } = resolveRange(range)
  const key = `${model}|${thetaMax}|${eMin}|${eMax}`
  let s = samplers.get(key)
  if (!s) {
    const g = grid(model, range, SAMPLER_BINS, SAMPLER_BINS)
    // integer cut points: the word is compared exactly on the CPU and in WGSL (no float cumulative sum to round)
    const cut = new Uint32Array(g.w.length)
    let acc = 0
    for (let k = 0; k < g.w.length; k++) {
      acc += g.w[k]
      cut[k] = Math.min(0xffffffff, Math.floor((acc / g.total) * 4294967296))
    }
    s = { ...g, cut }
    samplers.set(key, s)
  }
  return s
}

export interface GenerateOptions {
  n: number
  model: FluxModel
  thetaMaxDeg?: number
  eMin?: number
  eMax?: number
  /** generation area on the horizontal plane, metres */
  area: { x0: number; x1: number; y0: number; y1: number }
  /** height of the generation plane, metres */
  z: number
  /** the batch's seed and stream name (default 'muons'): the Philox key */
  seed: number
  stream?: string
  /** the batch index of the first muon (the counter of muon j is first + j) */
  first?: number
}

/** the first k with cut[k] > w (the last bin when none is) */
export function binOf(cut: Uint32Array, w: number): number {
  let lo = 0, hi = cut.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (cut[mid] > w) hi = mid
    else lo = mid + 1
  }
  return lo
}

/**
 * n muons crossing the horizontal plane z over the area, distributed as the flux through that plane. Muon i's
 * counter (i, 0, 0, 0) gives the (E, θ) bin, the jitters in ln E and θ within it and φ; (i, 1, 0, 0) the position.
 */
export function generateMuons(o: GenerateOptions): MuonBatch {
  const s = sampler(o.model, o)
  const { n, area } = o
  const [k0, k1] = philoxKey(o.seed, o.stream ?? 'muons')
  const first = o.first ?? 0
  const x = new Float32Array(n), y = new Float32Array(n), z = new Float32Array(n).fill(o.z)
  const ux = new Float32Array(n), uy = new Float32Array(n), uz = new Float32Array(n), p = new Float32Array(n)
  const { cut, nT, lnE0, dlnE, dth } = s
  const m2 = MUON_MASS_GEV * MUON_MASS_GEV
  const w = new Uint32Array(4)
  for (let i = 0; i < n; i++) {
    philox(first + i, 0, 0, 0, k0, k1, w)
    const bin = binOf(cut, w[0])
    const iE = Math.floor(bin / nT), iT = bin - iE * nT
    const e = Math.exp(lnE0 + (iE + uniform24(w[1])) * dlnE)
    const th = (iT + uniform24(w[2])) * dth
    const phi = Math.PI * (2 * uniform24(w[3]) - 1)
    const st = Math.sin(th)
    ux[i] = st * Math.cos(phi)
    uy[i] = st * Math.sin(phi)
    uz[i] = -Math.cos(th)
    p[i] = Math.sqrt(e * e - m2)
    philox(first + i, 1, 0, 0, k0, k1, w)
    x[i] = area.x0 + (area.x1 - area.x0) * uniform24(w[0])
    y[i] = area.y0 + (area.y1 - area.y0) * uniform24(w[1])
  }
  return { n, x, y, z, ux, uy, uz, p }
}

/**
 * Muons per m² per second crossing a horizontal plane within the range (2π · ∫∫ I cosθ sinθ dθ dE). For θmax = 0
 * (a vertical beam, zero solid angle) it returns the vertical integral intensity per steradian instead.
 */
export function fluxRate(model: FluxModel, range: FluxRange = {}): number {
  const s = sampler(model, range)
  return s.dth === 0 ? s.total : 2 * Math.PI * s.total
}

/** Seconds of exposure for n muons through a horizontal area (m²), for the UI. */
export function exposureSeconds(n: number, areaM2: number, model: FluxModel, range: FluxRange = {}): number {
  return n / (fluxRate(model, range) * areaM2)
}

// ---- Reference numbers by direct numerical integration on a fine grid (independent of the sampler table) ----

const FINE_E = 4000, FINE_T = 700

/** ∫ I(E, θ = 0) dE over [eMin, eMax] in m⁻² s⁻¹ sr⁻¹ (vertical integral intensity). */
export function verticalIntegral(model: FluxModel, eMin: number, eMax = 1e5): number {
  return grid(model, { thetaMaxDeg: 0, eMin, eMax }, FINE_E, 1).total
}

/** Median total energy (GeV) of the muons crossing a horizontal plane within the range. */
export function medianEnergy(model: FluxModel, range: FluxRange = {}): number {
  const g = grid(model, range, FINE_E, FINE_T / 4)
  const half = g.total / 2
  let acc = 0
  for (let i = 0; i < g.nE; i++) {
    let row = 0
    for (let j = 0; j < g.nT; j++) row += g.w[i * g.nT + j]
    if (acc + row >= half) return Math.exp(g.lnE0 + (i + (half - acc) / row) * g.dlnE)
    acc += row
  }
  return Math.exp(g.lnE0 + g.nE * g.dlnE)
}

/** Zenith distribution of the muons crossing a horizontal plane: probability per bin of θ, and ⟨cosθ⟩. */
export function zenithDistribution(model: FluxModel, range: FluxRange = {}, bins = 70): {
  thetaEdgesDeg: number[]; prob: number[]; meanCos: number
} {
  const { thetaMax } = resolveRange(range)
  const g = grid(model, range, FINE_E / 4, FINE_T)
  const prob = new Array<number>(bins).fill(0)
  let meanCos = 0
  for (let j = 0; j < g.nT; j++) {
    let col = 0
    for (let i = 0; i < g.nE; i++) col += g.w[i * g.nT + j]
    const th = (j + 0.5) * g.dth
    meanCos += (col * Math.cos(th)) / g.total
    prob[Math.min(bins - 1, Math.floor((th / (thetaMax || 1)) * bins))] += col / g.total
  }
  const thetaEdgesDeg = Array.from({ length: bins + 1 }, (_, k) => ((k / bins) * thetaMax * 180) / Math.PI)
  return { thetaEdgesDeg, prob, meanCos }
}
