// core/item-stream.ts in WGSL, pasted after PHILOX_WGSL into a kernel that binds the ziggurat tables (zigTable
// below) as `zig`: the same sfc32 words from the same Philox state, the same 24-bit uniforms, and the same
// ziggurat normals, drawn one at a time (the CPU fills blocks of them, in the same order).
import { ZIG_F, ZIG_K, ZIG_R, ZIG_W } from '../core/item-stream'

export const ITEM_STREAM_WGSL = /* wgsl */ `
const ZIG_R: f32 = ${ZIG_R};

fn item_seed(i: u32, sub: u32, key: vec2<u32>) -> vec4<u32> {
  return philox(vec4<u32>(i, sub, 0u, 0u), key);
}

fn next32(st: ptr<function, vec4<u32>>) -> u32 {
  let s = *st;
  let t = s.x + s.y + s.w;
  *st = vec4<u32>(s.y ^ (s.y >> 9u), s.z + (s.z << 3u), ((s.z << 21u) | (s.z >> 11u)) + t, s.w + 1u);
  return t;
}

fn draw_uniform(st: ptr<function, vec4<u32>>) -> f32 {
  return f32(next32(st) >> 8u) * (1.0 / 16777216.0);
}

fn open_uniform(st: ptr<function, vec4<u32>>) -> f32 {
  return (f32(next32(st) >> 8u) + 0.5) * (1.0 / 16777216.0);
}

// |j| of the word read as int32, as uint32 (|−2³¹| = 2³¹)
fn abs_word(w: u32) -> u32 {
  return select(w, 0u - w, (w & 0x80000000u) != 0u);
}

fn zig_w(k: u32) -> f32 { return bitcast<f32>(zig[128u + k]); }
fn zig_f(k: u32) -> f32 { return bitcast<f32>(zig[256u + k]); }

fn draw_normal(st: ptr<function, vec4<u32>>) -> f32 {
  var w = next32(st);
  var k = w & 127u;
  if (abs_word(w) < zig[k]) { return f32(bitcast<i32>(w)) * zig_w(k); }
  loop {
    let x = f32(bitcast<i32>(w)) * zig_w(k);
    let u = open_uniform(st);
    if (k == 0u) {
      var tx = -log(u) / ZIG_R;
      loop {
        let ty = -log(open_uniform(st));
        if (ty + ty >= tx * tx) { break; }
        tx = -log(open_uniform(st)) / ZIG_R;
      }
      return select(-ZIG_R - tx, ZIG_R + tx, bitcast<i32>(w) > 0);
    }
    if (zig_f(k) + u * (zig_f(k - 1u) - zig_f(k)) < exp(-0.5 * x * x)) { return x; }
    w = next32(st);
    k = w & 127u;
    if (abs_word(w) < zig[k]) { return f32(bitcast<i32>(w)) * zig_w(k); }
  }
}
`

/** the ziggurat's tables for a kernel's `zig` binding: k as uint32, then w and f as float32 bits */
export function zigTable(): Uint32Array<ArrayBuffer> {
  const t = new Uint32Array(384)
  t.set(ZIG_K)
  new Float32Array(t.buffer, 128 * 4, 256).set([...ZIG_W, ...ZIG_F])
  return t
}
