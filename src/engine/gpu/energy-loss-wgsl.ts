// What the kernels that follow a muon's energy loss share, in WGSL (pasted into a kernel's module): ln(1 − x) as
// core/muon-energy-loss.ts lnOneMinus computes it, and the momentum model's reference weights of a voxel
// (momentum-model.ts referenceWeights), which need the kernel's `R` (the number of references) and `ref_ln(r)` (ln λ
// of reference r, from wherever the kernel keeps its tables), with its snap to a reference (REF_SNAP).
import { REF_SNAP } from '../muography/momentum-model'

export const LN_ONE_MINUS_WGSL = /* wgsl */ `
fn ln_one_minus(x: f32) -> f32 {
  if (x < 0.1) { return -x * (1.0 + x * (0.5 + x * (1.0 / 3.0 + x * (0.25 + x * 0.2)))); }
  return log(1.0 - x);
}
`

export const REFERENCE_WEIGHTS_WGSL = /* wgsl */ `
const REF_SNAP: f32 = ${REF_SNAP.toExponential(3)};
// the reference segment r (between r and r + 1) and the weight of r + 1, in ln λ
struct RefWeight { r: u32, w: f32 }

fn ref_weights(lam: f32) -> RefWeight {
  let l = log(max(lam, 1e-12));
  var r = 0u;
  while (r < R - 2u && l > ref_ln(r + 1u) + REF_SNAP) { r++; }
  if (abs(l - ref_ln(r + 1u)) <= REF_SNAP) { return RefWeight(r, 1.0); }
  return RefWeight(r, clamp((l - ref_ln(r)) / (ref_ln(r + 1u) - ref_ln(r)), 0.0, 1.0));
}
`
