// Highland's g(t) = t (1 + b ln t)² and g′(t) in WGSL, with muography/highland.ts's clamp at t = 10⁻⁹, for the kernels
// that evaluate the inference's likelihood (pasted into a kernel's module).
import { HIGHLAND_LOG } from '../core/units'

export const HIGHLAND_G_WGSL = /* wgsl */ `
const HIGHLAND_B: f32 = ${HIGHLAND_LOG.toExponential(9)};
fn g_of(t: f32) -> f32 { let tc = max(t, 1e-9); let f = 1.0 + HIGHLAND_B * log(tc); return tc * f * f; }
fn g_prime(t: f32) -> f32 { let tc = max(t, 1e-9); let f = 1.0 + HIGHLAND_B * log(tc); return f * (f + 2.0 * HIGHLAND_B); }
`
