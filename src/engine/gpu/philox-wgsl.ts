// core/philox.ts in WGSL, pasted ahead of each kernel that draws: the same words for the same (counter, key), and
// the same float32-exact 24-bit uniforms and Box–Muller pairs, so a kernel's muons and showers are the CPU's
// within float32 rounding of exp, log, sqrt, sin and cos.
export const PHILOX_WGSL = /* wgsl */ `
const PI: f32 = 3.14159265358979;

// high and low words of a 32×32-bit product from 16-bit halves (WGSL has no 64-bit integers)
fn mulhilo(a: u32, b: u32) -> vec2<u32> {
  let a0 = a & 0xffffu; let a1 = a >> 16u;
  let b0 = b & 0xffffu; let b1 = b >> 16u;
  let mid = ((a0 * b0) >> 16u) + ((a1 * b0) & 0xffffu) + ((a0 * b1) & 0xffffu);
  let hi = a1 * b1 + ((a1 * b0) >> 16u) + ((a0 * b1) >> 16u) + (mid >> 16u);
  return vec2<u32>(hi, a * b);
}

fn philox(counter: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  var c = counter;
  var k = key;
  for (var r = 0u; r < 10u; r++) {
    let p0 = mulhilo(0xd2511f53u, c.x);
    let p1 = mulhilo(0xcd9e8d57u, c.z);
    c = vec4<u32>(p1.x ^ c.y ^ k.x, p1.y, p0.x ^ c.w ^ k.y, p0.y);
    k = k + vec2<u32>(0x9e3779b9u, 0xbb67ae85u);
  }
  return c;
}

fn uniform24(w: u32) -> f32 {
  return f32(w >> 8u) * (1.0 / 16777216.0);
}

// (sin a, cos a) for a ∈ [−π, π] to float32 accuracy: Cody–Waite reduction by π/2 in three parts, then the minimax
// polynomials of Cephes' sinf and cosf (S. L. Moshier) on [−π/4, π/4], rotated by the quadrant
fn sincos(a: f32) -> vec2<f32> {
  let j = round(a * 0.636619772367581343);
  let y = ((a - j * 1.5703125) - j * 4.837512969970703125e-4) - j * 7.54978995489188216e-8;
  let z = y * y;
  let s = y + y * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
  let c = 1.0 - 0.5 * z + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
  switch (i32(j) & 3) {
    case 0: { return vec2<f32>(s, c); }
    case 1: { return vec2<f32>(c, -s); }
    case 2: { return vec2<f32>(-s, -c); }
    default: { return vec2<f32>(-c, s); }
  }
}

// Box–Muller with the angle in [−π, π)
fn normal_pair(w0: u32, w1: u32) -> vec2<f32> {
  let r = sqrt(-2.0 * log(1.0 - uniform24(w0)));
  let sc = sincos(PI * (2.0 * uniform24(w1) - 1.0));
  return vec2<f32>(r * sc.y, r * sc.x);
}
`
