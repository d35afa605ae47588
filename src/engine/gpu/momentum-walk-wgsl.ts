// The momentum model's walk of one muon along its path (muography/momentum-model.ts momentumRange: the same tables,
// the same midpoint rule) in WGSL, shared by the EM's refresh kernel (gpu/momentum.ts) and the Fisher term's
// derivative kernel (gpu/momentum-derivative.ts), with the bindings both read: the uniform (sizes, whether the muons
// lose energy, the loss tables, a prior's values: momentumParams) and the path matrix with λ. A kernel's module declares
// `fn entry_hook(q: u32, s: EntryState)`, which the walk calls for every entry with what the derivative needs.
import { HIGHLAND_GEV, MUON_MASS_GEV } from '../core/units'
import { TABLE_LN_T0, TABLE_N, TABLE_PER_E } from '../core/muon-energy-loss'
import { FLOOR_P, REF_LN_LAMBDA, REF_LOSS, REFERENCE, STOP_GEV, type EntryMomentum } from '../muography/momentum-model'
import { LN_ONE_MINUS_WGSL, REFERENCE_WEIGHTS_WGSL } from './energy-loss-wgsl'

const f = (x: number) => x.toExponential(9)
const R = REFERENCE.length
/** the most values of a prior the uniform holds */
export const MOMENTUM_GPU_MAX_Q = 64
/** the tables' size in vec4s: REF_LOSS, then REF_LN_LAMBDA */
export const TABLE_VEC4 = Math.ceil((R * TABLE_N + R) / 4)

/** the uniform for n muons with the entry momentum `entry`: the sizes, whether they lose energy, the tables, a
 *  prior's values */
export function momentumParams(n: number, entry: EntryMomentum): ArrayBuffer {
  const prior = entry.kind === 'prior'
  const nq = prior ? entry.p.length : 1
  if (nq > MOMENTUM_GPU_MAX_Q) throw new Error(`the GPU momentum model takes at most ${MOMENTUM_GPU_MAX_Q} prior momenta, got ${nq}`)
  const prm = new ArrayBuffer(16 + 16 * TABLE_VEC4 + 4 * MOMENTUM_GPU_MAX_Q)
  new Uint32Array(prm, 0, 4).set([n, nq, entry.energyLoss ? 1 : 0, prior ? 1 : 0])
  const tables = new Float32Array(prm, 16, 4 * TABLE_VEC4)
  tables.set(REF_LOSS)
  tables.set(REF_LN_LAMBDA, R * TABLE_N)
  if (prior) new Float32Array(prm, 16 + 16 * TABLE_VEC4, MOMENTUM_GPU_MAX_Q).set(entry.p)
  return prm
}

export const MOMENTUM_WALK_WGSL = LN_ONE_MINUS_WGSL + REFERENCE_WEIGHTS_WGSL + /* wgsl */ `
struct Params {
  n: u32, nq: u32, eloss: u32, prior: u32,
  tables: array<vec4<f32>, ${TABLE_VEC4}>,
  quantiles: array<vec4<f32>, ${MOMENTUM_GPU_MAX_Q / 4}>,
}
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> rowStart: array<u32>;
// per entry (muon-major): voxel, bits of the length
@group(0) @binding(2) var<storage, read> entries: array<vec2<u32>>;
@group(0) @binding(3) var<storage, read> lambda: array<f32>;

const M: f32 = ${f(MUON_MASS_GEV)};
const H: f32 = ${f(HIGHLAND_GEV)};
const TN: u32 = ${TABLE_N}u;
const R: u32 = ${R}u;
const LN0: f32 = ${f(TABLE_LN_T0)};
const PER_E: f32 = ${f(TABLE_PER_E)};
const STOP: f32 = ${f(STOP_GEV)};
const FLOOR_P: f32 = ${f(FLOOR_P)};

fn table(k: u32) -> f32 { return prm.tables[k >> 2u][k & 3u]; }
fn ref_ln(r: u32) -> f32 { return table(R * TN + r); }

// (13.6 MeV/βp)² at energy e
fn c_of(e: f32) -> f32 {
  let bp = (e * e - M * M) / e;
  let r = H / bp;
  return r * r;
}

// one entry as the walk saw it: the length, λ, the reference segment and weight, the loss table's row and fraction
// at the half-way energy with the row's four values, the references' losses per X0 there, the half-way energy and
// table coordinate, L·λ, and c there
struct EntryState {
  L: f32, lj: f32, r: u32, wj: f32, row: u32, fm: f32, A0: f32, A1: f32, B0: f32, B1: f32,
  la: f32, lb: f32, mid: f32, uMid: f32, dt: f32, c: f32,
}

struct Walk { cBar: f32, cIn: f32, cOut: f32, den: f32, stopped: bool }

// follow the momentum p0 along entries [k0, k1) under λ: c̄, c at the entry and the exit, Σ L λ, and whether it stops
fn walk(p0: f32, k0: u32, k1: u32) -> Walk {
  let cFloor = c_of(sqrt(FLOOR_P * FLOOR_P + M * M));
  let e0 = sqrt(p0 * p0 + M * M);
  let cIn = c_of(e0);
  var kin = e0 - M;
  var cBar = cIn;
  var stopped = false;
  var den = 0.0;
  if (prm.eloss != 0u) {
    var lnKin = log(kin);
    var num = 0.0;
    for (var q = k0; q < k1; q++) {
      let en = entries[q];
      let L = bitcast<f32>(en.y);
      let lj = lambda[en.x];
      let rw = ref_weights(lj);
      let r = rw.r;
      let wj = rw.w;
      let u0 = (max(lnKin, LN0) - LN0) * PER_E;
      let perKin = L / kin;
      var row = min(u32(floor(u0)), TN - 2u);
      var ta = r * TN + row;
      var A0 = table(ta); var A1 = table(ta + 1u); var B0 = table(ta + TN); var B1 = table(ta + TN + 1u);
      let f0 = min(1.0, u0 - f32(row));
      let x = 0.5 * (lj * ((A0 * (1.0 - f0) + A1 * f0) * (1.0 - wj) + (B0 * (1.0 - f0) + B1 * f0) * wj)) * perKin;
      let uMid = u0 + ln_one_minus(min(x, 0.999)) * PER_E;
      let um = max(uMid, 0.0);
      if (um < f32(row)) {
        row = u32(floor(um));
        ta = r * TN + row;
        A0 = table(ta); A1 = table(ta + 1u); B0 = table(ta + TN); B1 = table(ta + TN + 1u);
      }
      let fm = min(1.0, um - f32(row));
      let la = A0 * (1.0 - fm) + A1 * fm;
      let lb = B0 * (1.0 - fm) + B1 * fm;
      let lm = lj * (la * (1.0 - wj) + lb * wj);
      let mid = max(kin - 0.5 * lm * L, STOP) + M;
      let h = (H * mid) / (mid * mid - M * M);
      let dt = L * lj;
      num += h * h * dt;
      den += dt;
      entry_hook(q, EntryState(L, lj, r, wj, row, fm, A0, A1, B0, B1, la, lb, mid, uMid, dt, h * h));
      let y = lm * perKin;
      kin -= lm * L;
      if (kin < STOP) { stopped = true; kin = STOP; lnKin = log(kin); } else { lnKin += ln_one_minus(y); }
    }
    if (den > 0.0) { cBar = min(num / den, cFloor); }
  }
  return Walk(cBar, cIn, min(c_of(kin + M), cFloor), den, stopped);
}
`
