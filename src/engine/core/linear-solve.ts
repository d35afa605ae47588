// A small dense linear system A x = r by Gauss–Jordan elimination with partial pivoting (the least-squares fits'
// normal equations: a handful of unknowns, where a library would be more code than the loop).

/** the solution, or null when A is singular */
export function solveLinear(A: number[][], r: number[]): number[] | null {
  const n = r.length
  const M = A.map((row, i) => [...row, r[i]])
  for (let c = 0; c < n; c++) {
    let piv = c
    for (let i = c + 1; i < n; i++) if (Math.abs(M[i][c]) > Math.abs(M[piv][c])) piv = i
    if (Math.abs(M[piv][c]) < 1e-300) return null
    ;[M[c], M[piv]] = [M[piv], M[c]]
    for (let i = 0; i < n; i++) {
      if (i === c) continue
      const f = M[i][c] / M[c][c]
      for (let j = c; j <= n; j++) M[i][j] -= f * M[c][j]
    }
  }
  return M.map((row, i) => row[n] / row[i])
}
